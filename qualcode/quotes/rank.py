"""Ordering a theme's quotes: coders' candidate marks first, then maximal marginal relevance
(closeness to the theme's TF-IDF centroid, minus redundancy) with a penalty per earlier quote
from the same participant, so no participant dominates the bank."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# A short stop list: the words that make every excerpt of a transcript look alike.
STOP = frozenset("""
a about after all also am an and any are as at be because been but by can could did do does doing for from had
has have he her him his how i if in into is it its just like me more my no not now of on one or our out so some
than that the their them then there these they this those to too up us very was we were what when where which
who will with would you your yeah um uh er erm sort kind know think mean really got get lot things thing
""".split())


@dataclass(frozen=True, slots=True)
class Candidate:
    """What ranking needs to know of a quote."""

    text: str
    participant: int | None
    marked: bool


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (sublinear tf, smoothed idf) as sparse dicts."""
    bags = [Counter(w for w in _WORD.findall(t.lower()) if w not in STOP and len(w) > 1) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    n = len(texts)
    idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
    vectors = []
    for bag in bags:
        vector = {w: (1 + math.log(c)) * idf[w] for w, c in sorted(bag.items())}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        vectors.append({w: v / norm for w, v in vector.items()} if norm else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def centrality(vectors: Sequence[dict[str, float]]) -> list[float]:
    """Cosine of each vector to the centroid of all of them."""
    centroid: Counter = Counter()
    for vector in vectors:
        centroid.update(vector)
    norm = math.sqrt(sum(v * v for v in centroid.values()))
    if not norm:
        return [0.0] * len(vectors)
    unit = {w: v / norm for w, v in centroid.items()}
    return [cosine(v, unit) for v in vectors]


def rank(candidates: Sequence[Candidate], *, diversity: float = 0.3, spread: float = 0.35) -> list[tuple[int, float]]:
    """Indexes of `candidates` in bank order with each one's closeness to the centroid.

    Each pick maximises (1 - diversity) * centrality - diversity * (highest similarity to a
    quote already picked) - spread * (quotes already picked from the same participant).
    Ties go to the earlier candidate, so the order is deterministic.
    """
    vectors = tfidf_vectors([c.text for c in candidates])
    relevance = centrality(vectors)
    redundancy = [0.0] * len(candidates)
    picked_from: Counter = Counter()
    order: list[tuple[int, float]] = []
    for tier in (True, False):
        remaining = [i for i, c in enumerate(candidates) if c.marked is tier]
        while remaining:
            def score(i: int) -> float:
                person = candidates[i].participant
                repeat = picked_from[person] if person is not None else 0
                return (1 - diversity) * relevance[i] - diversity * redundancy[i] - spread * repeat

            best = max(remaining, key=lambda i: (round(score(i), 12), -i))
            order.append((best, relevance[best]))
            remaining.remove(best)
            picked_from[candidates[best].participant] += 1
            redundancy = [max(r, cosine(vectors[best], v)) for r, v in zip(redundancy, vectors)]
    return order
