"""Saturation after Guest, Namey & Chen (2020) on a worked example computed by hand, and on the fixture."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.analysis.saturation import collection_order, curve, saturation
from qualcode.errors import InvalidInput, NotFound

# Ten interviews; the first four hold codes c1..c10 (base = 10 codes).
WORKED = [
    {"c1", "c2", "c3", "c4"}, {"c3", "c4", "c5", "c6"}, {"c7", "c8"}, {"c1", "c9", "c10"},
    {"c11"}, {"c1", "c2"}, {"c12"}, {"c3"}, {"c4"}, {"c13"},
]
SEQUENCE = [(f"I{i}", "interview", codes) for i, codes in enumerate(WORKED, start=1)]


def test_worked_example_by_hand():
    # New per interview: 4 2 2 2 | 1 0 1 0 0 1. Runs of two against a base of 10 codes:
    # 5-6: 1 (10%), 6-7: 1 (10%), 7-8: 1 (10%), 8-9: 0 (0%) -> saturation at interview 9.
    result = curve(SEQUENCE)
    assert [s.new_codes for s in result.steps] == [4, 2, 2, 2, 1, 0, 1, 0, 0, 1]
    assert result.base_codes == 10
    assert [(r.first, r.last, r.new_codes, r.new_share) for r in result.runs] == [
        (5, 6, 1, 0.1), (6, 7, 1, 0.1), (7, 8, 1, 0.1), (8, 9, 0, 0.0), (9, 10, 1, 0.1)]
    assert result.saturation_at == 9


def test_worked_example_other_settings():
    # Runs of three: 5-7: 2 (20%), 6-8: 1, 7-9: 1, 8-10: 1 (10% each): never at or under 5%.
    longer = curve(SEQUENCE, run_length=3)
    assert [r.new_codes for r in longer.runs] == [2, 1, 1, 1]
    assert longer.saturation_at is None and "never fell" in longer.note
    # A 10% threshold is met by the first run already (10% is at the threshold).
    assert curve(SEQUENCE, threshold=0.10).saturation_at == 6
    # A base of six holds c1..c10 too; runs 7-8: 1, 8-9: 0 -> saturation at 9.
    assert curve(SEQUENCE, base_size=6).saturation_at == 9


def test_too_few_documents_and_bad_settings():
    short = curve(SEQUENCE[:5])
    assert short.runs == () and short.saturation_at is None and "at least" in short.note
    with pytest.raises(InvalidInput):
        curve(SEQUENCE, threshold=5)
    with pytest.raises(InvalidInput):
        curve(SEQUENCE, base_size=0)


@given(st.lists(st.sets(st.integers(0, 15), max_size=5), min_size=0, max_size=25), st.integers(1, 5), st.integers(1, 3))
def test_property_new_codes_add_up(docs, base, run):
    result = curve([(str(i), "interview", d) for i, d in enumerate(docs)], base_size=base, run_length=run)
    assert sum(s.new_codes for s in result.steps) == len(set().union(*docs)) if docs else result.steps == ()
    for r in result.runs:
        assert r.new_codes == sum(s.new_codes for s in result.steps[r.first - 1 : r.last])
    if result.saturation_at is not None:
        assert any(r.last == result.saturation_at and r.new_share <= 0.05 for r in result.runs)


def test_fixture_order_and_per_kind(ds):
    # Dated documents first by date (int-1 before fg-1), then undated ones in import order.
    assert [ds.documents[i].title for i in collection_order(ds)] == ["int-1", "fg-1", "Survey ID:101", "Survey ID:102"]
    result = saturation(ds, base_size=1, run_length=1)
    # int-1: leadership, champions (2 new); fg-1: turnover, leadership, site -> 2 new; surveys: 0 new.
    assert [s.new_codes for s in result.overall.steps] == [2, 2, 0, 0]
    assert [(r.first, r.new_codes, r.new_share) for r in result.overall.runs] == [(2, 2, 1.0), (3, 0, 0.0), (4, 0, 0.0)]
    assert result.overall.saturation_at == 3
    assert [c.scope for c in result.by_kind] == ["interview", "focus_group", "survey"]
    chosen = saturation(ds, base_size=1, run_length=1, order="Survey ID:102,fg-1", code="barriers")
    assert [s.title for s in chosen.overall.steps] == ["Survey ID:102", "fg-1"]
    assert [s.new_codes for s in chosen.overall.steps] == [1, 1]
    with pytest.raises(NotFound):
        saturation(ds, order="nope")
