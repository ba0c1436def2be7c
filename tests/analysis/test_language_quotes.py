"""Distinctive language (log-odds with informative Dirichlet prior) and representative quotes."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from qualcode.analysis.language import LanguageIndex, log_odds
from qualcode.analysis.quotes import representative_quotes


def test_log_odds_by_hand():
    # Prior: all text has a=4, b=4 of 8 words; scale 8 -> alpha_a = alpha_b = 4, alpha0 = 8.
    scores = log_odds(Counter(a=3, b=1), Counter(a=1, b=3), prior_scale=8)
    delta = math.log(7 / 5) - math.log(5 / 7)
    assert scores["a"][0] == pytest.approx(delta)
    assert scores["a"][1] == pytest.approx(delta / math.sqrt(1 / 7 + 1 / 5))
    assert scores["b"][1] == pytest.approx(-scores["a"][1])


def test_log_odds_prefers_evidence_over_rare_ratios():
    # 'rare' appears once in the theme only; 'often' 30 times in the theme and 10 times elsewhere.
    scores = log_odds(Counter(often=30, rare=1, the=50), Counter(often=10, the=50, other=40))
    assert scores["often"][1] > scores["rare"][1] > 0


def test_distinctive_language_uses_lemmas_and_noun_phrases(ds):
    index = LanguageIndex(ds)
    result = index.distinctive(ds.subtree(ds.resolve_code("barriers").id), top=20)
    words = [t.term for t in result.terms]
    assert "leadership" in words and "turnover" in words
    assert "champion" not in words  # a facilitator's word, not a barrier's
    assert result.excerpts == 6 and result.rest == 3
    assert result.pipeline
    community = index.distinctive(ds.subtree(ds.resolve_code("community").id), top=20)
    assert "church hall" in [p.term for p in community.phrases]


def test_distinctive_language_without_contrast_says_so(ds):
    result = LanguageIndex(ds).distinctive(ds.subtree(ds.resolve_code("public").id))
    assert result.terms == () and "no excerpts" in result.note


def test_quotes_carry_attribution_and_place(ds):
    spans = ds.excerpts_of(ds.subtree(ds.resolve_code("barriers").id))
    quotes = representative_quotes(ds, spans, n=6)
    assert len(quotes) == 5  # 'Leadership was absent' has three words: too short to quote
    for q in quotes:
        doc_text = ds.documents[q.document_id].text
        assert doc_text[q.start:q.end].strip() == q.text
        assert q.attribution in {"P01", "P02", "ID:101", "ID:102"}
        assert q.link.startswith(q.document_title)
    # Spread: the first four quotes come from four different participants.
    assert len({q.attribution for q in quotes[:4]}) == 4


def test_quotes_put_coders_picks_first_and_are_stable(ds):
    everything = {e: c for e, c in ds.excerpts_of([c.id for c in ds.codes]).items()}
    first = representative_quotes(ds, everything, n=3)
    assert first[0].candidate and not any(q.candidate for q in first[1:])
    assert first == representative_quotes(ds, everything, n=3)


def test_theme_summary_brings_it_together(ds):
    from qualcode.analysis.summary import theme_summary, top_level_summaries

    summary = theme_summary(ds, "barriers/leadership", quotes=2)
    assert summary.counts.excerpts == 3
    assert [m.text for m in summary.memos] == ["Often tied to turnover."]
    assert [c.path for c in summary.cooccurring] == ["community/site"]
    assert len(summary.quotes) == 2 and summary.language is not None
    assert [s.path for s in top_level_summaries(ds, quotes=1)] == ["barriers", "facilitators", "community"]


def test_code_groups_by_list_and_by_set(fixture_project):
    import uuid

    from qualcode.analysis import load
    from qualcode.analysis.summary import theme_summary
    from qualcode.errors import NotFound
    from qualcode.store.sets import add as add_set

    ids = fixture_project.code_ids
    with fixture_project.db.transaction() as s:
        add_set(s, guid=str(uuid.uuid4()), name="Leadership and place", description="",
                members=[("code", ids["barriers/leadership"]), ("code", ids["community"])])
    with fixture_project.db.reading() as s:
        ds = load(s)
    # leadership (3 excerpts) + community (2): 'Leadership was absent' lies inside a site excerpt, still 5 spans.
    group = theme_summary(ds, "set:leadership and place", quotes=0, with_language=False)
    assert group.path == "set:Leadership and place"
    assert (group.counts.excerpts, group.counts.codings, group.counts.participants) == (5, 6, 4)
    assert [c.path for c in group.cooccurring] == ["barriers/turnover"]  # members and their subtrees left out
    assert [m.text for m in group.memos] == ["Often tied to turnover."]
    listed = theme_summary(ds, "leadership,community", quotes=0, with_language=False)
    assert (listed.counts.excerpts, listed.counts.codings) == (5, 6)
    with pytest.raises(NotFound, match="no code group"):
        theme_summary(ds, "set:nothing", with_language=False)


def test_log_odds_of_a_one_term_vocabulary_is_empty_not_a_crash():
    # One term leaves nothing to compare it with; the analysis view used to crash on this.
    assert log_odds(Counter(hospice=2), Counter(hospice=1)) == {}
    assert log_odds(Counter(hospice=2), Counter()) == {}
    assert set(log_odds(Counter(hospice=2), Counter(care=1))) == {"hospice", "care"}
