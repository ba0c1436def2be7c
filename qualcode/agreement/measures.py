"""Every coefficient of one rating table as value objects: point estimate, bootstrap interval, or reason undefined."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qualcode.agreement import coefficients as C
from qualcode.agreement.bootstrap import intervals
from qualcode.agreement.patterns import RatingTable, decode_keys, encode_keys, table_from_keys
from qualcode.agreement.units import UnitTable
from qualcode.errors import InvalidInput


def pairable_units(table: RatingTable) -> int:
    """Units (or characters) rated by two or more coders."""
    rated = (table.values >= 0).sum(axis=1)
    return int(round(table.weights[rated >= 2].sum()))


def complete_units(table: RatingTable) -> int:
    rated = (table.values >= 0).sum(axis=1)
    return int(round(table.weights[rated == table.values.shape[1]].sum()))


def prevalence(table: RatingTable, category: int = 1) -> float | None:
    """Share of ratings, on units rated by two or more coders, that fall in ``category`` (1 = code applied)."""
    rated = (table.values >= 0).sum(axis=1)
    rows = rated >= 2
    total = (table.weights[rows] * rated[rows]).sum()
    if total == 0:
        return None
    hits = (table.values[rows] == category).sum(axis=1)
    return float((table.weights[rows] * hits).sum() / total)


def _pair_stats(pairs: list[tuple[int, int]]) -> dict:
    """One statistic per pair, all served by a single vectorised call per set of replicate weights."""
    cache: dict[int, np.ndarray] = {}

    def column(i: int):
        def statistic(table: RatingTable, weights: np.ndarray) -> np.ndarray:
            if id(weights) not in cache:
                cache.clear()
                cache[id(weights)] = C.cohen_kappa_pairs_closed(table, pairs, weights)
            return cache[id(weights)][:, i]

        return statistic

    return {pair: column(i) for i, pair in enumerate(pairs)}


_PERFECT_CHANCE = "expected agreement is perfect (chance agreement = 1)"


def measure(
    table: RatingTable,
    names: Sequence[str],
    reps: int,
    seed: int | tuple[int, ...],
    confidence: float,
    point: str = "library",
    with_pairs: bool = False,
) -> tuple[dict[str, C.Coefficient], dict[tuple[int, int], C.Coefficient]]:
    """Coefficients ``names`` on ``table`` and, with ``with_pairs``, Cohen's kappa for every coder pair.

    ``point='library'`` takes alpha from the krippendorff package and the rest from the closed forms,
    which tests hold equal to statsmodels and scikit-learn (a library call per code and coder pair
    would cost most of the report's time budget); ``'libraries'`` also takes Fleiss' kappa from
    statsmodels and Cohen's kappa from scikit-learn; ``'closed'`` uses the closed forms throughout.
    All bootstrap intervals of one table come from the same resamples.
    """
    reasons = {name: C.undefined_reason(table, name) for name in names}
    pairs = C.pairs(table.values.shape[1]) if with_pairs else []
    pair_reasons = {pair: C.undefined_reason(table, C.COHEN, pair=pair) for pair in pairs}
    stats = {name: C.CLOSED_FORMS[name] for name in names if reasons[name] is None}
    stats.update(_pair_stats([pair for pair in pairs if pair_reasons[pair] is None]))
    cis = intervals(table, stats, reps, seed, confidence)
    out = {}
    for name in names:
        n = complete_units(table) if name == C.FLEISS else pairable_units(table)
        if reasons[name] is not None:
            out[name] = C.Coefficient(name, None, n, reasons[name])
            continue
        value = _point(table, name, point)
        out[name] = _coefficient(name, value, n, cis[name])
    defined_pairs = [pair for pair in pairs if pair_reasons[pair] is None]
    if point == "libraries":
        point_pairs = {pair: C.library_cohen(table, *pair) for pair in defined_pairs}
    else:
        point_pairs = dict(zip(defined_pairs, C.cohen_kappa_pairs_closed(table, defined_pairs)[0])) if defined_pairs else {}
    pair_out = {}
    for a, b in pairs:
        both = (table.values[:, a] >= 0) & (table.values[:, b] >= 0)
        n = int(round(table.weights[both].sum()))
        if pair_reasons[(a, b)] is not None:
            pair_out[(a, b)] = C.Coefficient(C.COHEN, None, n, pair_reasons[(a, b)])
            continue
        pair_out[(a, b)] = _coefficient(C.COHEN, float(point_pairs[(a, b)]), n, cis[(a, b)])
    return out, pair_out


def _point(table: RatingTable, name: str, point: str) -> float:
    """Point estimate: 'closed' (closed forms), 'library' (alpha from krippendorff), or 'libraries'
    (alpha from krippendorff and Fleiss' kappa from statsmodels as well)."""
    if point == "libraries" and name == C.FLEISS:
        return C.library_fleiss(table)
    if point in ("library", "libraries") and name == C.ALPHA:
        return C.library_alpha(table)
    return float(C.CLOSED_FORMS[name](table)[0])


def _coefficient(name: str, value: float, n: int, ci) -> C.Coefficient:
    if not np.isfinite(value):
        return C.Coefficient(name, None, n, _PERFECT_CHANCE)
    return C.Coefficient(name, value, n, None, ci.low, ci.high, ci.reps)


def code_tables(units: UnitTable) -> list[RatingTable]:
    """One binary RatingTable per code, built from all codes' pattern keys in one pass."""
    n_codes, n_units, m = units.presence.shape
    if m * np.log2(3) >= 62:
        raise InvalidInput(f"too many coders ({m}) for one audit; compare at most 39 at a time")
    # digit per coder: 0 missing, 1 not applied, 2 applied; summed coder by coder to keep temporaries small
    dtype = np.int32 if 3**m < 2**31 else np.int64
    keys = np.zeros((n_codes, n_units), dtype=dtype)
    for k in range(m):
        digit = (units.presence[:, :, k].astype(dtype) + 1) * units.observed[:, k].astype(dtype)
        keys += digit * dtype(3**k)
    weights = units.weights.astype(np.float64)
    space = 3**m
    if space * n_codes <= 20_000_000:
        flat = (keys.astype(np.int64) + np.arange(n_codes, dtype=np.int64)[:, None] * space).ravel()
        if np.all(units.weights == 1):
            counts = np.bincount(flat, minlength=space * n_codes).astype(np.float64)
        else:
            counts = np.bincount(flat, weights=np.tile(weights, n_codes), minlength=space * n_codes)
        counts = counts.reshape(n_codes, space)
        tables = []
        for c in range(n_codes):
            present = np.flatnonzero(counts[c])
            tables.append(_table(present, counts[c, present], m))
        return tables
    return [table_from_keys(keys[c].astype(np.int64), weights, 2, m) for c in range(n_codes)]


def _table(keys: np.ndarray, counts: np.ndarray, m: int) -> RatingTable:
    return RatingTable(decode_keys(keys.astype(np.int64), 2, m), counts.astype(np.float64), 2)


def pooled_table(tables: Sequence[RatingTable]) -> RatingTable:
    """All code-by-unit decisions together, as one binary variable."""
    if not tables:
        return RatingTable(np.zeros((0, 0), np.int16), np.zeros(0), 2)
    values = np.concatenate([t.values for t in tables])
    weights = np.concatenate([t.weights for t in tables])
    return table_from_keys(encode_keys(values, 2), weights, 2, values.shape[1])
