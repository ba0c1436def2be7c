"""Co-occurring codes: overlapping excerpts within a document, with Jaccard and the c-coefficient.

Definitions (docs/analysis.md says the same):
- an excerpt of a code set K is a distinct coded span (document, start, end) of any code in K;
- n12 counts pairs (e1 of K1, e2 of K2) in the same document that share at least one character;
  identical spans count as overlapping. n1 and n2 count each side's excerpts;
- the c-coefficient is ATLAS.ti's n12 / (n1 + n2 - n12); like ATLAS.ti's, it counts overlap
  instances, so one long excerpt overlapping several short ones raises n12; it is capped at 1;
- Jaccard is taken on shared segments (turns, paragraphs, answers): |S1 & S2| / |S1 | S2| where S
  is the set of segments a code set's excerpts touch (a document without segments is one unit).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.analysis.dataset import Dataset, Excerpt


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    code_id: int
    path: str
    count: int  # n12: overlapping excerpt pairs
    n1: int
    n2: int
    jaccard: float
    c_coefficient: float


class SpanIndex:
    """Excerpts of one code set grouped per document, sorted by start, for overlap queries."""

    def __init__(self, excerpts: Iterable[Excerpt]):
        per_doc: dict[int, list[Excerpt]] = defaultdict(list)
        for excerpt in excerpts:
            per_doc[excerpt.document_id].append(excerpt)
        self.per_doc = {d: sorted(spans) for d, spans in per_doc.items()}
        self.starts = {d: [e.start for e in spans] for d, spans in self.per_doc.items()}
        self.longest = {d: max(e.end - e.start for e in spans) for d, spans in self.per_doc.items()}

    def overlapping(self, excerpt: Excerpt) -> list[Excerpt]:
        spans = self.per_doc.get(excerpt.document_id)
        if not spans:
            return []
        starts = self.starts[excerpt.document_id]
        # Anything starting more than the longest span before us cannot reach us.
        at = bisect_left(starts, excerpt.start - self.longest[excerpt.document_id])
        found = []
        while at < len(spans) and spans[at].start < excerpt.end:
            if spans[at].end > excerpt.start:
                found.append(spans[at])
            at += 1
        return found


def segment_units(ds: Dataset, excerpts: Iterable[Excerpt]) -> set[tuple[int, int]]:
    units: set[tuple[int, int]] = set()
    for excerpt in excerpts:
        touched = ds.segments_touched(excerpt)
        if touched:
            units.update((excerpt.document_id, s.index) for s in touched)
        else:
            units.add((excerpt.document_id, -1))
    return units


def code_units(ds: Dataset, code_ids: frozenset[int]) -> set[tuple[int, int]]:
    """Segment units of a code set, computed once per dataset."""
    cache = ds.derived.setdefault("cooccurrence.units", {})
    if code_ids not in cache:
        cache[code_ids] = segment_units(ds, ds.excerpts_of(code_ids))
    return cache[code_ids]


def all_spans(ds: Dataset) -> SpanIndex:
    """Every distinct coded span of the project in one overlap index, built once per dataset."""
    if "cooccurrence.all" not in ds.derived:
        ds.derived["cooccurrence.all"] = SpanIndex(ds.excerpts_of([c.id for c in ds.codes]))
    return ds.derived["cooccurrence.all"]


def pair_count(first: Iterable[Excerpt], second: SpanIndex) -> int:
    return sum(len(second.overlapping(e)) for e in first)


def c_coefficient(n12: int, n1: int, n2: int) -> float:
    denominator = n1 + n2 - n12
    if n12 == 0:
        return 0.0
    return 1.0 if denominator <= 0 else min(1.0, n12 / denominator)


def jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def measure(ds: Dataset, first: set[int], second: set[int]) -> tuple[int, int, int, float, float]:
    """(n12, n1, n2, jaccard, c) for two code sets."""
    e1, e2 = list(ds.excerpts_of(first)), list(ds.excerpts_of(second))
    n12 = pair_count(e1, SpanIndex(e2))
    return n12, len(e1), len(e2), jaccard(segment_units(ds, e1), segment_units(ds, e2)), c_coefficient(n12, len(e1), len(e2))


def cooccurring(ds: Dataset, code_id: int, limit: int | None = 10) -> list[Cooccurrence]:
    """Codes applied alongside the theme (its subtree), most frequent first; ancestors left out."""
    theme = ds.subtree(code_id)
    return cooccurring_with(ds, theme, theme | ancestors_of(ds, [code_id]), limit)


def ancestors_of(ds: Dataset, code_ids: Iterable[int]) -> frozenset[int]:
    found = set()
    for code_id in code_ids:
        parent = ds.code(code_id).parent_id
        while parent is not None and parent not in found:
            found.add(parent)
            parent = ds.code(parent).parent_id
    return frozenset(found)


def cooccurring_with(
    ds: Dataset, theme: frozenset[int], leave_out: frozenset[int], limit: int | None = 10
) -> list[Cooccurrence]:
    """Codes (other than `leave_out`) whose excerpts overlap the excerpts of the code set `theme`.

    One pass: each theme excerpt finds every overlapping span of the project once, and each code on
    such a span gains one pair, which is exactly n12 against that code's own excerpts.
    """
    theme_spans = ds.excerpts_of(theme)
    everything = ds.excerpts_of([c.id for c in ds.codes])
    index = all_spans(ds)
    pairs: dict[int, int] = defaultdict(int)
    for excerpt in theme_spans:
        for other in index.overlapping(excerpt):
            for code in {c.code_id for c in everything[other]}:
                pairs[code] += 1
    theme_units = code_units(ds, theme)
    results = []
    n1 = len(theme_spans)
    for other_id, n12 in pairs.items():
        if other_id in leave_out:
            continue
        n2 = len(ds.excerpts_of([other_id]))
        results.append(
            Cooccurrence(
                code_id=other_id,
                path=ds.code(other_id).path,
                count=n12,
                n1=n1,
                n2=n2,
                jaccard=jaccard(theme_units, code_units(ds, frozenset([other_id]))),
                c_coefficient=c_coefficient(n12, n1, n2),
            )
        )
    results.sort(key=lambda r: (-r.count, -r.c_coefficient, r.path))
    return results if limit is None else results[:limit]
