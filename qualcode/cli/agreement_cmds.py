"""`qualcode agreement`: double-coding assignments, blind mode, agreement reports, rounds, disagreements, adjudication."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, open_db, print_json
from qualcode.errors import InvalidInput

agreement = typer.Typer(help="Inter-coder agreement: assign double coding, audit, review and resolve disagreements.",
                        no_args_is_help=True)

UnitOption = Annotated[str, typer.Option("--unit", help="segment, character, document or unitized.")]
CodersOption = Annotated[str | None, typer.Option("--coders", help="Coders to compare, comma-separated (default: "
                                                  "everyone with codings except consensus).")]
CodesOption = Annotated[str | None, typer.Option("--codes", help="Codes to audit, comma-separated paths (default: all).")]
OverlapOption = Annotated[float, typer.Option("--min-overlap", help="Segment units: share of a segment one coding must "
                                              "cover, 0 to 1 (default 0: any overlap).")]
ActorOption = Annotated[str | None, typer.Option("--coder", envvar="QUALCODE_CODER",
                                                 help="Who is acting; when given, must be the project owner.")]
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".csv": "csv"}


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


@agreement.command("assign")
def assign_cmd(
    coders: Annotated[str, typer.Option("--coders", help="Coders to double-code, comma-separated.")],
    docs: Annotated[str | None, typer.Option("--docs", help="Documents (titles or ids), comma-separated.")] = None,
    sample_segments: Annotated[int | None, typer.Option("--sample-segments", help="Draw N segments at random "
                                                        "(from --docs, or the whole project).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed of the sample (printed when not given).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Drop these coders' earlier assignments first.")] = False,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Assign the same documents, or the same random sample of segments, to coders for double coding.

    Units a coder was not assigned count as missing in agreement reports, not as "code absent".
    Example: qualcode agreement assign --coders alex,sam --sample-segments 200 --seed 7
    """
    from qualcode.agreement.workflow_assign import assign

    plan = assign(open_db(), _split(coders) or [], documents=_split(docs), sample_segments=sample_segments, seed=seed,
                  replace_existing=replace, actor=actor)
    if as_json:
        print_json({"coders": plan.coders, "documents": plan.documents, "seed": plan.seed,
                    "segments": plan.n_segments, "new_coders": plan.new_coders})
        return
    what = (f"{plan.n_segments} sampled segments in {len(plan.documents)} documents (seed {plan.seed})"
            if plan.n_segments is not None else f"{len(plan.documents)} whole documents")
    console.print(f"assigned {what} to {escape(', '.join(plan.coders))}")
    if plan.new_coders:
        console.print(f"new coders added: {escape(', '.join(plan.new_coders))}")


@agreement.command("assignments")
def assignments_cmd(as_json: JsonOption = False) -> None:
    """List who is assigned which document (whole, or the sampled segment indexes). Example: qualcode agreement assignments"""
    from qualcode.agreement.workflow_assign import list_assignments

    with open_db().reading() as session:
        rows = list_assignments(session)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("no assignments: reports take each coder's documents to be those they coded")
        return
    table = Table("coder", "document", "segments")
    for row in rows:
        segments = "whole document" if row["segments"] is None else f"{len(row['segments'])} sampled"
        table.add_row(escape(row["coder"]), escape(row["document"]), segments)
    console.print(table)


@agreement.command("unassign")
def unassign_cmd(coders: Annotated[str, typer.Option("--coders", help="Coders, comma-separated.")],
                 actor: ActorOption = None) -> None:
    """Remove every assignment of the named coders. Example: qualcode agreement unassign --coders sam"""
    from qualcode.agreement.workflow_assign import clear_assignments

    gone = clear_assignments(open_db(), _split(coders) or [], actor=actor)
    console.print(f"removed {gone} assignment{'s' if gone != 1 else ''}")


@agreement.command("blind")
def blind_cmd(state: Annotated[str, typer.Argument(help="on or off")], actor: ActorOption = None) -> None:
    """Turn blind mode on (coders see only their own codings until reveal) or off. Example: qualcode agreement blind on"""
    from qualcode.agreement.workflow_assign import set_blind

    if state not in ("on", "off"):
        raise InvalidInput(f"blind mode is 'on' or 'off', not {state!r}")
    result = set_blind(open_db(), state == "on", actor=actor)
    console.print("blind mode on: coders see only their own codings until 'qualcode agreement reveal'"
                  if result["blind_mode"] else "blind mode off: coders see each other's codings")


@agreement.command("reveal")
def reveal_cmd(actor: ActorOption = None) -> None:
    """End a blind round: every coder sees everyone's codings. Example: qualcode agreement reveal"""
    from qualcode.agreement.workflow_assign import reveal

    result = reveal(open_db(), actor=actor)
    console.print("revealed: coders see each other's codings" + ("" if result["blind_mode"] else " (blind mode was off)"))


@agreement.command("report")
def report_cmd(
    unit: UnitOption = "segment",
    coders: CodersOption = None,
    codes: CodesOption = None,
    min_overlap: OverlapOption = 0.0,
    reps: Annotated[int | None, typer.Option("--reps", help="Bootstrap resamples for intervals (default 1000; 0: none).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Bootstrap seed (default 20240101).")] = None,
    round_label: Annotated[str | None, typer.Option("--round", help="A label for this round, e.g. 'pilot'.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write Markdown, HTML or CSV, by suffix (.md, .html, .csv).")] = None,
    save: Annotated[bool, typer.Option("--save", help="Store this audit so 'agreement rounds' can compare it.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Agreement per code (n, prevalence, percent agreement, alpha, kappa, AC1 with intervals) and a methods sentence.

    Example: qualcode agreement report --unit segment --coders alex,sam --out agreement.md --save
    """
    from qualcode.agreement.workflow import run_audit

    fmt = None
    if out is not None:
        fmt = FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise InvalidInput(f"--out {out.name}: choose a .md, .html or .csv file")
    report = run_audit(open_db(), unit=unit, coders=_split(coders), codes=_split(codes), min_overlap=min_overlap,
                       bootstrap_reps=reps, seed=seed, round_label=round_label, save=save)
    if out is not None:
        _write(report, out, fmt)
        if not as_json:
            console.print(f"wrote {escape(str(out))}" + (" and saved this audit" if save else ""))
    if as_json:
        print_json(report.to_dict())
    elif out is None:
        _print_report(report, save)


def _write(report, out: Path, fmt: str) -> None:
    from qualcode.agreement.render import render_csv, render_html, render_markdown
    from qualcode.reports.files import write_text

    render = {"markdown": render_markdown, "html": render_html, "csv": render_csv}[fmt]
    write_text(out, render(report))


SHORT_LABELS = {"percent_agreement": "% agree", "krippendorff_alpha": "alpha", "fleiss_kappa": "Fleiss kappa",
                "gwet_ac1": "AC1", "unitized_alpha": "u-alpha"}


def _print_report(report, saved: bool) -> None:
    from qualcode.agreement import coefficients as C
    from qualcode.agreement.render import fmt_value

    console.print(f"[bold]Inter-coder agreement[/]: {report.unit} units ({escape(report.unit_label)}), "
                  f"coders {escape(', '.join(report.coders))}, {report.n_units} units from {report.n_documents} "
                  f"documents" + (f", codebook v{report.codebook_version}" if report.codebook_version else ""))
    columns = [C.PERCENT, report.primary, C.FLEISS, C.AC1] if report.primary == C.ALPHA else [report.primary]
    table = Table("code", "n", "prev.", *(SHORT_LABELS.get(c, C.LABELS[c]) for c in columns))
    table.columns[0].overflow = "fold"
    reasons: dict[str, str] = {}
    for code in report.codes:
        prevalence = "n/a" if code.prevalence is None else f"{code.prevalence:.1%}"
        cells = []
        for name in columns:
            figure = code.coefficients[name]
            if figure.defined:
                cells.append(escape(fmt_value(figure, code.n_units)))
            else:
                # the reason is the same for every coefficient of a code: say it once, under the table
                reasons.setdefault(code.path or code.name, figure.reason or "")
                cells.append("[dim]undefined[/]")
        table.add_row(escape(code.path or code.name), str(code.n_units), prevalence, *cells)
    console.print(table)
    for path, reason in reasons.items():
        console.print(f"[dim]{escape(path)}: undefined ({escape(reason)})[/]", highlight=False)
    console.print("[bold]For the methods section[/]")
    console.print(escape(report.sentence), highlight=False)
    for note in report.notes:
        console.print(f"[dim]note: {escape(note)}[/]", highlight=False)
    if saved:
        console.print("saved this audit; compare rounds with 'qualcode agreement rounds'")


@agreement.command("rounds")
def rounds_cmd(
    unit: Annotated[str | None, typer.Option("--unit", help="Unit of the audits to compare (default: latest audit's).")] = None,
    every_audit: Annotated[bool, typer.Option("--all", help="Every saved audit, not the latest per codebook version.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Agreement per code across saved audits, one column per codebook version. Example: qualcode agreement rounds"""
    from qualcode.agreement.workflow import rounds

    table = rounds(open_db(), unit=unit, every_audit=every_audit)
    if as_json:
        print_json(table)
        return
    heads = [f"v{c['codebook_version']}" + (f" {c['round']}" if c["round"] else "") + f"\n{c['timestamp'][:10]}"
             for c in table["rounds"]]
    grid = Table("code", *heads, title=f"{table['coefficient']} by round ({table['unit']} units)")
    for row in table["codes"]:
        grid.add_row(escape(row["path"]), *("—" if v is None else f"{v:.3f}" for v in row["values"]))
    grid.add_row("[bold]median[/]", *("—" if c["median"] is None else f"{c['median']:.3f}" for c in table["rounds"]))
    console.print(grid)


@agreement.command("disagreements")
def disagreements_cmd(
    code: Annotated[str | None, typer.Option("--code", help="Only units where this code is disputed.")] = None,
    unit: UnitOption = "segment",
    coders: CodersOption = None,
    codes: CodesOption = None,
    min_overlap: OverlapOption = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Each disputed unit: its id, document and text, and every coder's codes on it.

    Resolve one with 'qualcode agreement resolve --unit-id ID --codes ...'.
    Example: qualcode agreement disagreements --code community/public
    """
    from qualcode.agreement.workflow_review import review, unit_ref

    found = review(open_db(), unit=unit, coders=_split(coders), codes=_split(codes), min_overlap=min_overlap, code=code)
    if as_json:
        print_json(found.to_dicts())
        return
    if not found.items:
        console.print("no disagreements: every unit rated by two or more coders got the same codes from each")
        return
    for item in found.items:
        ref = unit_ref(item)
        done = found.resolutions.get(ref)
        status = f" [green]resolved: {escape(', '.join(done['codes']) or '(no code)')}[/]" if done else ""
        disputed = ", ".join(found.code_names[c] for c in item.disputed)
        console.print(f"[bold]{ref}[/] {escape(found.titles.get(item.document_id, ''))} [{item.start}:{item.end}] "
                      f"disputed: {escape(disputed)}{status}", highlight=False)
        text = " ".join(item.text.split())
        console.print(f"  > {escape(text if len(text) <= 240 else text[:239] + '…')}", highlight=False)
        for coder, applied in item.codes_by_coder.items():
            names = ", ".join(found.code_names[c] for c in applied) or "(none)"
            console.print(f"  - {escape(found.coder_names[coder])}: {escape(names)}", highlight=False)
        for coder in item.missing_coders:
            console.print(f"  - {escape(found.coder_names[coder])}: not assigned", highlight=False)
    console.print(f"{len(found.items)} disputed units, {sum(unit_ref(i) in found.resolutions for i in found.items)} resolved")


@agreement.command("resolve")
def resolve_cmd(
    unit_id: Annotated[str, typer.Option("--unit-id", help="Unit id from 'agreement disagreements' (S12, D3:40-95).")],
    codes: Annotated[str, typer.Option("--codes", help="The codes that stand, comma-separated; 'none' for no code.")],
    note: Annotated[str | None, typer.Option("--note", help="A codebook note, stored as a memo on the disputed codes.")] = None,
    note_code: Annotated[str | None, typer.Option("--note-code", help="Attach the note to these codes instead.")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", envvar="QUALCODE_CODER", help="Who adjudicated.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Settle a disputed unit: the chosen codes become codings of the coder "consensus" (provenance consensus).

    Example: qualcode agreement resolve --unit-id S12 --codes community/public --note "public = not staff"
    """
    from qualcode.agreement.workflow_review import resolve

    chosen = [] if codes.strip().lower() == "none" else _split(codes) or []
    result = resolve(open_db(), unit_id, chosen, note=note, note_codes=_split(note_code), reviewer=reviewer)
    if as_json:
        print_json({"unit_id": result.unit_id, "document_id": result.document_id, "start": result.start,
                    "end": result.end, "codes": result.codes, "added": [c.id for c in result.added],
                    "removed": list(result.removed), "memos": list(result.memo_ids), "coders": result.coders})
        return
    console.print(f"{result.unit_id}: consensus {escape(', '.join(result.codes) or '(no code)')} "
                  f"({len(result.added)} added, {len(result.removed)} removed"
                  + (f", note on {len(result.memo_ids)} code{'s' if len(result.memo_ids) != 1 else ''}" if result.memo_ids else "")
                  + ")", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(agreement, name="agreement")
