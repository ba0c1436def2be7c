"""The excerpts behind one cell of a cross-tab, so every number can be read as quotes."""

from __future__ import annotations

from qualcode.analysis.cooccurrence import SpanIndex
from qualcode.analysis.crosstab import grouping_spec, participant_documents, participant_values, dimension
from qualcode.analysis.dataset import Dataset, Excerpt
from qualcode.analysis.grouping import grouping
from qualcode.domain import Coding
from qualcode.errors import NotFound


def cell_excerpts(ds: Dataset, rows_spec: str, columns_spec: str, row: str, column: str) -> dict[Excerpt, list[Coding]]:
    """Coded excerpts behind cell (row, column), in the unit the table counts.

    Code cells give the code's excerpts in that category (or overlapping the other code); document
    cells give the documents' excerpts; participant cells give every excerpt of the participants counted.
    """
    rows, cols = dimension(ds, rows_spec), dimension(ds, columns_spec)
    if row not in rows.categories:
        raise NotFound(f"no row '{row}' in {rows.name}")
    if column not in cols.categories:
        raise NotFound(f"no column '{column}' in {cols.name}")
    everything = ds.excerpts_of([c.id for c in ds.codes])
    if rows.kind == "code" and cols.kind == "code":
        index = SpanIndex(ds.excerpts_of(cols.code_ids[cols.categories.index(column)]))
        spans = ds.excerpts_of(rows.code_ids[rows.categories.index(row)])
        return {e: c for e, c in spans.items() if index.overlapping(e)}
    if "code" in (rows.kind, cols.kind):
        code_dim, other, category, value = (rows, cols, row, column) if rows.kind == "code" else (cols, rows, column, row)
        split = grouping(ds, grouping_spec(other))
        spans = ds.excerpts_of(code_dim.code_ids[code_dim.categories.index(category)])
        return {e: c for e, c in spans.items() if value in split.values(e)}
    if {rows.kind, cols.kind} <= {"doc", "kind"}:
        wanted = {rows.kind: row, cols.kind: column}
        docs = {d.id for d in ds.documents.values()
                if wanted.get("doc", d.title) == d.title and wanted.get("kind", str(d.kind)) == str(d.kind)}
        return {e: c for e, c in everything.items() if e.document_id in docs}
    docs = participant_documents(ds)
    people = {
        p for p in ds.participants
        if row in participant_values(ds, rows, p, docs) and column in participant_values(ds, cols, p, docs)
    }
    return {e: c for e, c in everything.items() if people.intersection(ds.excerpt_participants(e))}
