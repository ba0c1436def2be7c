"""Agreement coefficients over rating tables: vectorised closed forms and the reference libraries' values.

The closed forms compute each coefficient for many re-weightings at once (bootstrap replicates). The
library_* functions give the reference libraries' values (krippendorff, statsmodels, scikit-learn) on
the same table; the report takes alpha from the krippendorff package, and the tests hold every closed
form equal to its library to 1e-9 on random data with missing ratings. Gwet's AC1 and Brennan-Prediger
follow Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., which handles missing ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from qualcode.agreement.patterns import RatingTable
from qualcode.errors import InvalidInput

ALPHA = "krippendorff_alpha"
FLEISS = "fleiss_kappa"
AC1 = "gwet_ac1"
BP = "brennan_prediger"
PERCENT = "percent_agreement"
COHEN = "cohen_kappa"
UNITIZED = "unitized_alpha"
CHANCE_CORRECTED = (ALPHA, FLEISS, AC1, BP)
ALL_OVERALL = (PERCENT, ALPHA, FLEISS, AC1, BP)

LABELS = {
    PERCENT: "Percent agreement",
    ALPHA: "Krippendorff's alpha (nominal)",
    FLEISS: "Fleiss' kappa",
    AC1: "Gwet's AC1",
    BP: "Brennan-Prediger",
    COHEN: "Cohen's kappa",
    UNITIZED: "Krippendorff's unitized alpha (u-alpha)",
}


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One figure; ``value`` is None exactly when the coefficient is undefined, and ``reason`` says why."""

    name: str
    value: float | None
    n_units: int
    reason: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_reps: int = 0

    @property
    def defined(self) -> bool:
        return self.value is not None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "reason": self.reason,
            "n_units": self.n_units,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "ci_reps": self.ci_reps,
        }


def _w(table: RatingTable, weights: np.ndarray | None) -> np.ndarray:
    """Weights as a (R, P) matrix: one row per replicate (the observed data is one replicate)."""
    w = table.weights if weights is None else weights
    return np.atleast_2d(np.asarray(w, dtype=np.float64))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def percent_agreement(table: RatingTable, weights: np.ndarray | None = None) -> np.ndarray:
    """Share of agreeing coder pairs per unit, averaged over units rated by two or more coders."""
    w = _w(table, weights)
    r = table.category_counts.astype(np.float64)
    m = r.sum(axis=1)
    pairable = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        agree_u = np.where(pairable, (r * (r - 1)).sum(axis=1) / (m * (m - 1)), 0.0)
    return _ratio(w @ agree_u, w @ pairable.astype(np.float64))


def _classification_shares(table: RatingTable, w: np.ndarray) -> np.ndarray:
    """pi_k of Gwet (2014): mean over units rated by at least one coder of r_uk / r_u; shape (R, q)."""
    r = table.category_counts.astype(np.float64)
    m = r.sum(axis=1)
    rated = m >= 1
    share = np.where(rated[:, None], r / np.where(rated, m, 1)[:, None], 0.0)
    return _ratio(w @ share, (w @ rated.astype(np.float64))[:, None])


def _chance_corrected(pa: np.ndarray, pe: np.ndarray) -> np.ndarray:
    return _ratio(pa - pe, 1.0 - pe) if np.ndim(pe) else _ratio(pa - pe, np.full_like(pa, 1.0 - pe))


def gwet_ac1(table: RatingTable, weights: np.ndarray | None = None) -> np.ndarray:
    """Gwet's AC1: chance agreement (1/(q-1)) sum_k pi_k (1 - pi_k)."""
    w = _w(table, weights)
    q = table.n_categories
    pi = _classification_shares(table, w)
    pe = (pi * (1 - pi)).sum(axis=1) / (q - 1)
    return _chance_corrected(percent_agreement(table, w), pe)


def brennan_prediger(table: RatingTable, weights: np.ndarray | None = None) -> np.ndarray:
    """Brennan-Prediger (free-marginal) coefficient: chance agreement 1/q."""
    pa = percent_agreement(table, weights)
    pe = 1.0 / table.n_categories
    return _ratio(pa - pe, np.full_like(pa, 1.0 - pe))


def krippendorff_alpha_closed(table: RatingTable, weights: np.ndarray | None = None) -> np.ndarray:
    """Nominal alpha: 1 - (n-1) sum_u (m_u^2 - sum_c r_uc^2)/(m_u - 1) / (n^2 - sum_c n_c^2)."""
    w = _w(table, weights)
    r = table.category_counts.astype(np.float64)
    m = r.sum(axis=1)
    pairable = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        dis_u = np.where(pairable, (m**2 - (r**2).sum(axis=1)) / np.where(pairable, m - 1, 1), 0.0)
    n_c = w @ (r * pairable[:, None])
    n = n_c.sum(axis=1)
    expected = n**2 - (n_c**2).sum(axis=1)
    return 1.0 - _ratio((n - 1) * (w @ dis_u), expected)


def fleiss_kappa_closed(table: RatingTable, weights: np.ndarray | None = None) -> np.ndarray:
    """Fleiss' kappa over the units every coder rated (Fleiss 1971 needs a constant number of raters)."""
    w = _w(table, weights)
    r = table.category_counts.astype(np.float64)
    n_coders = table.values.shape[1]
    complete = (r.sum(axis=1) == n_coders).astype(np.float64)
    wc = w * complete[None, :]
    total = wc.sum(axis=1)
    p_j = _ratio(wc @ r, (total * n_coders)[:, None])
    p_u = ((r**2).sum(axis=1) - n_coders) / (n_coders * (n_coders - 1))
    p_bar = _ratio(wc @ p_u, total)
    p_e = (p_j**2).sum(axis=1)
    return _ratio(p_bar - p_e, 1.0 - p_e)


def cohen_kappa_closed(table: RatingTable, a: int, b: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Cohen's kappa for coders a and b over the units both rated."""
    return cohen_kappa_pairs_closed(table, [(a, b)], weights)[:, 0]


def cohen_kappa_pairs_closed(
    table: RatingTable, coder_pairs: list[tuple[int, int]], weights: np.ndarray | None = None
) -> np.ndarray:
    """Cohen's kappa for several coder pairs at once; shape (replicates, pairs)."""
    w = _w(table, weights)
    q = table.n_categories
    cells = np.arange(q * q)[None, :]
    columns = []
    for a, b in coder_pairs:
        va, vb = table.values[:, a], table.values[:, b]
        cell = np.where((va >= 0) & (vb >= 0), va.astype(np.int64) * q + vb, -1)
        columns.append(cell[:, None] == cells)
    onehot = np.concatenate(columns, axis=1).astype(np.float64) if columns else np.zeros((len(table.weights), 0))
    confusion = (w @ onehot).reshape(w.shape[0], len(coder_pairs), q, q)
    total = confusion.sum(axis=(2, 3))
    p_o = _ratio(np.trace(confusion, axis1=2, axis2=3), total)
    p_e = _ratio((confusion.sum(axis=3) * confusion.sum(axis=2)).sum(axis=2), total**2)
    return _ratio(p_o - p_e, 1.0 - p_e)


CLOSED_FORMS = {
    PERCENT: percent_agreement,
    ALPHA: krippendorff_alpha_closed,
    FLEISS: fleiss_kappa_closed,
    AC1: gwet_ac1,
    BP: brennan_prediger,
}


# --- the reference libraries' values ---------------------------------------------------------------


def library_alpha(table: RatingTable) -> float:
    import krippendorff  # deferred: only when a report is built

    r = table.category_counts
    pairable = r.sum(axis=1) >= 2
    reps = np.rint(table.weights[pairable]).astype(np.int64)
    value_counts = np.repeat(r[pairable], reps, axis=0)
    return float(krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal"))


def library_fleiss(table: RatingTable) -> float:
    try:
        from statsmodels.stats.inter_rater import fleiss_kappa  # deferred: statsmodels import is slow
    except ModuleNotFoundError:
        # statsmodels is a test dependency: only the reference check asks for the library's value.
        raise InvalidInput("the library value of Fleiss' kappa needs statsmodels (pip install 'qualcode[test]')") from None

    r = table.category_counts
    complete = r.sum(axis=1) == table.values.shape[1]
    reps = np.rint(table.weights[complete]).astype(np.int64)
    return float(fleiss_kappa(np.repeat(r[complete], reps, axis=0), method="fleiss"))


def library_cohen(table: RatingTable, a: int, b: int) -> float:
    from sklearn.metrics import cohen_kappa_score  # deferred: scikit-learn import is slow

    va, vb = table.values[:, a], table.values[:, b]
    both = (va >= 0) & (vb >= 0) & (table.weights > 0)
    return float(
        cohen_kappa_score(va[both], vb[both], labels=list(range(table.n_categories)), sample_weight=table.weights[both])
    )


# --- undefined cases ------------------------------------------------------------------------------


def undefined_reason(table: RatingTable, name: str, pair: tuple[int, int] | None = None) -> str | None:
    """Why a coefficient cannot be computed on this table, or None when it can."""
    r = table.category_counts
    weights = table.weights > 0
    if pair is not None:
        va, vb = table.values[:, pair[0]], table.values[:, pair[1]]
        rows = weights & (va >= 0) & (vb >= 0)
        if not rows.any():
            return "no unit rated by both coders"
        used = np.union1d(va[rows], vb[rows])
        return _variation_reason(used)
    m = r.sum(axis=1)
    if name == FLEISS:
        rows = weights & (m == table.values.shape[1])
        if not rows.any():
            return "no unit rated by every coder (Fleiss' kappa needs complete ratings)"
    else:
        rows = weights & (m >= 2)
        if not rows.any():
            return "no unit rated by two or more coders"
    if name == PERCENT:
        return None
    used = np.flatnonzero(r[rows].sum(axis=0) > 0)
    return _variation_reason(used)


def _variation_reason(used: np.ndarray) -> str | None:
    if len(used) == 0:
        return "no ratings"
    if len(used) == 1:
        return f"no variation: every rating is category {int(used[0])}"
    return None


def point_estimate(table: RatingTable, name: str) -> float:
    """Alpha from the krippendorff package; the others from the closed forms (held equal to their
    libraries by the tests, and far cheaper than one library call per code)."""
    if name == ALPHA:
        return library_alpha(table)
    return float(CLOSED_FORMS[name](table)[0])


def pairs(n_coders: int) -> list[tuple[int, int]]:
    return list(combinations(range(n_coders), 2))
