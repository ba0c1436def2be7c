"""Property tests for the parts whose inputs are open-ended: segment labelling and the metrics."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain import Coding, Segment
from qualcode.nlp.suggest.corpus import label_segments
from qualcode.nlp.suggest.evaluate import score_rankings
from qualcode.nlp.suggest.protocol import CodeProfile

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def segments_and_codings(draw):
    bounds = sorted(set(draw(st.lists(st.integers(1, 400), min_size=1, max_size=8))))
    starts = [0, *bounds[:-1]]
    segments = [Segment(i, 1, i, s, e) for i, (s, e) in enumerate(zip(starts, bounds, strict=True))]
    codings = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, bounds[-1] - 1))
        end = draw(st.integers(start + 1, bounds[-1]))
        codings.append(Coding(i, 1, start, end, draw(st.integers(1, 3)), 1, NOW))
    return segments, codings


@given(segments_and_codings())
def test_a_coding_labels_exactly_the_segments_it_covers_enough_of(case):
    segments, codings = case
    labels = label_segments(segments, codings)
    for seg in segments:
        expected = set()
        for coding in codings:
            overlap = min(seg.end, coding.end) - max(seg.start, coding.start)
            shorter = max(1, min(seg.end - seg.start, coding.end - coding.start))
            if overlap > 0 and overlap >= 0.5 * shorter:
                expected.add(coding.code_id)
        assert labels.get((1, seg.index), set()) == expected
    # a coding inside one segment always labels it
    for coding in codings:
        inside = [s for s in segments if s.start <= coding.start and coding.end <= s.end]
        for seg in inside:
            assert coding.code_id in labels[(1, seg.index)]


CODES = [CodeProfile(i, f"c{i}", f"c{i}") for i in range(1, 5)]
gold_sets = st.frozensets(st.integers(1, 4), max_size=3)


@given(st.lists(gold_sets, min_size=1, max_size=20), st.randoms(use_true_random=False), st.floats(0.05, 0.95))
def test_metrics_stay_in_range_and_a_perfect_ranking_scores_one(gold, rng, threshold):
    noisy = []
    for g in gold:
        order = list(range(1, 5))
        rng.shuffle(order)
        noisy.append([(c, rng.random()) for c in order])
    report = score_rankings(gold, noisy, CODES, threshold)
    for value in (report.precision_at_1, report.recall_at_3, report.hit_at_3, report.micro_f1, report.macro_f1):
        assert 0.0 <= value <= 1.0
    assert report.recall_at_3 <= report.hit_at_3 + 1e-9
    perfect = [[(c, 1.0) for c in sorted(g)] + [(c, 0.0) for c in range(1, 5) if c not in g] for g in gold]
    best = score_rankings(gold, perfect, CODES, threshold)
    if any(gold):
        assert best.precision_at_1 == 1.0 and best.hit_at_3 == 1.0
        assert best.micro_f1 == 1.0
    assert all(c.kappa is None or c.kappa == 1.0 for c in best.per_code)
