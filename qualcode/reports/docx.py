"""The project report as a Word document (python-docx): headings, tables and quotes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qualcode.analysis.quotes import Quote
from qualcode.reports.markdown import test_line
from qualcode.reports.model import Report
from qualcode.sanitise import map_strings, xml_safe

FIXED = datetime(2000, 1, 1)


def _table(document, headers: list[str], rows: list[list[object]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = str(header)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)
    document.add_paragraph()


def _quote(document, q: Quote) -> None:
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run(f"\u201c{q.text}\u201d")
    pick = "; coder's pick" if q.candidate else ""
    document.add_paragraph(f"{q.attribution}; {q.document_title}, characters {q.start}-{q.end}{pick}")


def render(report: Report, path: Path) -> None:
    from docx import Document  # deferred: only when a Word file is asked for

    report = map_strings(report, xml_safe)  # a project may already hold text XML cannot carry

    document = Document()
    core = document.core_properties
    core.author = core.last_modified_by = "qualcode"
    core.title = report.title
    core.created = core.modified = core.last_printed = FIXED
    core.revision = 1
    document.add_heading(report.title, level=0)
    for note in report.notes:
        document.add_paragraph(note)
    document.add_heading("Overview", level=1)
    _table(document, ["item", "value"], [list(p) for p in report.overview])
    _table(document, ["document kind", "documents"], [list(k) for k in report.kinds])
    document.add_heading("Codebook", level=1)
    _table(document, ["code", "valence", "definition", "excerpts", "participants"],
           [[r.path, "" if r.valence == "none" else r.valence, r.description, r.excerpts, r.participants]
            for r in report.codebook])
    document.add_heading("Themes", level=1)
    for s in report.themes:
        c = s.counts
        document.add_heading(s.path, level=2)
        if s.description:
            document.add_paragraph(s.description)
        document.add_paragraph(f"{c.excerpts} excerpts ({c.codings} codings) in {c.documents} documents from "
                               f"{c.participants} participants, coded by {c.coders} coder(s).")
        _table(document, ["document kind", "excerpts", "participants"], [[b.value, b.excerpts, b.participants] for b in c.by_kind])
        for key, rows in c.by_attribute.items():
            _table(document, [key, "excerpts", "participants"], [[b.value, b.excerpts, b.participants] for b in rows])
        if s.language and s.language.terms:
            document.add_paragraph("Distinctive terms: " + ", ".join(t.term for t in s.language.terms))
            if s.language.phrases:
                document.add_paragraph("Phrases: " + ", ".join(t.term for t in s.language.phrases))
        for q in s.quotes:
            _quote(document, q)
        if s.cooccurring:
            _table(document, ["co-occurring code", "overlaps", "Jaccard", "c-coefficient"],
                   [[o.path, o.count, f"{o.jaccard:.2f}", f"{o.c_coefficient:.2f}"] for o in s.cooccurring])
        for memo in s.memos:
            document.add_paragraph(f"Memo: {memo.text}")
    document.add_heading("Barriers and facilitators", level=1)
    for t in report.tallies:
        document.add_heading(f"{t.valence.capitalize()}s", level=2)
        document.add_paragraph(f"{t.excerpts} excerpts from {t.participants} participants.")
        _table(document, ["rank", "code", "excerpts", "participants", "documents"],
               [[i, r.path, r.excerpts, r.participants, r.documents] for i, r in enumerate(t.rows, start=1)])
        for r in t.rows:
            for q in r.quotes:
                document.add_paragraph(r.path)
                _quote(document, q)
    if report.matrix and report.matrix.rows:
        m = report.matrix
        document.add_heading(f"Constructs by {m.case} (excerpts)", level=2)
        _table(document, ["construct", *m.columns], [[r, *(v or "" for v in cells)] for r, cells in zip(m.rows, m.cells)])
    document.add_heading("Cross-tabulations", level=1)
    for result in report.crosstabs:
        document.add_heading(f"{result.rows_name} by {result.columns_name} ({result.unit})", level=2)
        rows = [[name, *result.counts[i], result.row_totals[i]] for i, name in enumerate(result.rows)]
        _table(document, [result.rows_name, *result.columns, "total"], rows + [["total", *result.column_totals, result.total]])
        document.add_paragraph(test_line(result))
    document.add_heading("Saturation", level=1)
    sat = report.saturation
    _table(document, ["documents", "count", "base codes", "saturation at", "note"],
           [[c.scope, len(c.steps), c.base_codes, c.saturation_at or "not reached", c.note] for c in (sat.overall, *sat.by_kind)])
    document.save(str(path))
