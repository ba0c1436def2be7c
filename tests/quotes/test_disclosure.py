"""Attribution labels and the k check: warn below k, coarsen the most identifying attribute first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.errors import InvalidInput
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.disclosure import GENERIC, Profile, check, matching, parse_attributes
from qualcode.quotes.model import BankSettings

TEAM = [
    Profile(1, "P01", "commissioner", frozenset({"focus group"}), {"region": "North"}),
    Profile(2, "P02", "commissioner", frozenset({"focus group", "interview"}), {"region": "North"}),
    Profile(3, "P03", "commissioner", frozenset({"focus group"}), {"region": "South"}),
    Profile(4, "P04", "chaplain", frozenset({"interview"}), {"region": "North"}),
    Profile(5, "P05", "commissioner", frozenset({"interview"}), {"region": "East"}),
]


def test_a_label_that_fits_k_people_is_kept():
    verdict = check(TEAM[0], "focus_group", ("role", "kind"), TEAM, k=3)
    assert verdict.label == verdict.requested == "P01, commissioner, focus group"
    assert verdict.matching == 3 and not verdict.risky


def test_below_k_the_most_identifying_attribute_goes_first():
    verdict = check(TEAM[0], "focus_group", ("role", "kind", "region"), TEAM, k=3)
    assert verdict.risky and verdict.requested == "P01, commissioner, focus group, North"
    # Dropping region lets 3 fit; dropping role or kind would let only 2.
    assert verdict.dropped == ("region",)
    assert verdict.label == "P01, commissioner, focus group"
    assert "fewer than k=3" in verdict.warning() and "coarser label" in verdict.warning()


def test_coarsening_can_end_at_the_label_or_study_participant():
    chaplain = check(TEAM[3], "interview", ("role", "region"), TEAM, k=3)
    assert chaplain.label == "P04, North" and chaplain.dropped == ("role",)
    eastern = check(TEAM[4], "interview", ("region",), TEAM, k=2)
    assert eastern.label == "P05" and eastern.dropped == ("region",)
    assert check(TEAM[3], "interview", ("role",), TEAM[3:], k=3).label == GENERIC


def test_without_coarsening_the_label_stays_but_is_flagged():
    verdict = check(TEAM[3], "interview", ("role",), TEAM, k=3, coarsen=False)
    assert verdict.label == "P04, chaplain" and verdict.risky


def test_no_participant_means_study_participant():
    assert check(None, "interview", ("role",), TEAM, k=3).label == GENERIC


def test_attribute_lists():
    assert parse_attributes("role, kind,label,region,role") == ("role", "kind", "region")
    with pytest.raises(InvalidInput):
        parse_attributes("role;drop table")
    with pytest.raises(InvalidInput):
        check(TEAM[0], None, (), TEAM, k=0)


profiles = st.lists(
    st.builds(
        Profile,
        id=st.integers(0, 10_000),
        label=st.sampled_from(["P01", "P02", "P03"]),
        role=st.sampled_from(["nurse", "manager", None]),
        kinds=st.frozensets(st.sampled_from(["interview", "focus group"]), max_size=2),
        attributes=st.dictionaries(st.sampled_from(["region", "setting"]), st.sampled_from(["a", "b"]), max_size=2),
    ),
    min_size=1,
    max_size=12,
)


@given(profiles, st.integers(1, 6), st.sampled_from(["interview", "focus_group", None]),
       st.lists(st.sampled_from(["role", "kind", "region", "setting"]), unique=True))
def test_a_coarsened_label_fits_k_people_or_says_nothing(team, k, kind, attributes):
    verdict = check(team[0], kind, tuple(attributes), team, k)
    if verdict.label != GENERIC:
        assert verdict.matching >= k
        shown = [a for a in attributes if a not in verdict.dropped]
        assert verdict.label.startswith(team[0].label)
        assert len(verdict.label.split(", ")) <= 1 + len(shown)
    else:
        assert len(team) < k or verdict.matching < k
    assert verdict.risky == (verdict.requested_matching < k)


def test_build_applies_the_check_and_reports_it(project):
    report = build_bank(project.db, BankSettings(codes=("community",), attributes=("role", "kind", "region"), k=2,
                                                 use_ner=False))
    with project.db.reading() as s:
        labels = {q.attribution for q in repo.list_quotes(s)}
    # P02 and P03 are both northern commissioners in the focus group: their full label fits 2 people.
    assert "P02, commissioner, focus group, North" in labels
    assert not any(label.startswith("P04, frontline provider") for label in labels)
    assert any("P04" in w and "coarser label" in w for w in report.warnings)


def test_count_of_matching_participants():
    assert matching(TEAM, [("role", "commissioner")]) == 4
    assert matching(TEAM, [("role", "commissioner"), ("kind", "interview")]) == 2
