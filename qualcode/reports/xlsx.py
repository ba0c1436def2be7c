"""The project report as a workbook (openpyxl): one sheet per section, every cell formula-safe."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qualcode.exports.cells import safe_row
from qualcode.reports.markdown import test_line
from qualcode.reports.model import Report

FIXED = datetime(2000, 1, 1)


def _sheet(workbook, title: str, rows: list[list[object]]):
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(safe_row(row))
    if rows:
        from openpyxl.styles import Font

        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return sheet


def render(report: Report, path: Path) -> None:
    from openpyxl import Workbook  # deferred: only when a workbook is asked for

    workbook = Workbook()
    workbook.remove(workbook.active)
    props = workbook.properties
    props.creator = props.lastModifiedBy = "qualcode"
    props.title = report.title
    props.created = props.modified = FIXED
    # The notes head the first sheet: whether the quotes are anonymised is the first thing a reader sees.
    _sheet(workbook, "Overview", [*[[n] for n in report.notes], [], ["item", "value"], *map(list, report.overview), [],
                                  ["document kind", "documents"], *map(list, report.kinds)])
    _sheet(workbook, "Codebook", [["code", "valence", "definition", "excerpts", "codings", "documents", "participants"]]
           + [[r.path, r.valence, r.description, r.excerpts, r.codings, r.documents, r.participants] for r in report.codebook])
    theme_rows: list[list[object]] = [["theme", "part", "item", "excerpts", "participants", "detail"]]
    quote_rows: list[list[object]] = [["theme", "quote", "attribution", "document", "start", "end", "coder's pick"]]
    for s in report.themes:
        c = s.counts
        theme_rows.append([s.path, "total", "", c.excerpts, c.participants,
                           f"{c.codings} codings, {c.documents} documents, {c.coders} coders"])
        theme_rows += [[s.path, "kind", b.value, b.excerpts, b.participants, ""] for b in c.by_kind]
        for key, rows in c.by_attribute.items():
            theme_rows += [[s.path, key, b.value, b.excerpts, b.participants, ""] for b in rows]
        if s.language:
            theme_rows += [[s.path, "term", t.term, t.theme_count, None, f"z={t.z:.2f}"] for t in s.language.terms]
            theme_rows += [[s.path, "phrase", t.term, t.theme_count, None, f"z={t.z:.2f}"] for t in s.language.phrases]
        theme_rows += [[s.path, "co-occurs", o.path, o.count, None, f"Jaccard {o.jaccard:.2f}, c {o.c_coefficient:.2f}"]
                       for o in s.cooccurring]
        theme_rows += [[s.path, "memo", m.title, None, None, m.text] for m in s.memos]
        quote_rows += [[s.path, q.text, q.attribution, q.document_title, q.start, q.end, "yes" if q.candidate else ""]
                       for q in s.quotes]
    _sheet(workbook, "Themes", theme_rows)
    tally_rows: list[list[object]] = [["valence", "rank", "code", "excerpts", "participants", "documents", "top quote"]]
    for t in report.tallies:
        for i, r in enumerate(t.rows, start=1):
            top = f"{r.quotes[0].text} ({r.quotes[0].attribution})" if r.quotes else ""
            tally_rows.append([t.valence, i, r.path, r.excerpts, r.participants, r.documents, top])
            quote_rows += [[r.path, q.text, q.attribution, q.document_title, q.start, q.end, "yes" if q.candidate else ""]
                           for q in r.quotes]
    for t in report.tallies_by_kind:
        for g in t.groups:
            tally_rows += [[f"{t.valence} ({g.value})", i, r.path, r.excerpts, r.participants, r.documents, ""]
                           for i, r in enumerate(g.rows, start=1)]
    _sheet(workbook, "Tallies", tally_rows)
    _sheet(workbook, "Quotes", quote_rows)
    if report.matrix and report.matrix.rows:
        m = report.matrix
        _sheet(workbook, "Matrix", [["construct", *m.columns], *[[r, *cells] for r, cells in zip(m.rows, m.cells)]])
    crosstab_rows: list[list[object]] = []
    for result in report.crosstabs:
        crosstab_rows.append([f"{result.rows_name} by {result.columns_name} ({result.unit})"])
        crosstab_rows.append([result.rows_name, *result.columns, "total"])
        crosstab_rows += [[name, *result.counts[i], result.row_totals[i]] for i, name in enumerate(result.rows)]
        crosstab_rows.append(["total", *result.column_totals, result.total])
        crosstab_rows += [[test_line(result)], []]
    _sheet(workbook, "Crosstabs", [["cross-tabulations"], *crosstab_rows])
    sat = report.saturation
    sat_rows: list[list[object]] = [["documents", "run", "new codes", "new information", "base codes", "saturation at"]]
    for c in (sat.overall, *sat.by_kind):
        sat_rows += [[c.scope, f"{r.first}-{r.last}", r.new_codes, r.new_share, c.base_codes, c.saturation_at]
                     for r in c.runs] or [[c.scope, "", None, None, c.base_codes, c.note]]
    _sheet(workbook, "Saturation", sat_rows)
    workbook.save(path)
