"""Bootstrap by multinomial re-weighting of patterns behaves like resampling units directly."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.agreement import coefficients as C
from qualcode.agreement.bootstrap import intervals, replicate_weights
from qualcode.agreement.patterns import rating_table


def _ratings(n_units=120, seed=11):
    rng = np.random.default_rng(seed)
    truth = rng.random(n_units) < 0.3
    values = np.column_stack([truth ^ (rng.random(n_units) < 0.15) for _ in range(3)]).astype(int)
    values[rng.random(values.shape) < 0.1] = -1
    return values


def test_pattern_reweighting_matches_unit_resampling():
    values = _ratings()
    table = rating_table(values, 2)
    ours = intervals(table, {"alpha": C.krippendorff_alpha_closed}, reps=4000, seed=1)["alpha"]
    # the slow way: draw unit indices, rebuild the table each time
    rng = np.random.default_rng(2)
    direct = []
    for _ in range(4000):
        sample = values[rng.integers(0, len(values), len(values))]
        direct.append(C.krippendorff_alpha_closed(rating_table(sample, 2))[0])
    low, high = np.nanpercentile(direct, [2.5, 97.5])
    assert ours.low == pytest.approx(low, abs=0.02)
    assert ours.high == pytest.approx(high, abs=0.02)


def test_replicates_keep_the_sample_size_and_seed():
    table = rating_table(_ratings(), 2)
    first = replicate_weights(table, 50, np.random.default_rng(9))
    again = replicate_weights(table, 50, np.random.default_rng(9))
    assert np.array_equal(first, again)
    assert np.all(first.sum(axis=1) == table.weights.sum())


def test_interval_narrows_with_more_units_and_covers_the_estimate():
    values = _ratings()
    small = rating_table(values, 2)
    large = rating_table(np.tile(values, (4, 1)), 2)
    stats = {"alpha": C.krippendorff_alpha_closed}
    narrow = intervals(large, stats, reps=1000, seed=3)["alpha"]
    wide = intervals(small, stats, reps=1000, seed=3)["alpha"]
    assert (narrow.high - narrow.low) < (wide.high - wide.low)
    estimate = C.krippendorff_alpha_closed(small)[0]
    assert wide.low < estimate < wide.high


def test_never_defined_statistic_has_no_interval():
    table = rating_table(np.zeros((10, 2), dtype=int), 2)
    result = intervals(table, {"alpha": C.krippendorff_alpha_closed}, reps=30, seed=1)["alpha"]
    assert (result.low, result.high, result.reps) == (None, None, 0)
    assert intervals(table, {"alpha": C.krippendorff_alpha_closed}, reps=0)["alpha"].reps == 0
