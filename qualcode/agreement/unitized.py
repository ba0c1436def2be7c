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
    """uD_o and uD_e for one category, term by term as defined; by_coder[i][d] are coder i's sections in
    document d. The reference the fast path below is tested against."""
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
    return UnitizedResult(observed, _expected(unit_len, gap_len, m, length), n_units)


def _expected(unit_len: np.ndarray, gap_len: np.ndarray, m: int, length: float) -> float:
    """uD_e from all coders' unit lengths and gap lengths."""
    n_units = len(unit_len)
    l = unit_len.astype(np.float64)
    gaps = np.sort(gap_len)
    # sum over gaps at least as long as the unit of (gap - l + 1), via sorted gaps and suffix sums
    first = np.searchsorted(gaps, unit_len, side="left")
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0]]).astype(np.float64)
    fitting = len(gaps) - first
    gap_term = suffix[first] - (l - 1.0) * fitting
    within = (n_units - 1) / 3.0 * (2 * l**3 - 3 * l**2 + l)
    numerator = (within + l**2 * gap_term).sum()
    denominator = m * length * (m * length - 1) - (l * (l - 1)).sum()
    return float(2.0 / length * numerator / denominator)


# --- fast path: all documents laid end to end, every coder's units as sorted arrays -----------------


@dataclass(frozen=True, slots=True)
class Continuum:
    """Documents laid end to end: document d occupies [offsets[d], offsets[d] + lengths[d])."""

    offsets: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, lengths: Sequence[int]) -> Continuum:
        lengths_arr = np.asarray(lengths, dtype=np.int64)
        return cls(np.concatenate([[0], np.cumsum(lengths_arr)[:-1]]).astype(np.int64), lengths_arr)

    @property
    def total(self) -> int:
        return int(self.lengths.sum())


def merged_units(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted union of one coder's spans; overlapping spans merge, touching spans stay two units."""
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if len(starts) == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    first = np.concatenate([[True], starts[1:] >= reach[:-1]])
    heads = np.flatnonzero(first)
    return starts[heads], np.maximum.reduceat(ends, heads)


def gap_lengths(starts: np.ndarray, ends: np.ndarray, continuum: Continuum) -> np.ndarray:
    """Lengths of the gaps around one coder's sorted units, document by document."""
    doc_start = continuum.offsets
    doc_end = continuum.offsets + continuum.lengths
    doc = np.searchsorted(doc_start, starts, side="right") - 1
    new_doc = np.concatenate([[True], doc[1:] != doc[:-1]]) if len(doc) else np.zeros(0, bool)
    previous_end = np.where(new_doc, doc_start[doc], np.concatenate([[0], ends[:-1]]))
    before = starts - previous_end
    last = np.concatenate([doc[1:] != doc[:-1], [True]]) if len(doc) else np.zeros(0, bool)
    after = doc_end[doc[last]] - ends[last]
    untouched = np.setdiff1d(np.arange(len(doc_start)), doc)
    gaps = np.concatenate([before, after, continuum.lengths[untouched]])
    return gaps[gaps > 0]


def pair_sum(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """sum_g sum_h delta2 for coders a and b (sorted, merged units, continuum coordinates).

    Overlapping units add the squared differences of their starts and ends; a unit that no unit of
    the other coder overlaps lies inside one of that coder's gaps and adds its squared length.
    """
    (a_s, a_e), (b_s, b_e) = a, b
    lo = np.searchsorted(b_e, a_s, side="right")
    hi = np.searchsorted(b_s, a_e, side="left")
    counts = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo)), counts)
    other = lo[owner] + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    total = float(((a_s[owner] - b_s[other]) ** 2 + (a_e[owner] - b_e[other]) ** 2).sum())
    total += float(((a_e - a_s)[counts == 0] ** 2).sum())
    b_lo = np.searchsorted(a_e, b_s, side="right")
    b_hi = np.searchsorted(a_s, b_e, side="left")
    total += float(((b_e - b_s)[b_hi <= b_lo] ** 2).sum())
    return total


def fast_category(units: Sequence[tuple[np.ndarray, np.ndarray]], continuum: Continuum) -> UnitizedResult:
    """uD_o and uD_e for one category from each coder's merged units."""
    m = len(units)
    length = float(continuum.total)
    observed = sum(2.0 * pair_sum(units[i], units[j]) for i in range(m) for j in range(i + 1, m))
    observed /= m * (m - 1) * length**2
    unit_len = np.concatenate([e - s for s, e in units]) if units else np.zeros(0, np.int64)
    if len(unit_len) == 0:
        return UnitizedResult(observed, 0.0, 0)
    gaps = np.concatenate([gap_lengths(s, e, continuum) for s, e in units])
    return UnitizedResult(observed, _expected(unit_len, gaps, m, length), len(unit_len))


def overall_alpha(results: Mapping[object, UnitizedResult]) -> float | None:
    expected = sum(r.expected for r in results.values())
    return None if expected <= 0 else 1.0 - sum(r.observed for r in results.values()) / expected


def unitized_alpha(
    spans: Mapping[str | int, Sequence[Sequence[Sequence[tuple[int, int]]]]],
    document_lengths: Sequence[int],
) -> tuple[dict[str | int, UnitizedResult], float | None]:
    """Per-category results and the overall u-alpha.

    ``spans[k][i][d]`` lists coder i's [start, end) spans of category k in document d.
    """
    continuum = Continuum.of(document_lengths)
    results = {}
    for category, by_coder in spans.items():
        units = []
        for coder_docs in by_coder:
            pieces = [(continuum.offsets[d] + max(0, a), continuum.offsets[d] + min(n, b))
                      for d, (doc_spans, n) in enumerate(zip(coder_docs, document_lengths)) for a, b in doc_spans]
            starts = np.array([p[0] for p in pieces], dtype=np.int64)
            ends = np.array([p[1] for p in pieces], dtype=np.int64)
            units.append(merged_units(starts, ends))
        results[category] = fast_category(units, continuum)
    return results, overall_alpha(results)


def unitized_direct(
    spans: Mapping[str | int, Sequence[Sequence[Sequence[tuple[int, int]]]]],
    document_lengths: Sequence[int],
) -> tuple[dict[str | int, UnitizedResult], float | None]:
    """The same results computed section pair by section pair, as the definition reads (slow)."""
    total = int(sum(document_lengths))
    results = {}
    for category, by_coder in spans.items():
        cut = [[sections(doc_spans, n) for doc_spans, n in zip(coder_docs, document_lengths)] for coder_docs in by_coder]
        results[category] = category_disagreements(cut, total)
    return results, overall_alpha(results)
