"""Exclusion criteria in the definition similarity: a text close to what a code is not scores lower for it."""

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
