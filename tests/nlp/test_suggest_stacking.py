"""The v2 suggester parts: the SVM model with surroundings, static sentence vectors, the stacked ranker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from qualcode.domain import Segment, SegmentKind
from qualcode.nlp.embeddings import SentenceVectors
from qualcode.nlp.suggest import registry
from qualcode.nlp.suggest.corpus import ProjectCorpus, excerpt_in, placed
from qualcode.nlp.suggest.evaluate import cross_validate
from qualcode.nlp.suggest.protocol import CodeProfile, Excerpt
from qualcode.nlp.suggest.ranker import DEFAULT_CONFIG, Ranker, assemble
from qualcode.nlp.suggest.stacking import MIN_CODED, Combiner, NonNegativeLogistic, StackedRanker


def test_non_negative_logistic_equals_sklearn_when_the_optimum_is_non_negative():
    rng = np.random.default_rng(3)
    x = rng.random((400, 4))
    y = rng.random(400) < 1 / (1 + np.exp(-(x @ [2.0, 1.0, 0.5, 3.0] - 3.0)))
    ours = NonNegativeLogistic(c=2.0).fit(x, y)
    theirs = LogisticRegression(C=2.0, tol=1e-10, max_iter=10_000).fit(x, y)
    assert (theirs.coef_[0] > 0).all()  # so the constraint is not active and both solve one problem
    assert ours.coef_ == pytest.approx(theirs.coef_[0], abs=1e-3)
    assert ours.intercept_ == pytest.approx(theirs.intercept_[0], abs=1e-3)


def test_non_negative_logistic_gives_a_harmful_feature_no_weight():
    rng = np.random.default_rng(4)
    x = rng.random((300, 2))
    y = x[:, 0] > 0.5  # only the first feature matters...
    x[:, 1] = 1 - x[:, 0] + rng.normal(0, 0.05, 300)  # ...and the second is its mirror image
    model = NonNegativeLogistic().fit(x, y)
    assert model.coef_[0] > 0 and model.coef_[1] == 0


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.floats(0, 5), min_size=6, max_size=6),
    scores=st.lists(st.floats(0, 1), min_size=4, max_size=4),
    code=st.integers(0, 3),
    raise_by=st.floats(0.01, 1),
)
def test_a_higher_component_score_never_lowers_the_confidence(weights, scores, code, raise_by):
    """Monotone by construction: the combiner's features grow with a score and its weights are >= 0."""
    model = NonNegativeLogistic()
    model.coef_, model.intercept_ = np.array(weights), -2.0
    combiner = Combiner(("learned",), model, fitted_on=100, support={1: 5, 2: 0, 3: 12, 4: 1})
    codes = [1, 2, 3, 4]
    before = combiner.probabilities({"learned": dict(zip(codes, scores, strict=True))}, codes)
    raised = list(scores)
    raised[code] = min(1.0, raised[code] + raise_by)
    after = combiner.probabilities({"learned": dict(zip(codes, raised, strict=True))}, codes)
    assert after[code] >= before[code] - 1e-12


def _codes():
    return [
        CodeProfile(1, "barriers/resources", "resources", "Gaps in money, staff and time."),
        CodeProfile(2, "facilitators/volunteers", "volunteers", "Volunteers who make the work possible."),
        CodeProfile(3, "stage/opening", "opening", "How the conversation starts."),
        CodeProfile(4, "stage/closing", "closing", "How the conversation ends."),
    ]


def _interview(n_docs: int = 12) -> list[Excerpt]:
    """Invented interviews in which the same short answer means different things by where it falls."""
    lines = [
        ("Yes, that is right, I think.", {3}),
        ("The budget was cut and we lost the post.", {1}),
        ("Our volunteers visit people every week.", {2}),
        ("There was never enough money for staff.", {1}),
        ("The befrienders from the church helped a lot.", {2}),
        ("Yes, that is right, I think.", {4}),
    ]
    excerpts = []
    for doc in range(n_docs):
        for i, (text, codes) in enumerate(lines):
            excerpts.append(Excerpt(text, frozenset(codes), document_id=doc + 1, segment_index=i))
    return placed(excerpts)


def test_placed_excerpts_know_their_neighbours_and_position():
    first, second, *_, last = [e for e in _interview(1)]
    assert (first.before, first.after, first.position) == ("", second.text, 0.0)
    assert last.position == pytest.approx(5 / 6) and last.after == ""


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="abc .", min_size=1, max_size=12), min_size=1, max_size=8))
def test_a_segment_span_is_placed_as_the_corpus_places_it(paragraphs):
    text, segments, offset = "", [], 0
    for i, words in enumerate(paragraphs):
        segments.append(Segment(id=i, document_id=7, index=i, start=offset, end=offset + len(words), kind=SegmentKind.PARAGRAPH))
        text += words + "\n\n"
        offset = len(text)
    corpus = placed([Excerpt(text[s.start : s.end], document_id=7, segment_index=s.index, start=s.start, end=s.end) for s in segments])
    for seg, expected in zip(segments, corpus, strict=True):
        got = excerpt_in(7, text, segments, seg.start, seg.end)
        assert (got.before, got.after, got.position) == (expected.before, expected.after, expected.position)


def test_the_svm_reads_where_a_segment_falls():
    model = registry.create("qualcode.learned.v2").fit(_codes(), _interview())
    opening, closing = (Excerpt("Yes, that is right, I think.", position=p) for p in (0.0, 5 / 6))
    start, end = model.score_excerpts([opening, closing])
    assert start[3].score > start.get(4, type(start[3])(0)).score
    assert end[4].score > end.get(3, type(end[4])(0)).score


def test_without_position_the_same_words_cannot_be_told_apart():
    model = registry.create("qualcode.learned.v2", position=0.0, context=0.0).fit(_codes(), _interview())
    start, end = model.score_excerpts([Excerpt("Yes, that is right, I think.", position=p) for p in (0.0, 5 / 6)])
    assert start[3].score == pytest.approx(end[3].score)


def test_sentence_vectors_put_related_sentences_closer_than_unrelated_ones():
    background = [e.text for e in _interview(1)] + ["The weather was cold and rainy all week.", "We met on a Tuesday."]
    vectors = SentenceVectors().fit(background).transform([
        "We had no money to pay the staff.", "Funding was a real problem and the budget ran out.",
        "The weather was cold and rainy all week.", "qwxz zzkq",
    ])
    related, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert related > unrelated + 0.1
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[3].any()  # no known word: no direction rather than a made-up one


def test_few_codings_keep_the_weighted_mean_and_enough_fit_the_combiner():
    codes = _codes()
    few = assemble(codes, _interview(1), background=_interview(1))
    assert isinstance(few, StackedRanker) and not few.stacked  # 6 coded segments < MIN_CODED
    many = _interview(12)
    assert sum(1 for e in many if e.codes) >= MIN_CODED
    ranker = assemble(codes, many, background=many)
    assert ranker.stacked and (ranker.combiner_.model.coef_ >= 0).all()
    ranked = ranker.suggest(Excerpt("The money ran out and the post went.", position=1 / 6))
    assert ranked[0].code_id == 1 and 0 < ranked[0].confidence <= 1


def test_retraining_reuses_the_combiner_until_the_project_has_grown():
    codes, many = _codes(), _interview(12)
    first = assemble(codes, many, background=many)
    again = assemble(codes, many[:-6] + many[-6:], background=many, reuse=first)
    assert again.combiner_.model is first.combiner_.model
    grown = _interview(20)
    refitted = assemble(codes, grown, background=grown, reuse=first)
    assert refitted.combiner_.model is not first.combiner_.model
    forced = assemble(codes, many, background=many, reuse=first, reuse_combiner=False)
    assert forced.combiner_.model is not first.combiner_.model


def test_the_stacked_default_beats_the_plain_baseline_on_the_invented_interviews():
    many = _interview(16)
    corpus = ProjectCorpus(codes=_codes(), segments=many, coded_documents={e.document_id for e in many})
    plain = {"ranker": "qualcode.ranker.v1",
             "components": {"learned": {"factory": "qualcode.learned.v1", "weight": 1.0, "trust_after": 1e-9}}}
    stacked = cross_validate(corpus, train_fraction=0.5, repeats=2, config=DEFAULT_CONFIG)
    baseline = cross_validate(corpus, train_fraction=0.5, repeats=2, config=plain)
    # The plain model cannot tell an opening "yes" from a closing one; the position can.
    assert stacked.precision_at_1 > baseline.precision_at_1
    assert stacked.precision_at_1 == pytest.approx(1.0)
    assert isinstance(assemble(_codes(), [], config={**DEFAULT_CONFIG, "ranker": "qualcode.ranker.v1"}), Ranker)


def test_definition_similarity_with_sentence_vectors_finds_a_definition_in_other_words():
    codes = [CodeProfile(1, "barriers/resources", "resources", "Not enough money."),
             CodeProfile(2, "facilitators/weather", "weather", "Sunny days outside.")]
    background = ["The weather was cold and rainy all week.", "We met on a Tuesday in the hall.",
                  "I drove to the office in the morning.", "My daughter started school that year.",
                  "Our volunteers visit people every week.", "The nurse explained everything to us.",
                  "We talked about what the words meant.", "The church hall was full that evening."]
    text = "The funding ran out and the budget was cut."
    plain = registry.create("qualcode.definitions.v1").fit(codes, [Excerpt(t) for t in background])
    with_vectors = registry.create("qualcode.definitions.v1", vectors=0.5).fit(codes, [Excerpt(t) for t in background])
    assert plain.similarities([text])[0][0] == pytest.approx(0, abs=0.05)  # no shared letters worth a match
    meaning = with_vectors.similarities([text])[0]
    assert meaning[0] > meaning[1] and meaning[0] > plain.similarities([text])[0][0]


def test_coding_one_more_segment_refits_that_code_alone_and_matches_a_full_fit(monkeypatch):
    from dataclasses import replace

    from sklearn.svm import LinearSVC

    codes, excerpts = _codes(), _interview(6)
    first = registry.create("qualcode.learned.v2").fit(codes, excerpts)
    # The coder gives segment 2 ("Our volunteers ...") of document 1 the code "resources" as well.
    changed = [replace(e, codes=e.codes | {1}) if (e.document_id, e.segment_index) == (1, 2) else e for e in excerpts]
    fits = []
    original = LinearSVC.fit
    monkeypatch.setattr(LinearSVC, "fit", lambda self, *a, **k: fits.append(1) or original(self, *a, **k))
    shared = dict(features=first.features_, char_features=first.char_features_, vectors=first.vectors_)
    lent = registry.create("qualcode.learned.v2").fit(codes, changed, earlier=first, **shared)
    assert len(fits) == 1  # only code 1's examples changed
    fresh = registry.create("qualcode.learned.v2").fit(codes, changed, **shared)
    assert len(fits) == 1 + len(fresh.code_ids_)
    assert lent.code_ids_ == fresh.code_ids_
    assert np.allclose(lent.coef_, fresh.coef_) and np.allclose(lent.intercept_, fresh.intercept_)
    # A new segment (a document coded for the first time) is a new negative for every code: all refitted.
    fits.clear()
    registry.create("qualcode.learned.v2").fit(codes, changed + [Excerpt("Something new.", document_id=99)],
                                               earlier=fresh, **shared)
    assert len(fits) == len(fresh.code_ids_)
