"""u-alpha reproduces Krippendorff's published worked examples and behaves at its limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement.unitized import merge_spans, pair_disagreement, sections, unitized_alpha, unitized_direct


def _shift(begin, length, origin=150):
    return (begin - origin, begin - origin + length)


# Krippendorff (2004) Content Analysis, 2nd ed., p. 254, and Quality & Quantity 38:787-800, Fig. 2:
# a continuum from 150 to 450, observers i and j, categories c and k (begin, length).
FIG2 = {
    "c": [[[_shift(225, 70), _shift(370, 30)]], [[_shift(220, 80), _shift(355, 20), _shift(400, 20)]]],
    "k": [[[_shift(180, 60), _shift(300, 50)]], [[_shift(180, 60), _shift(300, 50)]]],
}


def test_krippendorff_2004_worked_example():
    """Krippendorff (2004), p. 254-256: uD_o(c) = .0144, uD_e(c) = .0532, u-alpha(c) = .7286;
    uD_o(k) = 0, uD_e(k) = .0490, u-alpha(k) = 1; overall u-alpha = 1 - .0144 / (.0532 + .0490) = .8591
    from the rounded figures (.8587 unrounded).

    By hand for c: i->j pairs give 5^2 + 5^2 = 50 for [225,295) vs [220,300), 15^2 + 25^2 = 850 for
    [370,400) vs [355,375), and j's unit [400,420) lies in i's gap [400,450): 20^2 = 400; both orders
    2600, and 2600 / (2 * 1 * 300^2) = .014444.
    """
    results, overall = unitized_alpha(FIG2, [300])
    assert results["c"].observed == pytest.approx(2600 / 180000, abs=1e-12)
    assert results["c"].expected == pytest.approx(0.0532, abs=1e-4)
    assert results["c"].alpha == pytest.approx(0.7286, abs=1e-4)
    assert results["k"].observed == 0
    assert results["k"].expected == pytest.approx(0.0490, abs=1e-4)
    assert results["k"].alpha == 1.0
    assert overall == pytest.approx(0.8591, abs=5e-4)


def test_krippendorff_2004_distances():
    """Krippendorff (2004) p. 255 distances: 50 and 850 for overlapping c units, 400 for a unit in a gap."""
    assert pair_disagreement(sections([(75, 145)], 300), sections([(70, 150)], 300)) == 50
    assert pair_disagreement(sections([(20, 50)], 70), sections([(5, 25)], 70)) == 15**2 + 25**2


def test_krippendorff_1995_observed_disagreement_example_a():
    """Krippendorff (1995), Sociological Methodology 25, p. 57, pair A (Bertha, Bill) on a 24-long
    continuum: Bertha [2,10) [14,20), Bill [4,8) [15,17). By hand: (2-4)^2 + (10-8)^2 = 8 and
    (14-15)^2 + (20-17)^2 = 10; both orders 36; 36 / (2 * 24^2) = .03125, as published."""
    results, _ = unitized_alpha({"A": [[[(2, 10), (14, 20)]], [[(4, 8), (15, 17)]]]}, [24])
    assert results["A"].observed == pytest.approx(0.03125, abs=1e-12)


def test_identical_coders_agree_perfectly_and_unused_category_is_undefined():
    spans = {"x": [[[(3, 9), (20, 30)]], [[(3, 9), (20, 30)]], [[(3, 9), (20, 30)]]], "y": [[[]], [[]], [[]]]}
    results, overall = unitized_alpha(spans, [40])
    assert results["x"].alpha == 1.0
    assert results["y"].alpha is None
    assert overall == 1.0


def test_documents_form_one_continuum_without_crossing_boundaries():
    one_doc = unitized_alpha({"x": [[[(0, 5)], []], [[(1, 5)], []]]}, [10, 10])[0]["x"]
    assert one_doc.observed == pytest.approx(2 * 1 / (2 * 20**2))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=8))
def test_merge_spans_is_a_disjoint_cover(raw):
    spans = [(min(a, b), max(a, b)) for a, b in raw]
    merged = merge_spans(spans)
    covered = {p for a, b in spans for p in range(a, b)}
    assert {p for a, b in merged for p in range(a, b)} == covered
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(merged, merged[1:]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6))
def test_observed_disagreement_is_symmetric_and_zero_on_self(a_raw, b_raw):
    a = sections([(min(x, y), max(x, y)) for x, y in a_raw], 60)
    b = sections([(min(x, y), max(x, y)) for x, y in b_raw], 60)
    assert pair_disagreement(a, b) == pair_disagreement(b, a)
    assert pair_disagreement(a, a) == 0
    assert a.length.sum() == 60


@st.composite
def unitized_studies(draw):
    n_docs = draw(st.integers(1, 3))
    lengths = draw(st.lists(st.integers(1, 40), min_size=n_docs, max_size=n_docs))
    n_coders = draw(st.integers(2, 4))
    span = st.tuples(st.integers(0, 45), st.integers(0, 45)).map(lambda t: (min(t), max(t)))
    spans = {
        k: [[draw(st.lists(span, max_size=4)) for _ in lengths] for _ in range(n_coders)]
        for k in range(draw(st.integers(1, 3)))
    }
    return spans, lengths


@settings(max_examples=120, deadline=None)
@given(unitized_studies())
def test_fast_path_equals_the_term_by_term_definition(study):
    spans, lengths = study
    fast, fast_overall = unitized_alpha(spans, lengths)
    slow, slow_overall = unitized_direct(spans, lengths)
    for k in spans:
        assert fast[k].n_units == slow[k].n_units
        assert fast[k].observed == pytest.approx(slow[k].observed, abs=1e-12)
        assert fast[k].expected == pytest.approx(slow[k].expected, abs=1e-12)
    assert (fast_overall is None) == (slow_overall is None)
    if fast_overall is not None:
        assert fast_overall == pytest.approx(slow_overall, abs=1e-9)
