"""Compress a units-by-coders rating matrix into distinct rating patterns with weights."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.errors import InvalidInput

MISSING = -1


@dataclass(frozen=True, slots=True)
class RatingTable:
    """Distinct rating patterns of one variable and how much weight (units, or characters) each carries.

    ``values[p, k]`` is the category (0..q-1) coder k gave in pattern p, or -1 when the coder did not
    rate those units. Every coefficient depends on the data only through these patterns and weights,
    which is what makes a thousand bootstrap replicates cheap: a replicate is a re-weighting.
    """

    values: np.ndarray  # (P, m) int16
    weights: np.ndarray  # (P,) float64
    n_categories: int
    category_counts: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    """r[p, c]: how many coders put pattern p's units into category c (derived, computed once)."""

    def __post_init__(self) -> None:
        if self.category_counts is None:
            onehot = self.values[:, :, None] == np.arange(self.n_categories)[None, None, :]
            object.__setattr__(self, "category_counts", onehot.sum(axis=1))

    @property
    def n_units(self) -> float:
        return float(self.weights.sum())


def encode_keys(values: np.ndarray, n_categories: int) -> np.ndarray:
    """One integer per row of ``values`` (..., m) with -1 as missing, in base n_categories + 1."""
    base = n_categories + 1
    m = values.shape[-1]
    if m * np.log2(base) >= 62:
        raise InvalidInput(f"too many coders ({m}) for one audit; compare at most {int(62 / np.log2(base))} at a time")
    powers = base ** np.arange(m, dtype=np.int64)
    return (values.astype(np.int64) + 1) @ powers


def decode_keys(keys: np.ndarray, n_categories: int, n_coders: int) -> np.ndarray:
    base = n_categories + 1
    powers = base ** np.arange(n_coders, dtype=np.int64)
    return ((keys[:, None] // powers[None, :]) % base - 1).astype(np.int16)


def table_from_keys(keys: np.ndarray, weights: np.ndarray | None, n_categories: int, n_coders: int) -> RatingTable:
    """Group equal pattern keys; weights default to one per unit."""
    unique, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=weights, minlength=len(unique)).astype(np.float64)
    return RatingTable(decode_keys(unique, n_categories, n_coders), counts, n_categories)


def rating_table(values: np.ndarray, n_categories: int, weights: np.ndarray | None = None) -> RatingTable:
    """Build a RatingTable from a units-by-coders matrix with -1 (or NaN-free int) for missing."""
    values = np.asarray(values)
    keys = encode_keys(values, n_categories)
    return table_from_keys(keys, weights, n_categories, values.shape[1])


def expand(table: RatingTable) -> np.ndarray:
    """The units-by-coders matrix again (rows repeated by integer weight); for tests and libraries."""
    reps = np.rint(table.weights).astype(np.int64)
    return np.repeat(table.values, reps, axis=0)
