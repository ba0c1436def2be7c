"""The family model: near-twin codes of different codebook families separated by what each family was coded for."""

from __future__ import annotations

from qualcode.nlp.suggest.families import FamilyModel, family_of
from qualcode.nlp.suggest.protocol import CodeProfile, Excerpt

BARRIER = CodeProfile(1, "barriers/leadership", "leadership", "Leadership in the partnership.")
FOUNDATION = CodeProfile(2, "foundations/leadership", "leadership", "Leadership in the partnership.")
BARRIER_MONEY = CodeProfile(3, "barriers/resources", "resources", "Money and staff.")
CODES = [BARRIER, FOUNDATION, BARRIER_MONEY]

TRAIN = [
    Excerpt("Nobody led it and the board kept blocking every decision.", frozenset({1})),
    Excerpt("There was no leadership, we struggled without a champion.", frozenset({1})),
    Excerpt("We lacked money and staff, the budget was cut.", frozenset({3})),
    Excerpt("A lack of time and funding held us back.", frozenset({3})),
    Excerpt("Our chair led well and helped everyone agree on priorities.", frozenset({2})),
    Excerpt("Strong leadership from the council helped the work succeed.", frozenset({2})),
    Excerpt("The weather was lovely that day.", frozenset()),
]


def test_family_is_the_top_level_branch():
    assert family_of("barriers/leadership") == "barriers"
    assert family_of("stage") == "stage"


def test_untrained_family_model_sits_out():
    model = FamilyModel().fit(CODES, [])
    assert not model.trained
    assert model.score_many(["anything"]) == [{}]
    assert model.trust(1) == 0


def test_every_code_of_a_family_gets_the_family_score():
    model = FamilyModel().fit(CODES, TRAIN)
    scores = model.score_many(["We struggled, there was a lack of leadership and it held us back."])[0]
    assert scores[1].score == scores[3].score  # same family, same score
    assert scores[1].score > scores[2].score  # stance of a barrier, not of a foundation
    helped = model.score_many(["Leadership from the chair helped us succeed."])[0]
    assert helped[2].score > helped[1].score
    assert all(0 <= e.score <= 1 for e in scores.values())


def test_trust_grows_with_the_family_examples():
    model = FamilyModel(trust_after=10).fit(CODES, TRAIN)
    assert 0 < model.trust(2) < model.trust(1) < 1  # four barrier examples, two foundation ones
