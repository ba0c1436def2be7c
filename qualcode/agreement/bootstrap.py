"""Percentile bootstrap intervals by resampling units, drawn as multinomial re-weightings of rating patterns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from qualcode.agreement.patterns import RatingTable

DEFAULT_REPS = 1000
DEFAULT_SEED = 20240101

Statistic = Callable[[RatingTable, np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class Interval:
    low: float | None
    high: float | None
    reps: int  # replicates in which the statistic was defined


def replicate_weights(table: RatingTable, reps: int, rng: np.random.Generator) -> np.ndarray:
    """(reps, P) pattern weights of ``reps`` samples of N units drawn with replacement.

    Drawing N units with replacement and counting how many fall in each pattern is exactly a
    multinomial draw with the patterns' shares as probabilities, so no unit-level array is needed.
    """
    total = int(round(table.weights.sum()))
    if total == 0:
        return np.zeros((reps, len(table.weights)))
    shares = table.weights / table.weights.sum()
    return rng.multinomial(total, shares, size=reps).astype(np.float64)


def intervals(
    table: RatingTable,
    statistics: Mapping[str, Statistic],
    reps: int = DEFAULT_REPS,
    seed: int | tuple[int, ...] = DEFAULT_SEED,
    confidence: float = 0.95,
) -> dict[str, Interval]:
    """Percentile intervals for each statistic over the same ``reps`` resamples (undefined replicates dropped)."""
    if reps <= 0:
        return {name: Interval(None, None, 0) for name in statistics}
    rng = np.random.default_rng(seed)
    weights = replicate_weights(table, reps, rng)
    tail = (1.0 - confidence) / 2.0 * 100.0
    names = list(statistics)
    if not names:
        return {}
    values = np.vstack([statistics[name](table, weights).reshape(reps, -1).T for name in names])
    values = np.where(np.isfinite(values), values, np.nan)
    defined = np.isfinite(values).sum(axis=1)
    low = _percentile_rows(values, defined, tail)
    high = _percentile_rows(values, defined, 100.0 - tail)
    out = {}
    for row, name in enumerate(names):
        if defined[row] == 0:
            out[name] = Interval(None, None, 0)
        else:
            out[name] = Interval(float(low[row]), float(high[row]), int(defined[row]))
    return out


def _percentile_rows(values: np.ndarray, defined: np.ndarray, q: float) -> np.ndarray:
    """Per-row percentile over the finite entries, numpy's default linear interpolation.

    Written out because np.nanpercentile along an axis loops in Python row by row.
    """
    ordered = np.sort(values, axis=1)  # NaN sort last
    position = np.maximum(defined - 1, 0) * (q / 100.0)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(defined - 1, 0))
    rows = np.arange(len(values))
    lower, upper = ordered[rows, below], ordered[rows, above]
    return lower + (upper - lower) * (position - below)
