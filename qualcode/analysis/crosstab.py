"""Cross-tabulations: attribute x attribute, code x attribute/document/kind, code x code, with chi-square.

Units: two participant-level dimensions count participants (a survey's closed answers); a code
dimension counts excerpts (an excerpt falls in every category it belongs to); code x code counts
overlapping excerpt pairs; a document or kind against an attribute counts participants per document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qualcode.analysis.cooccurrence import SpanIndex, pair_count
from qualcode.analysis.dataset import NO_VALUE, Dataset
from qualcode.analysis.grouping import grouping
from qualcode.errors import InvalidInput

DIMENSION_HELP = "attr:NAME (or a bare attribute such as role), multi:NAME (comma-separated choices), code:PARENT, doc, kind"


@dataclass(frozen=True, slots=True)
class Dimension:
    kind: str  # "attr" | "multi" | "code" | "doc" | "kind"
    name: str
    categories: tuple[str, ...]
    code_ids: tuple[frozenset[int], ...] = ()


@dataclass(frozen=True, slots=True)
class ChiSquare:
    """Pearson's chi-square (scipy.stats.chi2_contingency), or why the table does not support one."""

    statistic: float | None
    dof: int | None
    p_value: float | None
    low_expected_share: float | None
    fisher_p: float | None
    note: str


@dataclass(frozen=True, slots=True)
class CrossTab:
    rows_name: str
    columns_name: str
    unit: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    row_percent: tuple[tuple[float, ...], ...]
    column_percent: tuple[tuple[float, ...], ...]
    excluded: int
    test: ChiSquare | None
    note: str = ""


def dimension(ds: Dataset, spec: str) -> Dimension:
    text = spec.strip()
    lower = text.lower()
    if lower in ("doc", "docs", "document", "documents"):
        return Dimension("doc", "document", tuple(d.title for d in ds.documents.values()))
    if lower == "kind":
        return Dimension("kind", "kind", tuple(ds.kinds()))
    if lower.startswith("code:"):
        parent = ds.resolve_code(text[5:])
        children = ds.children(parent.id) or [parent]
        return Dimension("code", parent.path, tuple(c.name if c is not parent else c.path for c in children),
                         tuple(ds.subtree(c.id) for c in children))
    kind = "attr"
    if lower.startswith(("attr:", "multi:")):
        kind, text = text.split(":", 1)
        kind = kind.lower()
    if not text:
        raise InvalidInput(f"empty cross-tab dimension; use {DIMENSION_HELP}")
    key = ds.attribute_key(text)
    values = {ds.attribute(p, key) for p in ds.participants} - {NO_VALUE}
    if kind == "multi":
        values = {choice for value in values for choice in _choices(value)}
    return Dimension(kind, key, tuple(sorted(values)))


def _choices(value: str) -> list[str]:
    """The options ticked in a multi-select answer ("Shared records, 24/7 access")."""
    return [part.strip() for part in value.split(",") if part.strip()]


def grouping_spec(dim: Dimension) -> str:
    return {"doc": "doc", "kind": "kind"}.get(dim.kind, f"attr:{dim.name}")


def participant_documents(ds: Dataset) -> dict[int, set[int]]:
    docs: dict[int, set[int]] = defaultdict(set)
    for doc_id, segs in ds.segments.items():
        for seg in segs:
            if seg.participant_id is not None:
                docs[seg.participant_id].add(doc_id)
    for doc_id, people in ds.document_participants.items():
        for person in people:
            docs[person].add(doc_id)
    return docs


def participant_values(ds: Dataset, dim: Dimension, person: int, docs: dict[int, set[int]]) -> list[str]:
    if dim.kind in ("attr", "multi"):
        value = ds.attribute(person, dim.name)
        if value == NO_VALUE:
            return []
        return _choices(value) if dim.kind == "multi" else [value]
    titles = [ds.documents[d] for d in sorted(docs.get(person, ()))]
    if dim.kind == "doc":
        return [d.title for d in titles]
    return sorted({str(d.kind) for d in titles})


def crosstab(ds: Dataset, rows_spec: str, columns_spec: str) -> CrossTab:
    rows, cols = dimension(ds, rows_spec), dimension(ds, columns_spec)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    excluded, note = 0, ""
    if rows.kind == "code" and cols.kind == "code":
        unit = "overlapping excerpt pairs"
        indexes = [SpanIndex(ds.excerpts_of(ids)) for ids in cols.code_ids]
        for r, ids in zip(rows.categories, rows.code_ids):
            spans = list(ds.excerpts_of(ids))
            for c, index in zip(cols.categories, indexes):
                cells[r, c] = pair_count(spans, index)
        note = "code x code cells count overlapping excerpt pairs; no chi-square test applies"
    elif "code" in (rows.kind, cols.kind):
        unit = "excerpts"
        code_dim, other = (rows, cols) if rows.kind == "code" else (cols, rows)
        if other.kind == "multi":
            raise InvalidInput("multi:NAME pairs with participant attributes only; use attr:NAME against codes")
        split = grouping(ds, grouping_spec(other))
        for category, ids in zip(code_dim.categories, code_dim.code_ids):
            for excerpt in ds.excerpts_of(ids):
                values = [v for v in split.values(excerpt) if v in other.categories]
                excluded += not values
                for value in values:
                    key = (category, value) if code_dim is rows else (value, category)
                    cells[key] += 1
        note = "an excerpt counts in every category it falls in, so the test is descriptive only"
    elif {rows.kind, cols.kind} <= {"doc", "kind"}:
        unit = "documents"
        for doc in ds.documents.values():
            values = {"doc": doc.title, "kind": str(doc.kind)}
            cells[values[rows.kind], values[cols.kind]] += 1
    else:
        unit = "participants"
        docs, exclusive = participant_documents(ds), True
        for person in ds.participants:
            r_values = participant_values(ds, rows, person, docs)
            c_values = participant_values(ds, cols, person, docs)
            excluded += not (r_values and c_values)
            if len(r_values) > 1 or len(c_values) > 1:
                exclusive = False
            for r in r_values:
                for c in c_values:
                    cells[r, c] += 1
        if not exclusive:
            note = "some participants count in more than one cell, so the test is descriptive only"
    return _table(rows, cols, cells, unit, excluded, note)


def _table(rows, cols, cells, unit, excluded, note) -> CrossTab:
    counts = tuple(tuple(cells.get((r, c), 0) for c in cols.categories) for r in rows.categories)
    row_totals = tuple(sum(r) for r in counts)
    col_totals = tuple(sum(col) for col in zip(*counts)) if counts else tuple(0 for _ in cols.categories)
    total = sum(row_totals)

    def pct(value: int, whole: int) -> float:
        return round(100.0 * value / whole, 1) if whole else 0.0

    code_pairs = rows.kind == "code" and cols.kind == "code"
    return CrossTab(
        rows_name=rows.name if rows.kind != "code" else f"code:{rows.name}",
        columns_name=cols.name if cols.kind != "code" else f"code:{cols.name}",
        unit=unit,
        rows=rows.categories,
        columns=cols.categories,
        counts=counts,
        row_totals=row_totals,
        column_totals=col_totals,
        total=total,
        row_percent=tuple(tuple(pct(v, row_totals[i]) for v in r) for i, r in enumerate(counts)),
        column_percent=tuple(tuple(pct(v, col_totals[j]) for j, v in enumerate(r)) for r in counts),
        excluded=excluded,
        test=None if code_pairs else chi_square(counts),
        note=note,
    )


def chi_square(counts: tuple[tuple[int, ...], ...]) -> ChiSquare:
    """Chi-square where the table supports it; else say why, with Fisher's exact test for a 2x2 table."""
    import numpy as np
    from scipy.stats import chi2_contingency, fisher_exact  # deferred: scipy.stats is ~0.3 s

    table = np.array(counts, dtype=float) if counts else np.zeros((0, 0))
    if table.size:
        table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.ndim != 2 or table.shape[0] < 2 or table.shape[1] < 2:
        return ChiSquare(None, None, None, None, None, "a chi-square test needs at least two non-empty rows and columns")
    statistic, p_value, dof, expected = chi2_contingency(table)
    low = float((expected < 5).mean())
    fisher = float(fisher_exact(table.astype(int))[1]) if table.shape == (2, 2) else None
    if low > 0.2:
        advice = f"; Fisher's exact test p = {fisher:.4g}" if fisher is not None else "; merge categories or collect more data"
        return ChiSquare(None, int(dof), None, round(low, 3), fisher,
                         f"expected counts below 5 in {low:.0%} of cells (more than 20%): chi-square not reliable{advice}")
    note = "Yates' continuity correction applied (2x2 table)" if table.shape == (2, 2) else ""
    return ChiSquare(round(float(statistic), 4), int(dof), float(p_value), round(low, 3), fisher, note)
