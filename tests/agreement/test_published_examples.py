"""Coefficients reproduce the worked examples published with each method, from the exact published data."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.agreement import coefficients as C
from qualcode.agreement.patterns import rating_table

M = -1  # missing rating

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", section C: four observers, twelve
# units, values 1..5 with missing values. The same data are Gwet (2014) Handbook, 4th ed., p. 120
# (irrCAC dataset cac.raw4raters).
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3],
        [M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M],
    ]
).T


def _zero_based(values):
    return np.where(values > 0, values - 1, M)


def test_krippendorff_2011_nominal_alpha_is_0_743():
    """Krippendorff (2011), p. 4: nominal alpha = 0.743 for the 4 x 12 reliability data with missing values."""
    table = rating_table(_zero_based(KRIPPENDORFF_2011), 5)
    assert C.library_alpha(table) == pytest.approx(0.743, abs=5e-4)
    assert C.krippendorff_alpha_closed(table)[0] == pytest.approx(C.library_alpha(table), abs=1e-12)


def test_krippendorff_2011_interval_alpha_is_0_849():
    """Krippendorff (2011), p. 6: interval alpha = 0.849 for the same data (our wiring of the library)."""
    import krippendorff

    data = np.where(KRIPPENDORFF_2011 == M, np.nan, KRIPPENDORFF_2011.astype(float)).T
    assert krippendorff.alpha(reliability_data=data, level_of_measurement="interval") == pytest.approx(0.849, abs=5e-4)


def test_gwet_ac1_and_brennan_prediger_on_gwet_handbook_example():
    """Gwet (2014) Handbook, 4th ed., p. 120 (cac.raw4raters): pa = 0.818, AC1 = 0.775 (pe = 0.190), BP = 0.773."""
    table = rating_table(_zero_based(KRIPPENDORFF_2011), 5)
    assert C.percent_agreement(table)[0] == pytest.approx(0.818, abs=5e-4)
    assert C.gwet_ac1(table)[0] == pytest.approx(0.775, abs=5e-4)
    assert C.brennan_prediger(table)[0] == pytest.approx(0.773, abs=5e-4)


def _table_to_pairs(confusion):
    rows, cols = np.indices(confusion.shape)
    counts = np.asarray(confusion).ravel()
    return np.repeat(rows.ravel(), counts), np.repeat(cols.ravel(), counts)


def test_two_raters_gwet_handbook_contingency_table():
    """Gwet (2014) / irrCAC vignette, cont3x3abstractors (100 subjects, 2 raters): Cohen 0.7964094,
    AC1 0.8493305, BP 0.835, Krippendorff 0.7972585, percent agreement 0.89."""
    a, b = _table_to_pairs(np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]]))
    table = rating_table(np.column_stack([a, b]), 3)
    assert C.library_cohen(table, 0, 1) == pytest.approx(0.7964094, abs=1e-7)
    assert C.gwet_ac1(table)[0] == pytest.approx(0.8493305, abs=1e-7)
    assert C.brennan_prediger(table)[0] == pytest.approx(0.835, abs=1e-9)
    assert C.library_alpha(table) == pytest.approx(0.7972585, abs=1e-7)
    assert C.percent_agreement(table)[0] == pytest.approx(0.89, abs=1e-12)


def test_gwet_ac1_two_raters_binary_matches_two_by_two_formula():
    """Gwet (2008), eq. for two raters and two categories: pe = 2 pi (1 - pi), pi = (A + B) / 2n."""
    confusion = np.array([[118, 5], [2, 0]])  # Gwet (2008) style high-agreement, low-prevalence table
    a, b = _table_to_pairs(confusion)
    table = rating_table(np.column_stack([a, b]), 2)
    n = confusion.sum()
    pa = np.trace(confusion) / n
    pi = (confusion[0].sum() + confusion[:, 0].sum()) / (2 * n)
    pe = 2 * pi * (1 - pi)
    assert C.gwet_ac1(table)[0] == pytest.approx((pa - pe) / (1 - pe), abs=1e-12)


def test_cohen_1960_examples():
    """Cohen (1960), p. 45: 200 cases, 3 categories; p_o = .70, p_c = .41, kappa = .29 / .59 = .492.
    And p. 37: 100 cases with p_o = .29 and p_c = .35, so kappa = (.29 - .35) / (1 - .35)."""
    confusion = np.array([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
    a, b = _table_to_pairs(confusion)
    table = rating_table(np.column_stack([a, b]), 3)
    assert C.library_cohen(table, 0, 1) == pytest.approx(0.29 / 0.59, abs=1e-9)
    assert C.cohen_kappa_closed(table, 0, 1)[0] == pytest.approx(0.492, abs=5e-4)
    a, b = _table_to_pairs(np.array([[25, 12, 3], [13, 2, 15], [12, 16, 2]]))
    table = rating_table(np.column_stack([a, b]), 3)
    assert C.cohen_kappa_closed(table, 0, 1)[0] == pytest.approx((0.29 - 0.35) / 0.65, abs=1e-9)


# Fleiss (1971), psychiatric diagnoses: 30 subjects, 6 raters, 5 categories; raw form as distributed
# with R irr (data "diagnoses") and used in statsmodels' tests. Published kappa 0.430.
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
)


def test_fleiss_1971_kappa_is_0_430():
    """Fleiss (1971), 30 subjects x 6 raters x 5 diagnoses: kappa = 0.430 (R irr: 0.4302445)."""
    table = rating_table(FLEISS_1971 - 1, 5)
    assert C.library_fleiss(table) == pytest.approx(0.4302445, abs=1e-7)
    assert C.fleiss_kappa_closed(table)[0] == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_wikipedia_example_is_0_210():
    """Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories, kappa = 0.210."""
    from statsmodels.stats.inter_rater import fleiss_kappa

    counts = np.array(
        [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
         [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    )
    raw = np.array([np.repeat(np.arange(5), row) for row in counts])
    table = rating_table(raw, 5)
    assert C.library_fleiss(table) == pytest.approx(0.210, abs=5e-4)
    assert C.fleiss_kappa_closed(table)[0] == pytest.approx(fleiss_kappa(counts), abs=1e-12)


def test_brennan_prediger_equals_statsmodels_randolph_on_complete_data():
    """Randolph's free-marginal multirater kappa is Brennan-Prediger for complete data (Fleiss 1971 data)."""
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    counts, _ = aggregate_raters(FLEISS_1971 - 1, n_cat=5)
    table = rating_table(FLEISS_1971 - 1, 5)
    assert C.brennan_prediger(table)[0] == pytest.approx(fleiss_kappa(counts, method="randolph"), abs=1e-12)
