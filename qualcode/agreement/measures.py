"""Every coefficient of one rating table as value objects: point estimate, bootstrap interval, or reason undefined."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qualcode.agreement import coefficients as C
from qualcode.agreement.bootstrap import intervals
from qualcode.agreement.patterns import RatingTable, decode_keys, encode_keys, table_from_keys
from qualcode.agreement.units import UnitTable


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


def _stat(name: str):
    closed = C.CLOSED_FORMS[name]
    return lambda table, weights: closed(table, weights)


def _pair_stat(a: int, b: int):
    return lambda table, weights: C.cohen_kappa_closed(table, a, b, weights)


def measure(
    table: RatingTable,
    names: Sequence[str],
    reps: int,
    seed: int | tuple[int, ...],
    confidence: float,
    point: str = "library",
) -> dict[str, C.Coefficient]:
    """Coefficients ``names`` on ``table``; ``point='library'`` takes point estimates from the reference
    libraries where the method has one, ``'closed'`` from the vectorised closed forms (same values)."""
    reasons = {name: C.undefined_reason(table, name) for name in names}
    defined = [name for name in names if reasons[name] is None]
    cis = intervals(table, {name: _stat(name) for name in defined}, reps, seed, confidence)
    out = {}
    for name in names:
        n = complete_units(table) if name == C.FLEISS else pairable_units(table)
        if reasons[name] is not None:
            out[name] = C.Coefficient(name, None, n, reasons[name])
            continue
        value = C.point_estimate(table, name) if point == "library" else float(C.CLOSED_FORMS[name](table)[0])
        if not np.isfinite(value):
            out[name] = C.Coefficient(name, None, n, "expected agreement is perfect (chance agreement = 1)")
            continue
        ci = cis[name]
        out[name] = C.Coefficient(name, value, n, None, ci.low, ci.high, ci.reps)
    return out


def measure_pairs(
    table: RatingTable, reps: int, seed: int | tuple[int, ...], confidence: float
) -> dict[tuple[int, int], C.Coefficient]:
    """Cohen's kappa (scikit-learn) for every coder pair, each with its bootstrap interval."""
    pairs = C.pairs(table.values.shape[1])
    reasons = {pair: C.undefined_reason(table, C.COHEN, pair=pair) for pair in pairs}
    stats = {f"{a}-{b}": _pair_stat(a, b) for (a, b) in pairs if reasons[(a, b)] is None}
    cis = intervals(table, stats, reps, seed, confidence)
    out = {}
    for a, b in pairs:
        both = (table.values[:, a] >= 0) & (table.values[:, b] >= 0)
        n = int(round(table.weights[both].sum()))
        if reasons[(a, b)] is not None:
            out[(a, b)] = C.Coefficient(C.COHEN, None, n, reasons[(a, b)])
            continue
        value = C.library_cohen(table, a, b)
        if not np.isfinite(value):
            out[(a, b)] = C.Coefficient(C.COHEN, None, n, "expected agreement is perfect (chance agreement = 1)")
            continue
        ci = cis[f"{a}-{b}"]
        out[(a, b)] = C.Coefficient(C.COHEN, value, n, None, ci.low, ci.high, ci.reps)
    return out


def code_tables(units: UnitTable) -> list[RatingTable]:
    """One binary RatingTable per code, built from all codes' pattern keys in one pass."""
    n_codes, _, m = units.presence.shape
    powers = 3 ** np.arange(m, dtype=np.int64)
    # digit per coder: 0 missing, 1 not applied, 2 applied
    digits = np.where(units.observed[None, :, :], units.presence.astype(np.int8) + 1, 0)
    keys = (digits.astype(np.int64) * powers).sum(axis=2)  # (codes, units)
    weights = units.weights.astype(np.float64)
    space = 3**m
    if space * n_codes <= 50_000_000:
        counts = np.bincount((keys + np.arange(n_codes)[:, None] * space).ravel(),
                             weights=np.broadcast_to(weights, keys.shape).ravel(), minlength=space * n_codes)
        counts = counts.reshape(n_codes, space)
        tables = []
        for c in range(n_codes):
            present = np.flatnonzero(counts[c])
            tables.append(_table(present, counts[c, present], m))
        return tables
    return [table_from_keys(keys[c], weights, 2, m) for c in range(n_codes)]


def _table(keys: np.ndarray, counts: np.ndarray, m: int) -> RatingTable:
    return RatingTable(decode_keys(keys.astype(np.int64), 2, m), counts.astype(np.float64), 2)


def pooled_table(tables: Sequence[RatingTable]) -> RatingTable:
    """All code-by-unit decisions together, as one binary variable."""
    if not tables:
        return RatingTable(np.zeros((0, 0), np.int16), np.zeros(0), 2)
    values = np.concatenate([t.values for t in tables])
    weights = np.concatenate([t.weights for t in tables])
    return table_from_keys(encode_keys(values, 2), weights, 2, values.shape[1])
