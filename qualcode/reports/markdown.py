"""The project report as Markdown: headings, pipe tables and block quotes."""

from __future__ import annotations

from qualcode.analysis.crosstab import CrossTab
from qualcode.analysis.quotes import Quote
from qualcode.analysis.saturation import Curve
from qualcode.analysis.summary import ThemeSummary
from qualcode.analysis.tallies import Tally
from qualcode.reports.model import Report
from qualcode.sanitise import map_strings, markdown_safe


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(map(_cell, headers)) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def quote_line(q: Quote) -> str:
    mark = " (coder's pick)" if q.candidate else ""
    return f"> \"{q.text}\"  \n> — {q.attribution}; {q.document_title}, characters {q.start}-{q.end}{mark}"


def crosstab_percent(result: CrossTab) -> list[list[object]]:
    rows = []
    for i, name in enumerate(result.rows):
        cells = [f"{v} ({result.row_percent[i][j]:.1f}%)" for j, v in enumerate(result.counts[i])]
        rows.append([name, *cells, result.row_totals[i]])
    rows.append(["total", *result.column_totals, result.total])
    return rows


def test_line(result: CrossTab) -> str:
    t = result.test
    if t is None:
        return result.note
    if t.statistic is None:
        return f"No chi-square test: {t.note}."
    extra = f" ({t.note})" if t.note else ""
    return f"Chi-square = {t.statistic:.3f}, df = {t.dof}, p = {t.p_value:.4g}{extra}."


def _theme(s: ThemeSummary) -> list[str]:
    c = s.counts
    out = [f"### {s.path}", ""]
    if s.description:
        out += [s.description, ""]
    out += [
        f"{c.excerpts} excerpts ({c.codings} codings) in {c.documents} documents from {c.participants} "
        f"participants, coded by {c.coders} coder(s).",
        "",
        table(["document kind", "excerpts", "participants"], [[b.value, b.excerpts, b.participants] for b in c.by_kind]),
        "",
    ]
    for key, rows in c.by_attribute.items():
        out += [table([key, "excerpts", "participants"], [[b.value, b.excerpts, b.participants] for b in rows]), ""]
    if s.language and (s.language.terms or s.language.phrases):
        line = "Distinctive terms: " + ", ".join(f"{t.term} (z={t.z:.1f})" for t in s.language.terms)
        if s.language.phrases:
            line += "; phrases: " + ", ".join(t.term for t in s.language.phrases)
        out += [line, ""]
    if s.quotes:
        out += ["Representative quotes:", ""]
        for q in s.quotes:
            out += [quote_line(q), ""]
    if s.cooccurring:
        out += [table(["co-occurring code", "overlaps", "Jaccard", "c-coefficient"],
                      [[o.path, o.count, f"{o.jaccard:.2f}", f"{o.c_coefficient:.2f}"] for o in s.cooccurring]), ""]
    for memo in s.memos:
        out += [f"Memo{': ' + memo.title if memo.title else ''}: {memo.text}", ""]
    return out


def _tally(t: Tally) -> list[str]:
    out = [f"### {t.valence.capitalize()}s", "", f"{t.excerpts} excerpts from {t.participants} participants.", ""]
    out += [table(["rank", "code", "excerpts", "participants", "documents"],
                  [[i, r.path, r.excerpts, r.participants, r.documents] for i, r in enumerate(t.rows, start=1)]), ""]
    for r in t.rows:
        if r.quotes:
            out += [f"**{r.path}** ({r.excerpts} excerpts, {r.participants} participants):", ""]
            for q in r.quotes:
                out += [quote_line(q), ""]
    return out


def _by_kind(t: Tally) -> list[str]:
    paths = [r.path for r in t.rows]
    cells = {(g.value, r.path): r.excerpts for g in t.groups for r in g.rows}
    kinds = [g.value for g in t.groups]
    return [f"{t.valence.capitalize()}s by document kind (excerpts):", "",
            table(["code", *kinds], [[p, *(cells.get((k, p), 0) for k in kinds)] for p in paths]), ""]


def _curve(curve: Curve) -> list[str]:
    reached = f"reached at document {curve.saturation_at}" if curve.saturation_at else "not reached"
    out = [f"**{curve.scope}**: {len(curve.steps)} documents, base of {curve.base_codes} codes; saturation {reached}.", ""]
    if curve.runs:
        out += [table(["run", "new codes", "new information"],
                      [[f"{r.first}-{r.last}", r.new_codes, f"{r.new_share:.1%}"] for r in curve.runs]), ""]
    if curve.note:
        out += [curve.note, ""]
    return out


def render(report: Report) -> str:
    report = map_strings(report, markdown_safe)  # HTML in code names or quotes stays text
    out = [f"# {report.title}", ""]
    out += [*report.notes, ""]
    out += ["## Overview", "", table(["", ""], [list(pair) for pair in report.overview]), ""]
    out += [table(["document kind", "documents"], [list(k) for k in report.kinds]), ""]
    out += ["## Codebook", "", table(
        ["code", "valence", "definition", "excerpts", "codings", "documents", "participants"],
        [["  " * r.depth + r.path, "" if r.valence == "none" else r.valence, r.description, r.excerpts, r.codings,
          r.documents, r.participants] for r in report.codebook]), ""]
    out += ["## Themes", ""]
    for theme in report.themes:
        out += _theme(theme)
    out += ["## Barriers and facilitators", ""]
    for t in report.tallies:
        out += _tally(t)
    for t in report.tallies_by_kind:
        out += _by_kind(t)
    if report.matrix and report.matrix.rows:
        m = report.matrix
        out += [f"### Constructs by {m.case} (excerpts)", "",
                table(["construct", *m.columns], [[r, *(v or "" for v in cells)] for r, cells in zip(m.rows, m.cells)]), ""]
    out += ["## Cross-tabulations", ""]
    for result in report.crosstabs:
        out += [f"### {result.rows_name} by {result.columns_name} ({result.unit}, row percentages)", "",
                table([result.rows_name, *result.columns, "total"], crosstab_percent(result)), "", test_line(result), ""]
    out += ["## Saturation", "",
            f"Guest, Namey & Chen (2020): base {report.saturation.overall.base_size} documents, runs of "
            f"{report.saturation.overall.run_length}, threshold {report.saturation.overall.threshold:.0%}; "
            f"documents in {report.saturation.order} order.", ""]
    for curve in (report.saturation.overall, *report.saturation.by_kind):
        out += _curve(curve)
    return "\n".join(out).rstrip() + "\n"
