"""Vectorised unit builders equal a slow per-unit, per-code loop on random studies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from qualcode.agreement.units import (
    UnitKind,
    character_units,
    default_assignments,
    document_units,
    segment_units,
)
from qualcode.errors import InvalidInput
from tests.agreement.strategies import make_coding, make_documents, make_segments, studies


def slow_segment_presence(segments, codings, code_ids, coder_ids, min_overlap):
    segs = sorted((s for s in segments if s.end > s.start), key=lambda s: (s.document_id, s.start))
    out = np.zeros((len(code_ids), len(segs), len(coder_ids)), bool)
    for u, seg in enumerate(segs):
        for c in codings:
            if c.document_id != seg.document_id or c.code_id not in code_ids or c.coder_id not in coder_ids:
                continue
            overlap = min(c.end, seg.end) - max(c.start, seg.start)
            if overlap > 0 and overlap >= min_overlap * (seg.end - seg.start):
                out[code_ids.index(c.code_id), u, coder_ids.index(c.coder_id)] = True
    return out


@settings(max_examples=80, deadline=None)
@given(studies())
def test_segment_units_match_slow_loop(study):
    documents, segments, codings, code_ids, coder_ids, assignments = study
    for min_overlap in (0.0, 0.5, 1.0):
        table = segment_units(codings, segments, code_ids, coder_ids, assignments, min_overlap)
        assert table.kind is UnitKind.SEGMENT
        assert np.array_equal(table.presence, slow_segment_presence(segments, codings, code_ids, coder_ids, min_overlap))
        for u in range(len(table.weights)):
            for k, coder in enumerate(coder_ids):
                assert table.observed[u, k] == (int(table.unit_document[u]) in assignments[coder])


@settings(max_examples=80, deadline=None)
@given(studies())
def test_character_units_match_per_character_loop(study):
    documents, _, codings, code_ids, coder_ids, assignments = study
    table = character_units(codings, documents, code_ids, coder_ids, assignments)
    # expand runs back into characters and compare with direct per-character coverage
    expected_rows, got_rows = [], []
    for doc in sorted(documents, key=lambda d: d.id):
        for pos in range(len(doc.text)):
            row = np.zeros((len(code_ids), len(coder_ids)), bool)
            for c in codings:
                if c.document_id == doc.id and c.start <= pos < c.end and c.code_id in code_ids:
                    row[code_ids.index(c.code_id), coder_ids.index(c.coder_id)] = True
            expected_rows.append(row)
    for u in range(len(table.weights)):
        got_rows.extend([table.presence[:, u, :]] * int(table.weights[u]))
    assert table.n_units == sum(len(d.text) for d in documents)
    assert np.array_equal(np.array(got_rows), np.array(expected_rows))


@settings(max_examples=40, deadline=None)
@given(studies())
def test_character_units_exclude_uncoded_keeps_only_coded_text(study):
    documents, _, codings, code_ids, coder_ids, assignments = study
    table = character_units(codings, documents, code_ids, coder_ids, assignments, exclude_uncoded=True)
    assert table.presence.any(axis=(0, 2)).all()
    covered = set()
    for c in codings:
        if c.document_id in assignments[c.coder_id]:  # codings outside a coder's assignment do not count
            covered.update((c.document_id, p) for p in range(c.start, c.end))
    assert table.n_units == len(covered)


@settings(max_examples=60, deadline=None)
@given(studies())
def test_document_units_mark_any_use_of_a_code(study):
    documents, _, codings, code_ids, coder_ids, assignments = study
    table = document_units(codings, documents, code_ids, coder_ids, assignments)
    for u, doc_id in enumerate(table.unit_document):
        for ci, code in enumerate(code_ids):
            for k, coder in enumerate(coder_ids):
                used = any(c.document_id == doc_id and c.code_id == code and c.coder_id == coder and c.end > c.start
                           for c in codings)
                assert table.presence[ci, u, k] == used


def test_unassigned_unit_is_missing_not_absent():
    documents = make_documents([20, 20])
    segments = make_segments(documents, [[10], [10]])
    codings = [make_coding(1, 10, 0, 5, 100, 1), make_coding(2, 10, 0, 5, 100, 2), make_coding(3, 11, 0, 5, 100, 1)]
    table = segment_units(codings, segments, [100], [1, 2], default_assignments(codings))
    values = table.values(0)
    # coder 2 never worked on document 11: its two segments are missing for coder 2, not "not coded"
    assert values[:, 1].tolist() == [1, 0, -1, -1]
    assert values[:, 0].tolist() == [1, 0, 1, 0]


def test_min_overlap_threshold_and_bad_values():
    documents = make_documents([100])
    segments = make_segments(documents, [[50]])
    codings = [make_coding(1, 10, 40, 60, 100, 1)]
    any_overlap = segment_units(codings, segments, [100], [1], {1: {10}}, 0.0)
    assert any_overlap.presence[0, :, 0].tolist() == [True, True]
    strict = segment_units(codings, segments, [100], [1], {1: {10}}, 0.25)
    assert strict.presence[0, :, 0].tolist() == [False, False]
    with pytest.raises(InvalidInput):
        segment_units(codings, segments, [100], [1], {1: {10}}, 1.5)


def test_overlapping_segments_are_refused():
    documents = make_documents([100])
    segments = make_segments(documents, [[50]]) + make_segments(documents, [[30]])
    with pytest.raises(InvalidInput, match="overlap"):
        segment_units([], segments, [100], [1], {1: {10}})


def _as_dict(table):
    return {tuple(row): w for row, w in zip(table.values.tolist(), table.weights.tolist()) if w > 0}


@settings(max_examples=80, deadline=None)
@given(studies())
def test_character_sweep_tables_equal_dense_character_units(study):
    from qualcode.agreement.character import character_tables
    from qualcode.agreement.measures import code_tables

    documents, _, codings, code_ids, coder_ids, assignments = study
    for exclude in (False, True):
        dense = character_units(codings, documents, code_ids, coder_ids, assignments, exclude_uncoded=exclude)
        swept = character_tables(codings, documents, code_ids, coder_ids, assignments, exclude_uncoded=exclude)
        for expected, got in zip(code_tables(dense), swept.tables):
            assert _as_dict(got) == _as_dict(expected)
        rated = dense.observed.sum(axis=1) >= 2
        assert swept.n_units == int(dense.weights[rated].sum())
        assert swept.n_documents == len(np.unique(dense.unit_document[rated]))
