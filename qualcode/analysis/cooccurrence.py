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
    theme_spans = list(ds.excerpts_of(theme))
    theme_units = segment_units(ds, theme_spans)
    ancestors = set()
    parent = ds.code(code_id).parent_id
    while parent is not None:
        ancestors.add(parent)
        parent = ds.code(parent).parent_id
    # Index every other code's excerpts once, then probe with the theme's excerpts.
    results = []
    theme_index = SpanIndex(theme_spans)
    for code in ds.codes:
        if code.id in theme or code.id in ancestors:
            continue
        spans = list(ds.excerpts_of([code.id]))
        if not spans:
            continue
        n12 = pair_count(spans, theme_index)
        if n12 == 0:
            continue
        results.append(
            Cooccurrence(
                code_id=code.id,
                path=code.path,
                count=n12,
                n1=len(theme_spans),
                n2=len(spans),
                jaccard=jaccard(theme_units, segment_units(ds, spans)),
                c_coefficient=c_coefficient(n12, len(theme_spans), len(spans)),
            )
        )
    results.sort(key=lambda r: (-r.count, -r.c_coefficient, r.path))
    return results if limit is None else results[:limit]
