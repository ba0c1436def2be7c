"""Code and excerpt representations: exclusion criteria in the definition similarity, sentence vectors in find similar."""

from __future__ import annotations

from qualcode.nlp.suggest.definitions import DefinitionSimilarity
from qualcode.nlp.suggest.protocol import CodeProfile

CODES = [
    CodeProfile(1, "funding", "funding", "money, grants and budgets for the service",
                exclusion="staff pay and salaries of nurses"),
    CodeProfile(2, "staffing", "staffing", "nurses, staff numbers and rotas"),
]


def test_exclusion_lowers_only_the_code_it_belongs_to():
    text = "the salaries of nurses and their pay, not the budget"
    plain = DefinitionSimilarity().fit(CODES).similarities([text])[0]
    weighed = DefinitionSimilarity(exclusion=1.0).fit(CODES).similarities([text])[0]
    assert weighed[0] < plain[0]
    assert weighed[1] == plain[1]
    unrelated = "grants for the building"
    assert DefinitionSimilarity(exclusion=1.0).fit(CODES).similarities([unrelated])[0][0] > 0


def test_similar_excerpts_can_weigh_the_sentence_vectors():
    from qualcode.nlp.suggest.protocol import Excerpt
    from qualcode.nlp.suggest.similar import SimilarityIndex

    excerpts = [Excerpt(t, document_id=1, segment_index=i) for i, t in enumerate(
        ["the budget was cut again this year", "we had no money for the new hall", "the nurses work long shifts"])]
    for vectors in (0.0, 0.5):
        index = SimilarityIndex(excerpts, vectors=vectors).fit()
        hits = index.most_similar("there is no funding and the budget is cut", 3)
        assert hits[0].excerpt.segment_index == 0
        assert all(0 < h.similarity <= 1.0001 for h in hits)
