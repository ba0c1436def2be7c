"""`qualcode summary | tally | crosstab | saturation | report`: theme analysis over the coded project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, err_console, open_db, print_json
from qualcode.errors import InvalidInput

QuotesOption = Annotated[int, typer.Option("--quotes", min=0, help="Quotes to show behind each number.")]
UnmaskedOption = Annotated[bool, typer.Option(
    "--unmasked", help="Show quotes as coded, not anonymised: for the team only, and the output says so.")]


def _open_policy(db):
    """The project's share policy; a coder's role, which may not read the roster or the key, is told who can."""
    from qualcode.anonymise.share import open_policy
    from qualcode.errors import PermissionDenied

    try:
        return open_policy(db)
    except PermissionDenied:
        raise PermissionDenied(
            "anonymised output needs the roster and pseudonym key, which only the project owner's role may read: "
            "ask the owner to run it, or pass --unmasked for a view for the team only"
        ) from None


def _shared(ds, where: str, unmasked: bool, apply):
    """Run `apply(sharer)` with the project's share policy, keep the key it extended, print what it withheld.

    With `unmasked`, nothing is masked and a notice says so; `apply(None)` then returns the results as they are.
    """
    from qualcode.analysis.shareable import Sharer
    from qualcode.anonymise.share import UNMASKED_NOTICE

    if unmasked:
        err_console.print(f"[bold red]{escape(UNMASKED_NOTICE)}[/]", highlight=False)
        return apply(None)
    db = open_db()
    try:
        sharer = Sharer(ds, _open_policy(db), where)
        results = apply(sharer)
        sharer.policy.save(db)
    finally:
        db.dispose()
    for warning in sharer.warnings:
        err_console.print(f"[yellow]withheld:[/] {escape(warning)}", highlight=False)
    return results


def _dataset(with_name: bool = False):
    from qualcode.analysis import load
    from qualcode.store import meta

    db = open_db()
    try:
        with db.reading() as session:
            ds = load(session)
            name = meta.get(session, "name") or "Project"
    finally:
        db.dispose()
    return (ds, name) if with_name else ds


def summary(
    code: Annotated[str | None, typer.Option("--code", "-c", help="A code (with its descendants), set:GROUP or codes a,b taken together; default: every top-level theme.")] = None,
    quotes: QuotesOption = 3,
    language: Annotated[bool, typer.Option("--language/--no-language", help="Distinctive terms (loads spaCy).")] = True,
    unmasked: UnmaskedOption = False,
    as_json: JsonOption = False,
) -> None:
    """Theme summaries: counts, distinctive terms, representative quotes, co-occurring codes, memos; quotes and memos anonymised unless --unmasked. Example: qualcode summary --code barriers --quotes 5"""
    from qualcode.analysis.summary import theme_summary, top_level_summaries

    ds = _dataset()
    options = {"quotes": quotes, "with_language": language}
    results = [theme_summary(ds, code, **options)] if code else top_level_summaries(ds, **options)
    results = _shared(ds, "summary", unmasked, lambda sharer: sharer.summaries(results) if sharer else results)
    if as_json:
        print_json(results)
        return
    for s in results:
        c = s.counts
        console.print(f"[bold]{escape(s.path)}[/]  {escape(s.description)}")
        console.print(
            f"  {c.excerpts} excerpts ({c.codings} codings) in {c.documents} documents, "
            f"{c.participants} participants, {c.coders} coders"
        )
        kinds = ", ".join(f"{b.value} {b.excerpts}" for b in c.by_kind if b.excerpts)
        console.print(f"  by kind: {escape(kinds) or '-'}")
        for key, rows in c.by_attribute.items():
            shown = ", ".join(f"{b.value} {b.excerpts}" for b in rows if b.excerpts)
            console.print(f"  by {escape(key)}: {escape(shown) or '-'}")
        if s.language and s.language.terms:
            console.print("  terms: " + escape(", ".join(t.term for t in s.language.terms)))
            if s.language.phrases:
                console.print("  phrases: " + escape(", ".join(t.term for t in s.language.phrases)))
        for q in s.quotes:
            mark = "*" if q.candidate else "-"
            console.print(f"  {mark} \"{escape(q.text)}\" ({escape(q.attribution)}; {escape(q.link)})")
        if s.cooccurring:
            shown = ", ".join(f"{o.path} {o.count} (c={o.c_coefficient:.2f})" for o in s.cooccurring[:5])
            console.print("  co-occurs with: " + escape(shown))
        for memo in s.memos:
            console.print(f"  memo: {escape(memo.text)}")
        console.print()


def tally(
    which: Annotated[str | None, typer.Argument(help="barriers or facilitators; default both.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="kind, a participant attribute (role, setting, region), doc, participant or code:PARENT.")] = None,
    quotes: QuotesOption = 0,
    matrix: Annotated[str | None, typer.Option("--matrix", help="Construct x case matrix over cases: participant, doc, kind or an attribute.")] = None,
    coder: Annotated[str | None, typer.Option("--coder", help="Count only this coder's codings.")] = None,
    per_coder: Annotated[bool, typer.Option("--per-coder", help="Add a column per coder with that coder's own count.")] = False,
    unmasked: UnmaskedOption = False,
    as_json: JsonOption = False,
) -> None:
    """Barrier and facilitator tallies: distinct passages (excerpts) and participants per code, ranked; a passage two coders coded counts once; quotes anonymised unless --unmasked. Example: qualcode tally barriers --by setting --quotes 2"""
    from qualcode.analysis.tallies import construct_matrix
    from qualcode.analysis.tallies import tally as run_tally

    ds = _dataset()
    if matrix:
        result = construct_matrix(ds, matrix, which)
        if as_json:
            print_json(result)
            return
        table = Table("construct", *map(escape, result.columns), title=f"constructs x {escape(result.case)} (excerpts)")
        for row, cells in zip(result.rows, result.cells):
            table.add_row(escape(row), *(str(v) if v else "" for v in cells))
        console.print(table)
        return
    tallies = [run_tally(ds, v, by=by, quotes=quotes, coder=coder, per_coder=per_coder)
               for v in ([which] if which else ["barriers", "facilitators"])]
    if quotes:
        tallies = _shared(ds, "tally", unmasked, lambda sharer: sharer.tallies(tallies) if sharer else tallies)
    if by and not as_json and tallies and tallies[0].groups:
        _hint_similar(ds, tallies[0].by)
    if as_json:
        print_json(tallies)
        return
    for t in tallies:
        whose = f" (coder {t.coder})" if t.coder else ""
        sections = [(f"{t.valence}s{whose}: {t.excerpts} excerpts, {t.participants} participants", t.rows)]
        sections += [(f"{t.valence}s{whose}, {t.by} = {g.value}: {g.excerpts} excerpts, {g.participants} participants", g.rows)
                     for g in t.groups]
        for title, rows in sections:
            coders = t.coders if rows is t.rows else ()
            table = Table("rank", "code", "excerpts", "participants", "documents", *map(escape, coders), title=escape(title))
            for rank, row in enumerate(rows, start=1):
                table.add_row(str(rank), escape(row.path), str(row.excerpts), str(row.participants), str(row.documents),
                              *(str(n) for _, n in row.by_coder))
                for q in row.quotes:
                    table.add_row("", f"  \"{escape(q.text)}\" ({escape(q.attribution)}; {escape(q.link)})", "", "", "",
                                  *("" for _ in coders))
            console.print(table)


def _hint_similar(ds, by: str) -> None:
    from qualcode.analysis.grouping import grouping, similar_attributes

    key = grouping(ds, by).name
    for other, count in similar_attributes(ds, key):
        err_console.print(f"[yellow]hint:[/] {count} participant(s) have no '{escape(key)}' but have '{escape(other)}'; "
                          f"if they mean the same: qualcode participants attributes merge \"{escape(other)}\" "
                          f"\"{escape(key)}\"", highlight=False, soft_wrap=True)


def crosstab(
    rows: Annotated[str, typer.Argument(help="attr:NAME, multi:NAME, code:PARENT, doc or kind.")],
    columns: Annotated[str, typer.Argument(help="attr:NAME, multi:NAME, code:PARENT, doc or kind.")],
    percent: Annotated[str, typer.Option("--percent", help="Show row or col percentages, or none.")] = "none",
    as_json: JsonOption = False,
) -> None:
    """Cross-tabulate two dimensions with counts, percentages and a chi-square test. Example: qualcode crosstab "attr:Primary ambition" "attr:Care setting" --percent row"""
    from qualcode.analysis.crosstab import crosstab as run_crosstab

    if percent not in ("none", "row", "col"):
        raise InvalidInput(f"--percent must be row, col or none, not '{percent}'")
    result = run_crosstab(_dataset(), rows, columns)
    if as_json:
        print_json(result)
        return
    table = Table(escape(f"{result.rows_name} x {result.columns_name}"), *map(escape, result.columns), "total",
                  title=f"{escape(result.unit)}: {result.total}")
    shares = {"row": result.row_percent, "col": result.column_percent}.get(percent)
    for i, name in enumerate(result.rows):
        cells = [str(v) if shares is None else f"{v} ({shares[i][j]:.1f}%)" for j, v in enumerate(result.counts[i])]
        table.add_row(escape(name), *cells, str(result.row_totals[i]))
    table.add_row("total", *map(str, result.column_totals), str(result.total))
    console.print(table)
    test = result.test
    if test and test.statistic is not None:
        console.print(f"chi-square = {test.statistic:.3f}, df = {test.dof}, p = {test.p_value:.4g}" + (f" ({test.note})" if test.note else ""))
    elif test:
        console.print(f"no chi-square: {escape(test.note)}")
    for line in (result.note, f"{result.excluded} unit(s) left out: no value on one side" if result.excluded else ""):
        if line:
            console.print(escape(line))


def saturation(
    base: Annotated[int, typer.Option("--base", help="Base size: documents in the base set.")] = 4,
    run: Annotated[int, typer.Option("--run", help="Run length: documents per run.")] = 2,
    threshold: Annotated[float, typer.Option("--threshold", help="New-information threshold in percent.")] = 5.0,
    order: Annotated[str, typer.Option("--order", help="date, import, or comma-separated document titles.")] = "date",
    code: Annotated[str | None, typer.Option("--code", help="Count only codes under this one.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Thematic saturation (Guest, Namey & Chen 2020) overall and per document kind. Example: qualcode saturation --base 4 --run 2 --threshold 5"""
    from qualcode.analysis.saturation import saturation as run_saturation

    if not 0 <= threshold < 100:
        raise InvalidInput(f"--threshold is a percentage from 0 to under 100, not {threshold:g}")
    result = run_saturation(_dataset(), base_size=base, run_length=run, threshold=threshold / 100, order=order, code=code)
    if as_json:
        print_json(result)
        return
    for curve in (result.overall, *result.by_kind):
        reached = f"saturation at document {curve.saturation_at}" if curve.saturation_at else "saturation not reached"
        console.print(f"[bold]{escape(curve.scope)}[/]: base {curve.base_codes} codes; {reached}")
        table = Table("runs", "new codes", "new information")
        for r in curve.runs:
            table.add_row(f"{r.first}-{r.last}", str(r.new_codes), f"{r.new_share:.1%}")
        if curve.runs:
            console.print(table)
        if curve.note:
            console.print(escape(curve.note))


def report(
    format: Annotated[str, typer.Option("--format", "-f", help="md, html, xlsx or docx.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file; default exports/report.<format>.")] = None,
    quotes: QuotesOption = 3,
    language: Annotated[bool, typer.Option("--language/--no-language", help="Distinctive terms (loads spaCy).")] = True,
    unmasked: Annotated[bool, typer.Option(
        "--unmasked", help="Quotes as coded, for the team only: the report's header says it is not anonymised.")] = False,
) -> None:
    """Write a full project report (codebook, themes, tallies, cross-tabs, saturation); quotes anonymised and the file scanned unless --unmasked. Example: qualcode report --format html --out exports/report.html"""
    from qualcode.reports import FORMATS, ReportOptions, write_report

    if format not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}, not '{format}'")
    target = out or Path("exports") / f"report.{format}"
    ds, name = _dataset(with_name=True)
    options = ReportOptions(title=f"{name}: report", quotes=quotes, language=language, shareable=not unmasked)
    db = open_db()
    try:
        policy = None if unmasked else _open_policy(db)
        written = write_report(ds, target, format, options, policy)
        if policy is not None:
            policy.save(db)
    finally:
        db.dispose()
    console.print(f"wrote {escape(str(written.path))}" + (" (NOT anonymised)" if unmasked else ""))
    for warning in written.warnings:
        err_console.print(f"[yellow]withheld:[/] {escape(warning)}", highlight=False)


def register(app: typer.Typer) -> None:
    for name, command in (("summary", summary), ("tally", tally), ("crosstab", crosstab),
                          ("saturation", saturation), ("report", report)):
        app.command(name)(command)
