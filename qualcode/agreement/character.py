"""Character units straight to rating tables: one sweep per code, no characters-by-codes matrix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from qualcode.agreement.patterns import RatingTable, decode_keys
from qualcode.agreement.unitized import Continuum, merged_units
from qualcode.agreement.units import CodingArrays, index_of, coding_arrays
from qualcode.domain.models import Coding, Document


@dataclass(frozen=True, slots=True)
class CharacterTables:
    tables: list[RatingTable]
    n_units: int  # characters rated by two or more coders
    n_documents: int


def character_tables(
    codings: Sequence[Coding] | CodingArrays,
    documents: Sequence[Document],
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    assignments: Mapping[int, set[int]],
    exclude_uncoded: bool = False,
) -> CharacterTables:
    """Per-code RatingTables over characters, equal to tables built from ``character_units``.

    For each code the documents are cut only at that code's coding boundaries (and, with
    ``exclude_uncoded``, at the edges of text anyone coded); a coder covers a run when the running
    count of their open codings of the code is positive.
    """
    docs = sorted(documents, key=lambda d: d.id)
    continuum = Continuum.of([len(d.text) for d in docs])
    m = len(coder_ids)
    observed_doc = np.array([[d.id in assignments.get(k, ()) for k in coder_ids] for d in docs], dtype=bool)
    observed_doc = observed_doc.reshape(len(docs), m)
    arrays = coding_arrays(codings, code_ids, coder_ids)
    doc = index_of(arrays.document, [d.id for d in docs])
    keep = doc >= 0
    keep[keep] = observed_doc[doc[keep], arrays.coder[keep]]  # codings outside a coder's assignment do not count
    doc, code, coder = doc[keep], arrays.code[keep], arrays.coder[keep]
    start = continuum.offsets[doc] + np.clip(arrays.start[keep], 0, continuum.lengths[doc])
    end = continuum.offsets[doc] + np.clip(arrays.end[keep], 0, continuum.lengths[doc])
    edges = [continuum.offsets, continuum.offsets + continuum.lengths]
    covered = None
    if exclude_uncoded:
        covered = merged_units(start, end)
        edges += list(covered)
    order = np.argsort(code, kind="stable")
    code, coder, start, end = code[order], coder[order], start[order], end[order]
    bounds = np.searchsorted(code, np.arange(len(code_ids) + 1))
    powers = 3 ** np.arange(m, dtype=np.int64)
    tables = []
    for c in range(len(code_ids)):
        part = slice(bounds[c], bounds[c + 1])
        tables.append(_code_table(start[part], end[part], coder[part], edges, continuum, observed_doc, covered,
                                  powers))
    rated = observed_doc.sum(axis=1) >= 2
    if covered is not None:
        cov_doc = np.searchsorted(continuum.offsets, covered[0], side="right") - 1
        per_doc = np.bincount(cov_doc, weights=covered[1] - covered[0], minlength=len(docs))
    else:
        per_doc = continuum.lengths.astype(np.float64)
    return CharacterTables(tables, int(per_doc[rated].sum()), int((rated & (per_doc > 0)).sum()))


def _code_table(start, end, coder, edges, continuum: Continuum, observed_doc, covered, powers) -> RatingTable:
    m = len(powers)
    cuts = np.unique(np.concatenate([*edges, start, end]))
    run_start, run_end = cuts[:-1], cuts[1:]
    # open codings per coder at each cut: +1 where a coding starts, -1 where it ends
    delta = np.bincount(np.searchsorted(cuts, start) * m + coder, minlength=len(cuts) * m)
    delta = delta - np.bincount(np.searchsorted(cuts, end) * m + coder, minlength=len(cuts) * m)
    open_count = np.cumsum(delta.reshape(len(cuts), m), axis=0)[:-1]
    run_doc = np.searchsorted(continuum.offsets, run_start, side="right") - 1
    weights = (run_end - run_start).astype(np.float64)
    if covered is not None and len(covered[0]) == 0:
        weights = np.zeros_like(weights)
    elif covered is not None:
        inside = np.searchsorted(covered[1], run_start, side="right")
        in_covered = (inside < len(covered[0])) & (covered[0][np.minimum(inside, len(covered[0]) - 1)] <= run_start)
        weights = np.where(in_covered, weights, 0.0)
    digits = np.where(observed_doc[run_doc], (open_count > 0).astype(np.int64) + 1, 0)
    keys = digits @ powers
    if 3**m <= 1_000_000:
        counts = np.bincount(keys, weights=weights, minlength=3**m)
        present = np.flatnonzero(counts)
        return RatingTable(decode_keys(present, 2, m), counts[present], 2)
    unique, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse, weights=weights)
    present = counts > 0
    return RatingTable(decode_keys(unique[present], 2, m), counts[present], 2)
