"""Krippendorff's alpha for unitized data (u-alpha) over the coded spans themselves.

Implemented from the published definition: Krippendorff (2004), "Measuring the reliability of
qualitative text analysis data", Quality & Quantity 38:787-800, and Content Analysis, 2nd ed.
(2004), pp. 251-256, where the continuum of length L is cut by each of m coders into sections
(coded units, v = 1, and gaps, v = 0) per category k:

    uD_o(k) = sum_{i != j} sum_g sum_h delta2(ig, jh) / (m (m - 1) L^2)
    delta2  = (b_ig - b_jh)^2 + (e_ig - e_jh)^2   both units, overlapping
            = l_ig^2                             unit ig lies inside gap jh
            = l_jh^2                             unit jh lies inside gap ig
            = 0                                  otherwise
    uD_e(k) = 2/L * sum_i sum_g v_ig [ (N_k - 1)/3 (2 l^3 - 3 l^2 + l)
                     + l^2 sum_j sum_h (1 - v_jh)(l_jh - l_ig + 1)[l_jh >= l_ig] ]
              / (m L (m L - 1) - sum_i sum_g v_ig l_ig (l_ig - 1))
    u-alpha(k) = 1 - uD_o(k) / uD_e(k);   u-alpha = 1 - sum_k uD_o(k) / sum_k uD_e(k)

N_k is the number of units of category k over all coders. Several documents form one continuum
whose length is the sum of theirs; sections never cross a document boundary. Overlapping spans
of one coder and category are merged first, since the definition requires sections not to overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Sections:
    """Coded units and gaps of one coder in one document for one category."""

    begin: np.ndarray
    length: np.ndarray
    coded: np.ndarray  # bool


@dataclass(frozen=True, slots=True)
class UnitizedResult:
    observed: float  # uD_o
    expected: float  # uD_e
    n_units: int  # N_k: coded units over all coders

    @property
    def alpha(self) -> float | None:
        return None if self.expected <= 0 else 1.0 - self.observed / self.expected


def merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping [start, end) spans, sorted; spans that only touch stay separate units."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def sections(spans: Sequence[tuple[int, int]], length: int) -> Sections:
    """Cut [0, length) into the merged spans and the gaps around them."""
    begins, lengths, coded, cursor = [], [], [], 0
    for start, end in merge_spans([(max(0, a), min(length, b)) for a, b in spans]):
        if start > cursor:
            begins.append(cursor), lengths.append(start - cursor), coded.append(False)
        begins.append(start), lengths.append(end - start), coded.append(True)
        cursor = end
    if cursor < length:
        begins.append(cursor), lengths.append(length - cursor), coded.append(False)
    return Sections(np.array(begins, np.int64), np.array(lengths, np.int64), np.array(coded, bool))


def pair_disagreement(a: Sections, b: Sections) -> float:
    """sum_g sum_h delta2(ag, bh) for one ordered pair of coders on one document."""
    ab, al, av = (x[:, None] for x in (a.begin, a.length, a.coded))
    bb, bl, bv = (x[None, :] for x in (b.begin, b.length, b.coded))
    ae, be = ab + al, bb + bl
    both = av & bv & (ab < be) & (bb < ae)
    a_in_gap = av & ~bv & (ab >= bb) & (ae <= be)
    b_in_gap = ~av & bv & (bb >= ab) & (be <= ae)
    total = np.where(both, (ab - bb) ** 2 + (ae - be) ** 2, 0)
    total = total + np.where(a_in_gap, al**2, 0) + np.where(b_in_gap, bl**2, 0)
    return float(total.sum())


def category_disagreements(by_coder: Sequence[Sequence[Sections]], total_length: int) -> UnitizedResult:
    """uD_o and uD_e for one category; by_coder[i][d] are coder i's sections in document d."""
    m = len(by_coder)
    length = float(total_length)
    observed = 0.0
    for i in range(m):
        for j in range(m):
            if i != j:
                observed += sum(pair_disagreement(a, b) for a, b in zip(by_coder[i], by_coder[j]))
    observed /= m * (m - 1) * length**2
    unit_len = np.concatenate([s.length[s.coded] for docs in by_coder for s in docs] or [np.zeros(0, np.int64)])
    gap_len = np.sort(np.concatenate([s.length[~s.coded] for docs in by_coder for s in docs] or [np.zeros(0, np.int64)]))
    n_units = len(unit_len)
    if n_units == 0:
        return UnitizedResult(observed, 0.0, 0)
    l = unit_len.astype(np.float64)
    # sum over gaps at least as long as the unit of (gap - l + 1), via sorted gaps and suffix sums
    first = np.searchsorted(gap_len, unit_len, side="left")
    suffix = np.concatenate([np.cumsum(gap_len[::-1])[::-1], [0]]).astype(np.float64)
    fitting = len(gap_len) - first
    gap_term = suffix[first] - (l - 1.0) * fitting
    within = (n_units - 1) / 3.0 * (2 * l**3 - 3 * l**2 + l)
    numerator = (within + l**2 * gap_term).sum()
    denominator = m * length * (m * length - 1) - (l * (l - 1)).sum()
    expected = 2.0 / length * numerator / denominator
    return UnitizedResult(observed, expected, n_units)


def unitized_alpha(
    spans: Mapping[str | int, Sequence[Sequence[Sequence[tuple[int, int]]]]],
    document_lengths: Sequence[int],
) -> tuple[dict[str | int, UnitizedResult], float | None]:
    """Per-category results and the overall u-alpha.

    ``spans[k][i][d]`` lists coder i's [start, end) spans of category k in document d.
    """
    total = int(sum(document_lengths))
    results = {}
    for category, by_coder in spans.items():
        cut = [[sections(doc_spans, n) for doc_spans, n in zip(coder_docs, document_lengths)] for coder_docs in by_coder]
        results[category] = category_disagreements(cut, total)
    expected = sum(r.expected for r in results.values())
    overall = None if expected <= 0 else 1.0 - sum(r.observed for r in results.values()) / expected
    return results, overall
