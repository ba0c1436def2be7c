"""The ranker's combination and dismissals, and the evaluation metrics (by hand on a tiny case, sane on the fixture)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.errors import InvalidInput
from qualcode.nlp.suggest.corpus import ProjectCorpus
from qualcode.nlp.suggest.evaluate import cold_start, cross_validate, score_rankings
from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Suggester
from qualcode.nlp.suggest.ranker import Ranker, assemble


class FixedScores:
    """A real Component (not a mock of one): fixed opinions, so the ranker's arithmetic can be checked."""

    def __init__(self, name, scores, trust=None):
        self.name, self.scores, self._trust = name, scores, trust

    def fit(self, codes, excerpts):
        return self

    def score_many(self, texts):
        return [{cid: Evidence(s, keywords=(f"{self.name}-{cid}",)) for cid, s in self.scores.items()} for _ in texts]

    def trust(self, code_id):
        return 1.0 if self._trust is None else self._trust.get(code_id, 0.0)


CODES = [CodeProfile(1, "a", "a"), CodeProfile(2, "b", "b"), CodeProfile(3, "c", "c")]


def test_weighted_mean_with_per_code_trust():
    ranker = Ranker(
        {"keywords": (FixedScores("keywords", {1: 0.5, 2: 1.0}), 1.0),
         "learned": (FixedScores("learned", {1: 1.0}, trust={1: 0.5}), 2.0)},
        CODES,
    )
    ranked = ranker.suggest("any text", top_k=5)
    by_code = {s.code_id: s.confidence for s in ranked}
    # code 1: (1*0.5 + 2*0.5*1.0) / (1 + 1) = 0.75; code 2: learned has no trust for it, so keywords alone: 1.0
    assert by_code == {1: 0.75, 2: 1.0, 3: 0.0}  # every code ranked: code 3, with no evidence, at 0
    assert [s.code_id for s in ranked] == [2, 1, 3]
    assert isinstance(ranker, Suggester)


def test_dismissed_text_is_down_weighted_and_marked():
    components = {"keywords": (FixedScores("keywords", {1: 0.8}), 1.0)}
    ranker = Ranker(components, CODES, dismissed=[("The budget was cut", 1)])
    same = ranker.suggest("the  budget was CUT", 5)[0]
    other = ranker.suggest("Something else entirely about volunteers", 5)[0]
    assert same.penalised and same.confidence == pytest.approx(0.08)
    assert not other.penalised and other.confidence == 0.8
    assert "dismissed before" in same.explanation()


@settings(max_examples=40)
@given(st.text(max_size=300))
def test_any_text_gets_bounded_sorted_explained_suggestions(fixture_suggester, text):
    ranked = fixture_suggester.suggest(text, top_k=5)
    assert len(ranked) <= 5
    assert all(0 <= s.confidence <= 1 for s in ranked)
    assert [s.confidence for s in ranked] == sorted((s.confidence for s in ranked), reverse=True)
    assert all(s.explanation() for s in ranked)


@pytest.fixture(scope="module")
def fixture_suggester(fixture_codes):
    codes, excerpts, _ = fixture_codes
    return assemble(codes, excerpts[::2], background=excerpts)


def test_suggestions_explain_with_keywords_features_and_coded_neighbours(fixture_suggester, fixture_codes):
    _, _, ids = fixture_codes
    ranked = fixture_suggester.suggest("There is no money: the budget was cut and the post went with it.", 3)
    assert ranked[0].code_id == ids["barriers/resources"]
    top = ranked[0]
    assert top.components.keys() >= {"definitions", "learned"}
    assert top.features and top.similar


def test_metrics_by_hand_on_a_tiny_case():
    gold = [frozenset({1}), frozenset({1, 2}), frozenset({3}), frozenset()]
    rankings = [
        [(1, 0.9), (2, 0.2)],  # top right; predicts {1}
        [(2, 0.8), (3, 0.5), (1, 0.1)],  # top right; top 3 has 1 and 2; predicts {2, 3}
        [(1, 0.6), (2, 0.3), (3, 0.2)],  # top wrong; 3 in top 3; predicts {1}
        [(3, 0.7)],  # uncoded unit; predicts {3}
    ]
    report = score_rankings(gold, rankings, CODES, threshold=0.5)
    assert report.coded_units == 3 and report.units == 4
    assert report.precision_at_1 == pytest.approx(2 / 3, abs=1e-4)
    assert report.recall_at_3 == pytest.approx((1 + 1 + 1) / 3, abs=1e-4)
    # predictions: u1 {1}, u2 {2,3}, u3 {1}, u4 {3}; truth: u1 {1}, u2 {1,2}, u3 {3}
    # tp = 2 (u1:1, u2:2); fp = 3 (u2:3, u3:1, u4:3); fn = 2 (u2:1, u3:3) -> micro F1 = 4 / (4 + 5) = 0.4444
    assert report.micro_f1 == pytest.approx(4 / 9, abs=1e-4)
    per_code = {c.code_id: c for c in report.per_code}
    assert (per_code[1].support, per_code[1].predicted) == (2, 2)
    # code 1 over 4 units: truth 1,1,0,0 predicted 1,0,1,0 -> observed 0.5, expected 0.5 -> kappa 0
    assert per_code[1].kappa == pytest.approx(0.0)
    # code 2: truth 0,1,0,0 predicted 0,1,0,0 -> perfect agreement
    assert per_code[2].kappa == pytest.approx(1.0)
    # macro F1: code 1 F1 = 0.5, code 2 = 1.0, code 3 = 0 (tp 0) -> 0.5
    assert report.macro_f1 == pytest.approx(0.5, abs=1e-4)


def test_metrics_refuse_mismatched_lengths():
    with pytest.raises(InvalidInput):
        score_rankings([frozenset({1})], [], CODES)


def test_cross_validation_on_the_labelled_fixture_lands_in_a_sane_range(fixture_codes):
    codes, excerpts, _ = fixture_codes
    corpus = ProjectCorpus(codes, excerpts, {1})
    report = cross_validate(corpus, train_fraction=0.5, repeats=2)
    assert report.coded_units == len(excerpts)  # 2 repeats x half of 82 excerpts, pooled
    assert 0.4 <= report.precision_at_1 <= 1
    assert 0.6 <= report.recall_at_3 <= 1
    assert 0 < report.micro_f1 <= 1 and 0 < report.macro_f1 <= 1
    assert all(c.kappa is None or -1 <= c.kappa <= 1 for c in report.per_code)


def test_cold_start_puts_the_right_code_in_the_top_three_for_most_excerpts(fixture_codes):
    codes, excerpts, _ = fixture_codes
    report = cold_start(excerpts, codes)
    assert report.hit_at_3 >= 0.6
    assert report.precision_at_1 >= 0.4


def test_cross_validation_needs_codings_and_a_sane_fraction(fixture_codes):
    codes, excerpts, _ = fixture_codes
    with pytest.raises(InvalidInput, match="train-fraction"):
        cross_validate(ProjectCorpus(codes, excerpts, {1}), train_fraction=1.5)
    with pytest.raises(InvalidInput, match="too few coded segments"):
        cross_validate(ProjectCorpus(codes, excerpts[:2], {1}))
