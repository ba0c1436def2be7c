"""Property tests: closed forms agree with the reference libraries and with slow direct formulas."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement import coefficients as C
from qualcode.agreement.patterns import expand, rating_table


@st.composite
def ratings(draw, max_categories=4):
    """A units x coders matrix with -1 for missing; at least two units rated by two coders."""
    n_units = draw(st.integers(3, 40))
    n_coders = draw(st.integers(2, 5))
    q = draw(st.integers(2, max_categories))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    values = rng.integers(0, q, size=(n_units, n_coders))
    missing = rng.random((n_units, n_coders)) < draw(st.floats(0, 0.5))
    values = np.where(missing, -1, values)
    values[:2, :2] = rng.integers(0, q, size=(2, 2))  # keeps at least two pairable units
    return values, q


def slow_gwet(values, q, pe_kind):
    """Gwet (2014) eqs. 4.x written unit by unit, coder by coder."""
    agree, n_pairable, shares, n_rated = 0.0, 0, np.zeros(q), 0
    for row in values:
        rated = [v for v in row if v >= 0]
        counts = [rated.count(k) for k in range(q)]
        if len(rated) >= 1:
            n_rated += 1
            shares += np.array(counts) / len(rated)
        if len(rated) >= 2:
            n_pairable += 1
            agree += sum(c * (c - 1) for c in counts) / (len(rated) * (len(rated) - 1))
    pa = agree / n_pairable
    pi = shares / n_rated
    pe = (pi * (1 - pi)).sum() / (q - 1) if pe_kind == "ac1" else 1 / q
    return pa, (pa - pe) / (1 - pe)


@settings(max_examples=60, deadline=None)
@given(ratings())
def test_alpha_closed_form_matches_krippendorff_package(data):
    import krippendorff

    values, q = data
    table = rating_table(values, q)
    if C.undefined_reason(table, C.ALPHA):
        return
    reliability = np.where(values < 0, np.nan, values.astype(float)).T
    expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal",
                                  value_domain=list(range(q)))
    assert C.krippendorff_alpha_closed(table)[0] == pytest.approx(expected, abs=1e-9)
    assert C.library_alpha(table) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(ratings())
def test_ac1_bp_and_percent_match_slow_direct_formula(data):
    values, q = data
    table = rating_table(values, q)
    pa, ac1 = slow_gwet(values, q, "ac1")
    _, bp = slow_gwet(values, q, "bp")
    assert C.percent_agreement(table)[0] == pytest.approx(pa, abs=1e-9)
    assert C.brennan_prediger(table)[0] == pytest.approx(bp, abs=1e-9)
    if np.isfinite(ac1):
        assert C.gwet_ac1(table)[0] == pytest.approx(ac1, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(ratings())
def test_cohen_matches_sklearn_for_every_pair(data):
    from sklearn.metrics import cohen_kappa_score

    values, q = data
    table = rating_table(values, q)
    for a, b in combinations(range(values.shape[1]), 2):
        if C.undefined_reason(table, C.COHEN, pair=(a, b)):
            continue
        both = (values[:, a] >= 0) & (values[:, b] >= 0)
        expected = cohen_kappa_score(values[both, a], values[both, b], labels=list(range(q)))
        if not np.isfinite(expected):
            continue
        assert C.cohen_kappa_closed(table, a, b)[0] == pytest.approx(expected, abs=1e-9)
        assert C.library_cohen(table, a, b) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(ratings())
def test_fleiss_closed_form_matches_statsmodels_on_complete_units(data):
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    values, q = data
    table = rating_table(values, q)
    complete = (values >= 0).all(axis=1)
    if C.undefined_reason(table, C.FLEISS) or complete.sum() < 1:
        return
    counts, _ = aggregate_raters(values[complete], n_cat=q)
    expected = fleiss_kappa(counts)
    if not np.isfinite(expected):
        return
    assert C.fleiss_kappa_closed(table)[0] == pytest.approx(expected, abs=1e-9)
    assert C.library_fleiss(table) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(ratings())
def test_pattern_table_round_trips_the_matrix(data):
    values, q = data
    table = rating_table(values, q)
    assert sorted(map(tuple, expand(table))) == sorted(map(tuple, values))


def test_replicate_weights_give_one_value_per_replicate():
    values = np.array([[0, 0], [1, 1], [0, 1], [1, 1]])
    table = rating_table(values, 2)
    weights = np.vstack([table.weights, table.weights * 2])
    for name, closed in C.CLOSED_FORMS.items():
        result = closed(table, weights)
        assert result.shape == (2,), name
        # doubling every unit changes nothing for these coefficients except the sample size
        if name != C.ALPHA:
            assert result[0] == pytest.approx(result[1]), name


def test_no_variation_is_undefined_with_a_reason():
    table = rating_table(np.zeros((5, 3), dtype=int), 2)
    for name in C.CHANCE_CORRECTED:
        assert "no variation" in C.undefined_reason(table, name)
    assert C.undefined_reason(table, C.PERCENT) is None
    lonely = rating_table(np.array([[0, -1], [-1, 1]]), 2)
    assert C.undefined_reason(lonely, C.ALPHA) == "no unit rated by two or more coders"
    assert C.undefined_reason(lonely, C.COHEN, pair=(0, 1)) == "no unit rated by both coders"
