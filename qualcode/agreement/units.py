"""Presence matrices (code x unit x coder) for segment, character and document units, built with numpy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter

import numpy as np

from qualcode.domain.models import Coding, Document, Segment
from qualcode.errors import InvalidInput


class UnitKind(StrEnum):
    SEGMENT = "segment"
    CHARACTER = "character"
    DOCUMENT = "document"
    UNITIZED = "unitized"


@dataclass(frozen=True, slots=True)
class CodingArrays:
    """Codings as parallel arrays: raw ids from raw_arrays, positions in the selection from coding_arrays."""

    document: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    coder: np.ndarray

    def __len__(self) -> int:
        return len(self.document)


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Who applied which code to which unit: presence[c, u, k]; observed[u, k] is False where coder k
    was not assigned unit u (a missing rating, not an absence). weights[u] is 1 per unit, or the number
    of characters for character units."""

    kind: UnitKind
    code_ids: tuple[int, ...]
    coder_ids: tuple[int, ...]
    presence: np.ndarray  # (codes, units, coders) bool
    observed: np.ndarray  # (units, coders) bool
    weights: np.ndarray  # (units,) int64
    unit_document: np.ndarray  # (units,) int64
    unit_start: np.ndarray
    unit_end: np.ndarray
    unit_segment: np.ndarray | None = None  # segment ids for segment units
    notes: tuple[str, ...] = field(default=())

    @property
    def n_units(self) -> int:
        return int(self.weights.sum())

    def values(self, code_index: int) -> np.ndarray:
        """units x coders matrix for one code: 1 applied, 0 not applied, -1 missing."""
        return np.where(self.observed, self.presence[code_index].astype(np.int8), np.int8(-1))


def raw_arrays(codings: Sequence[Coding] | CodingArrays) -> CodingArrays:
    """All codings as arrays of ids (code and coder ids, not yet indices); one C-level pass per field."""
    if isinstance(codings, CodingArrays):
        return codings
    n = len(codings)
    fields = ("document_id", "start", "end", "code_id", "coder_id")
    return CodingArrays(*(np.fromiter(map(attrgetter(f), codings), np.int64, n) for f in fields))


def coding_arrays(
    codings: Sequence[Coding] | CodingArrays, code_ids: Sequence[int], coder_ids: Sequence[int]
) -> CodingArrays:
    """Codings restricted to the selected codes and coders, with code and coder as positions in those lists."""
    raw = raw_arrays(codings)
    code = index_of(raw.code, code_ids)
    coder = index_of(raw.coder, coder_ids)
    keep = (code >= 0) & (coder >= 0) & (raw.end > raw.start)
    return CodingArrays(raw.document[keep], raw.start[keep], raw.end[keep], code[keep], coder[keep])


def index_of(values: np.ndarray, ids: Sequence[int]) -> np.ndarray:
    """Position of each value in ids, -1 where absent."""
    ids_arr = np.asarray(ids, dtype=np.int64)
    if len(ids_arr) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    order = np.argsort(ids_arr)
    sorted_ids = ids_arr[order]
    pos = np.clip(np.searchsorted(sorted_ids, values), 0, len(ids_arr) - 1)
    return np.where(sorted_ids[pos] == values, order[pos], -1)


def default_assignments(codings: Sequence[Coding] | CodingArrays) -> dict[int, set[int]]:
    """Each coder was assigned the documents in which they made at least one coding (of any code)."""
    raw = raw_arrays(codings)
    assigned: dict[int, set[int]] = {}
    if not len(raw):
        return assigned
    low = raw.document.min()
    stride = int(raw.document.max() - low) + 1
    keys = np.unique((raw.coder - raw.coder.min()) * stride + (raw.document - low))
    coders = keys // stride + raw.coder.min()
    documents = keys % stride + low
    for coder, document in zip(coders.tolist(), documents.tolist()):
        assigned.setdefault(coder, set()).add(document)
    return assigned


def _observed(unit_document: np.ndarray, coder_ids: Sequence[int], assignments: Mapping[int, set[int]]) -> np.ndarray:
    columns = [np.isin(unit_document, np.fromiter(assignments.get(k, ()), np.int64)) for k in coder_ids]
    return np.column_stack(columns) if columns else np.zeros((len(unit_document), 0), bool)


def _spread(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each i, the integers lo[i]..hi[i]-1; returns (owner index, value) pairs, without Python loops."""
    counts = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, lo[owner] + offsets


def _doc_key(doc: np.ndarray, pos: np.ndarray, doc_ids: np.ndarray, stride: int) -> np.ndarray:
    """Document rank and position folded into one sortable int64, so one searchsorted serves all documents."""
    rank = np.searchsorted(doc_ids, doc)
    return rank.astype(np.int64) * stride + pos


def _scatter(n_codes: int, n_units: int, n_coders: int, arrays: CodingArrays, owner, unit) -> np.ndarray:
    presence = np.zeros((n_codes, n_units, n_coders), dtype=bool)
    presence[arrays.code[owner], unit, arrays.coder[owner]] = True
    return presence


def segment_units(
    codings: Sequence[Coding] | CodingArrays,
    segments: Sequence[Segment],
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    assignments: Mapping[int, set[int]],
    min_overlap: float = 0.0,
    segment_assignments: Mapping[int, set[int]] | None = None,
) -> UnitTable:
    """A coder applied code C to a segment when one coding of C overlaps it by more than zero characters
    and by at least ``min_overlap`` of the segment's length (MAXQDA-style threshold; 0 = any overlap).

    ``segment_assignments`` (coder id -> segment ids), when given, says which segments each coder was
    asked to code, for samples drawn within documents (for example some answers of one survey)."""
    if not 0.0 <= min_overlap <= 1.0:
        raise InvalidInput(f"min_overlap must be between 0 and 1, got {min_overlap}")
    segs = sorted((s for s in segments if s.end > s.start and s.document_id is not None),
                  key=lambda s: (s.document_id, s.start))
    seg_doc = np.fromiter((s.document_id for s in segs), np.int64, len(segs))
    seg_start = np.fromiter((s.start for s in segs), np.int64, len(segs))
    seg_end = np.fromiter((s.end for s in segs), np.int64, len(segs))
    seg_id = np.fromiter((s.id if s.id is not None else -1 for s in segs), np.int64, len(segs))
    arrays = coding_arrays(codings, code_ids, coder_ids)
    doc_ids = np.unique(seg_doc)
    stride = int(max(seg_end.max(initial=0), arrays.end.max(initial=0))) + 1
    start_key = _doc_key(seg_doc, seg_start, doc_ids, stride)
    end_key = _doc_key(seg_doc, seg_end, doc_ids, stride)
    if len(segs) > 1 and np.any(start_key[1:] < end_key[:-1]):
        raise InvalidInput("segments overlap within a document; segment units need non-overlapping segments")
    in_scope = np.isin(arrays.document, doc_ids)
    arrays = CodingArrays(*(a[in_scope] for a in (arrays.document, arrays.start, arrays.end, arrays.code, arrays.coder)))
    c_start = _doc_key(arrays.document, arrays.start, doc_ids, stride)
    c_end = _doc_key(arrays.document, arrays.end, doc_ids, stride)
    # segments are sorted and disjoint, so the ones a coding touches form one contiguous run
    lo = np.searchsorted(end_key, c_start, side="right")
    hi = np.searchsorted(start_key, c_end, side="left")
    owner, unit = _spread(lo, hi)
    overlap = np.minimum(c_end[owner], end_key[unit]) - np.maximum(c_start[owner], start_key[unit])
    length = end_key[unit] - start_key[unit]
    keep = (overlap > 0) & (overlap >= min_overlap * length)
    presence = _scatter(len(code_ids), len(segs), len(coder_ids), arrays, owner[keep], unit[keep])
    notes = ()
    if min_overlap > 0:
        notes = (f"a code counts as applied to a segment when one coding covers at least {min_overlap:.0%} of it",)
    if segment_assignments is not None:
        observed = _observed(seg_id, coder_ids, segment_assignments)
        notes += ("coders were assigned individual segments; segments a coder was not assigned are missing",)
    else:
        observed = _observed(seg_doc, coder_ids, assignments)
    return UnitTable(
        UnitKind.SEGMENT, tuple(code_ids), tuple(coder_ids), presence, observed, np.ones(len(segs), np.int64),
        seg_doc, seg_start, seg_end, seg_id, notes,
    )


def document_units(
    codings: Sequence[Coding] | CodingArrays,
    documents: Sequence[Document],
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    assignments: Mapping[int, set[int]],
) -> UnitTable:
    """Each document is one unit; a code is present for a coder when they applied it anywhere in it."""
    doc_ids = np.array(sorted({d.id for d in documents}), dtype=np.int64)
    lengths = {d.id: len(d.text) for d in documents}
    arrays = coding_arrays(codings, code_ids, coder_ids)
    unit = index_of(arrays.document, doc_ids)
    owner = np.flatnonzero(unit >= 0)
    presence = _scatter(len(code_ids), len(doc_ids), len(coder_ids), arrays, owner, unit[owner])
    ends = np.array([lengths[int(d)] for d in doc_ids], dtype=np.int64)
    return UnitTable(
        UnitKind.DOCUMENT, tuple(code_ids), tuple(coder_ids), presence,
        _observed(doc_ids, coder_ids, assignments), np.ones(len(doc_ids), np.int64),
        doc_ids, np.zeros(len(doc_ids), np.int64), ends,
    )


def character_units(
    codings: Sequence[Coding] | CodingArrays,
    documents: Sequence[Document],
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    assignments: Mapping[int, set[int]],
    exclude_uncoded: bool = False,
) -> UnitTable:
    """Every character is a unit (NVivo-style). Characters are grouped into runs that every coding
    covers either wholly or not at all, and each run carries its length as weight, so the result is
    exactly the per-character computation at a fraction of the size."""
    docs = sorted(documents, key=lambda d: d.id)
    doc_ids = np.array([d.id for d in docs], dtype=np.int64)
    doc_len = np.array([len(d.text) for d in docs], dtype=np.int64)
    arrays = coding_arrays(codings, code_ids, coder_ids)
    in_scope = np.isin(arrays.document, doc_ids)
    doc_of = np.searchsorted(doc_ids, arrays.document[in_scope])
    start = np.clip(arrays.start[in_scope], 0, doc_len[doc_of])
    end = np.clip(arrays.end[in_scope], 0, doc_len[doc_of])
    arrays = CodingArrays(arrays.document[in_scope], start, end, arrays.code[in_scope], arrays.coder[in_scope])
    stride = int(doc_len.max(initial=0)) + 1
    bounds = np.unique(np.concatenate([
        np.arange(len(docs), dtype=np.int64) * stride,
        np.arange(len(docs), dtype=np.int64) * stride + doc_len,
        doc_of * stride + start,
        doc_of * stride + end,
    ]))
    run_start, run_end = bounds[:-1], bounds[1:]
    run_rank = run_start // stride
    inside = run_end <= run_rank * stride + doc_len[np.minimum(run_rank, len(docs) - 1)]
    run_start, run_end = run_start[inside], run_end[inside]
    c_start, c_end = doc_of * stride + start, doc_of * stride + end
    lo = np.searchsorted(run_start, c_start, side="left")
    hi = np.searchsorted(run_end, c_end, side="right")
    owner, unit = _spread(lo, hi)
    presence = _scatter(len(code_ids), len(run_start), len(coder_ids), arrays, owner, unit)
    run_doc = doc_ids[run_start // stride]
    observed = _observed(run_doc, coder_ids, assignments)
    if exclude_uncoded:
        coded = (presence & observed[None, :, :]).any(axis=(0, 2))
        presence, observed = presence[:, coded], observed[coded]
        run_start, run_end, run_doc = run_start[coded], run_end[coded], run_doc[coded]
    return UnitTable(
        UnitKind.CHARACTER, tuple(code_ids), tuple(coder_ids), presence, observed, run_end - run_start,
        run_doc, run_start % stride, run_end - (run_start // stride) * stride, None, character_notes(exclude_uncoded),
    )


def character_notes(exclude_uncoded: bool) -> tuple[str, ...]:
    notes = (
        "each character is a unit; runs of characters coded alike are weighted by their length",
        "bootstrap intervals resample characters, which are not independent of their neighbours: read them as "
        "optimistic",
    )
    if exclude_uncoded:
        notes += ("text that no coder coded with any of the selected codes is left out",)
    return notes
