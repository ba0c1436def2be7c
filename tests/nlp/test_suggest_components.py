"""Each suggester component on small real text, with the real spaCy pipeline."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput
from qualcode.nlp.suggest import registry
from qualcode.nlp.suggest.definitions import DefinitionSimilarity
from qualcode.nlp.suggest.keywords import KeywordMatcher
from qualcode.nlp.suggest.learned import LearnedModel
from qualcode.nlp.suggest.protocol import CodeProfile, Component, Excerpt

MONEY = CodeProfile(
    1, "barriers/resources", "resources", "Gaps in money, staff and time.", "Budgets cut, posts lost.",
    examples=("The budget for the project was cut last year.",), keywords=("funding", "action plan", "bureaucracy", "staff"),
)
MEANING = CodeProfile(
    2, "stage/understand", "understand", "What the words of the framework mean to the speaker.", "Questions about wording.",
    examples=("I was not sure what they meant by community.",), keywords=("jargon", "what does it mean", "staff"),
)
VOLUNTEERS = CodeProfile(
    3, "facilitators/volunteer-services", "volunteer-services", "Building on existing volunteer services.",
    examples=("Our befrienders already visit people at home.",), keywords=("volunteer", "befriending"),
)
CODES = [MONEY, MEANING, VOLUNTEERS]


@pytest.fixture(scope="module")
def matcher():
    return KeywordMatcher().fit(CODES)


def test_lemmas_match_inflected_keywords_and_phrases(matcher):
    found = matcher.matches("Our volunteers wrote two action plans.")
    assert "volunteer" in found[3]
    assert "action plan" in found[1]


def test_misspelled_keyword_is_found_by_rapidfuzz(matcher):
    found = matcher.matches("Endless beaurocracy slowed everything down.")
    assert any(term.startswith("bureaucracy (~") for term in found[1])


def test_shared_keyword_counts_less_than_an_own_one(matcher):
    shared = matcher.matches("The staff were there.")
    own = matcher.matches("The jargon was there.")
    assert shared[1]["staff"] == shared[2]["staff"] < own[2]["jargon"]


def test_acronym_keywords_match_only_as_written():
    it = KeywordMatcher().fit([CodeProfile(7, "barriers/resources", "resources", keywords=("IT", "money"))])
    assert 7 not in it.matches("It does. How has it shaped you?")
    assert "IT" in it.matches("Our IT is ancient.")[7]


def test_distinctive_example_words_count_but_less_than_keywords(matcher):
    found = matcher.matches("The budget was small.")
    assert 0 < found[1]["budget"] < 1


def test_scores_saturate_below_one_and_rise_with_more_evidence(matcher):
    one, two = matcher.score_many(["Funding was short.", "Funding was short and the bureaucracy endless."])
    assert 0 < one[1].score < two[1].score < 1
    assert "funding" in two[1].keywords


def test_blank_pipeline_still_matches_lowercase_forms():
    blank = KeywordMatcher(prefer=()).fit(CODES)
    assert blank.pipeline_.name == "blank_en"
    assert "lemma" in blank.pipeline_.degraded
    found = blank.matches("FUNDING and jargon")
    assert "funding" in found[1] and "jargon" in found[2]
    assert "volunteer" not in blank.matches("Our volunteers came.").get(3, {})  # no lemmas: inflections are missed


@pytest.mark.parametrize("representation", ["tfidf-word", "tfidf-lemma", "tfidf-char", "spacy-vectors"])
def test_definition_similarity_ranks_the_closest_definition_first(representation):
    model = DefinitionSimilarity(representation=representation).fit(CODES)
    sims = model.similarities(["The budget was cut and we lost two posts, so there is no money."])
    assert sims.shape == (1, 3)
    if representation != "spacy-vectors":  # the small model has no real word vectors: recorded, not required
        assert sims[0].argmax() == 0


def test_definition_scores_are_bounded_and_unknown_representation_refused():
    model = DefinitionSimilarity().fit(CODES)
    scores = model.score_many(["What did they mean by that word?"])[0]
    assert all(0 <= e.score <= 1 for e in scores.values())
    assert max(scores, key=lambda c: scores[c].score) == 2
    with pytest.raises(InvalidInput, match="unknown representation"):
        DefinitionSimilarity(representation="bert")


TRAIN = [
    Excerpt("The money ran out and the post was cut.", frozenset({1})),
    Excerpt("There is no budget for the project any more.", frozenset({1})),
    Excerpt("We could not pay for the extra nurse hours.", frozenset({1})),
    Excerpt("Nobody could tell me what the word ambition meant.", frozenset({2})),
    Excerpt("The wording of the framework confused everyone.", frozenset({2})),
    Excerpt("Our befrienders visit people at home every week.", frozenset({3})),
    Excerpt("The weather was lovely that day.", frozenset()),
]


def test_untrained_model_sits_out():
    model = LearnedModel().fit(CODES, [])
    assert not model.trained
    assert model.score_many(["anything"]) == [{}]
    assert model.trust(1) == 0


def test_learned_model_predicts_and_explains():
    model = LearnedModel().fit(CODES, TRAIN)
    text = "The budget was cut again, no money for the post."
    result = model.score_many([text])[0]
    best = max(result, key=lambda c: result[c].score)
    assert best == 1
    assert not result[1].features  # scores come cheap; reasons only when asked for
    result = {1: model.explain(text, 1, result[1])}
    words = {w for feature in result[1].features for w in feature.split()}
    assert words & {"budget", "money", "cut", "post"}
    assert all(set(f.split()) - {"for", "the", "was", "no", "again"} for f in result[1].features)  # no stop-word-only reason
    assert result[1].similar and all(1 in e.codes for e in result[1].similar)
    assert 0 < model.trust(2) < model.trust(1) < 1  # three examples of code 1, two of code 2


def test_dismissed_pairs_lower_the_learned_probability():
    text = "Money for volunteers was the wording everyone argued about."
    plain = LearnedModel().fit(CODES, TRAIN).score_many([text])[0]
    taught = LearnedModel().fit(CODES, TRAIN, negatives=[(text, 1)]).score_many([text])[0]
    assert taught.get(1, None) is None or taught[1].score < plain[1].score


def test_registry_builds_every_part_by_versioned_name():
    assert {"qualcode.keywords.v1", "qualcode.definitions.v1", "qualcode.learned.v1", "qualcode.ranker.v1"} <= set(registry.names())
    part = registry.create("qualcode.definitions.v1", representation="tfidf-word")
    assert isinstance(part, Component) and part.representation == "tfidf-word"
    with pytest.raises(InvalidInput, match="no suggester part named 'qualcode.nope.v9'"):
        registry.create("qualcode.nope.v9")
