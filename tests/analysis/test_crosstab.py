"""Cross-tabs on the fixture project (hand counts), chi-square guards, and a property over random attributes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.analysis.crosstab import chi_square, crosstab
from qualcode.analysis.dataset import Dataset
from qualcode.domain import Participant
from qualcode.errors import NotFound


def table(result):
    return {(r, c): result.counts[i][j] for i, r in enumerate(result.rows) for j, c in enumerate(result.columns)}


def test_attribute_by_attribute_counts_participants(ds):
    result = crosstab(ds, "attr:region", "setting")
    assert result.unit == "participants"
    assert result.rows == ("North", "South") and result.columns == ("ICB", "community", "hospice")
    assert result.counts == ((0, 1, 2), (1, 0, 1))
    assert result.row_percent[0] == (0.0, 33.3, 66.7)
    assert result.column_percent[1] == (100.0, 0.0, 33.3)
    assert result.total == 5 and result.excluded == 0
    assert result.test.statistic is None and "20%" in result.test.note and result.test.fisher_p is None


def test_survey_answers_skip_people_without_them_and_offer_fisher(ds):
    result = crosstab(ds, "attr:ambition", "attr:region")
    assert result.counts == ((0, 1), (1, 0)) and result.excluded == 3
    assert result.test.fisher_p == pytest.approx(1.0)
    assert "Fisher" in result.test.note


def test_code_by_kind_counts_excerpts(ds):
    result = crosstab(ds, "code:barriers", "kind")
    assert result.unit == "excerpts"
    assert result.columns == ("interview", "focus_group", "survey")
    assert result.counts == ((1, 1, 1), (0, 2, 1))
    flipped = crosstab(ds, "kind", "code:barriers")
    assert flipped.counts == ((1, 0), (1, 2), (1, 1))


def test_code_by_attribute_and_document(ds):
    by_role = table(crosstab(ds, "code:barriers", "role"))
    assert by_role["leadership", "manager"] == 1 and by_role["turnover", "nurse"] == 1
    by_doc = table(crosstab(ds, "code:barriers", "doc"))
    assert by_doc["turnover", "fg-1"] == 2 and by_doc["leadership", "Survey ID:101"] == 1


def test_code_by_code_has_no_test(ds):
    result = crosstab(ds, "code:barriers", "code:community")
    assert result.columns == ("site", "public")
    assert result.counts == ((1, 0), (1, 0))
    assert result.test is None and "no chi-square" in result.note


def test_kind_by_role_counts_participants_per_kind(ds):
    result = crosstab(ds, "kind", "role")
    cells = table(result)
    assert cells["interview", "manager"] == 1
    assert cells["focus_group", "manager"] == cells["focus_group", "nurse"] == cells["focus_group", "commissioner"] == 1
    assert result.excluded == 2
    assert crosstab(ds, "doc", "kind").total == 4


def test_unknown_dimension_is_a_clear_error(ds):
    with pytest.raises(NotFound, match="no participant attribute 'shoe'"):
        crosstab(ds, "attr:shoe", "kind")


def test_chi_square_by_hand_with_yates():
    result = chi_square(((30, 10), (10, 30)))
    # Expected 20 in every cell; Yates: 4 * (|30 - 20| - 0.5)^2 / 20 = 18.05.
    assert result.statistic == pytest.approx(18.05)
    assert result.dof == 1 and result.p_value < 0.001 and result.low_expected_share == 0.0


def test_chi_square_needs_two_rows_and_columns():
    assert chi_square(((3, 4), (0, 0))).statistic is None
    assert "two non-empty" in chi_square(((3, 4), (0, 0))).note


values = st.sampled_from(["a", "b", "c", ""])


@given(st.lists(st.tuples(values, values), min_size=1, max_size=30))
def test_property_totals_and_percentages(pairs):
    people = {
        i: Participant(i, f"P{i:02d}", attributes={k: v for k, v in (("x", x), ("y", y)) if v})
        for i, (x, y) in enumerate(pairs, start=1)
    }
    ds = Dataset(documents={}, codes=[], codings=[], participants=people, coders={}, segments={})
    if not {"x", "y"} <= set(ds.attribute_names()):
        return
    result = crosstab(ds, "x", "y")
    complete = sum(1 for x, y in pairs if x and y)
    assert result.total == complete and result.excluded == len(pairs) - complete
    assert sum(result.row_totals) == sum(result.column_totals) == complete
    for row, total in zip(result.row_percent, result.row_totals):
        if total:
            assert abs(sum(row) - 100.0) <= 0.1 * len(row)


def test_multi_select_answers_count_each_choice():
    people = {
        1: Participant(1, "ID:1", attributes={"needs": "Shared records, leadership", "region": "North"}),
        2: Participant(2, "ID:2", attributes={"needs": "leadership", "region": "South"}),
        3: Participant(3, "ID:3", attributes={"region": "South"}),
    }
    ds = Dataset(documents={}, codes=[], codings=[], participants=people, coders={}, segments={})
    result = crosstab(ds, "multi:needs", "region")
    assert result.rows == ("Shared records", "leadership")
    assert result.counts == ((1, 0), (1, 1))
    assert result.excluded == 1 and "more than one cell" in result.note


def test_cell_drilldown_gives_the_excerpts_behind_each_number(ds):
    from qualcode.analysis.drilldown import cell_excerpts

    turnover_fg = cell_excerpts(ds, "code:barriers", "kind", "turnover", "focus_group")
    assert sorted(ds.text(e) for e in turnover_fg) == [
        "Staff turnover means we lose the thread of every project.", "turnover made it worse in our community team"]
    assert [ds.text(e) for e in cell_excerpts(ds, "code:barriers", "code:community", "leadership", "site")] == [
        "Leadership was absent"]
    # North x hospice counts P01 and ID:102: every excerpt either of them said.
    people = cell_excerpts(ds, "attr:region", "setting", "North", "hospice")
    assert {ds.attribution(e) for e in people} == {"P01", "ID:102"} and len(people) == 4
    assert len(cell_excerpts(ds, "doc", "kind", "fg-1", "focus_group")) == 5
    with pytest.raises(NotFound):
        cell_excerpts(ds, "kind", "role", "interview", "astronaut")
