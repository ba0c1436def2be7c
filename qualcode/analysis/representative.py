"""Representative-quote ranking shared by analysis and the quote bank: TF-IDF centroid plus MMR."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Given an excerpt's participants and how many quotes each participant already has, the penalty.
SpreadRule = Callable[[frozenset[int], Counter], float]


def tfidf_vectors(texts: Sequence[str], stop_words: Collection[str]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors (sublinear tf, smoothed idf) as sparse dicts, stop words left out."""
    bags = [Counter(w for w in WORD.findall(t.lower()) if w not in stop_words and len(w) > 1) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    n = len(texts)
    idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
    vectors = []
    for bag in bags:
        # Sorted so float sums run in one order whatever order the words came in.
        vector = {w: (1 + math.log(c)) * idf[w] for w, c in sorted(bag.items())}
        norm = math.sqrt(sum(v * v for v in vector.values()))
        vectors.append({w: v / norm for w, v in vector.items()} if norm else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit sparse vectors, iterating over the shorter one."""
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


def mmr_order(
    texts: Sequence[str],
    marked: Sequence[bool],
    participants: Sequence[frozenset[int]],
    spread_rule: SpreadRule,
    *,
    stop_words: Collection[str],
    diversity: float = 0.3,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """Indexes of `texts` in quoting order, each with its closeness to the centroid.

    Maximal marginal relevance (Carbonell & Goldstein 1998): each pick maximises
    (1 - diversity) * centrality - diversity * (highest similarity to a text already picked)
    - spread_rule(its participants, quotes picked so far per participant). Marked texts all come
    before unmarked ones. Ties go to the earlier index, so the order is deterministic.
    """
    vectors = tfidf_vectors(texts, stop_words)
    relevance = centrality(vectors)
    redundancy = [0.0] * len(texts)
    picked_from: Counter = Counter()
    order: list[tuple[int, float]] = []
    wanted = len(texts) if limit is None else limit
    for tier in (True, False):
        remaining = [i for i, m in enumerate(marked) if bool(m) is tier]
        while remaining and len(order) < wanted:

            def score(i: int) -> float:
                penalty = spread_rule(participants[i], picked_from)
                return (1 - diversity) * relevance[i] - diversity * redundancy[i] - penalty

            best = max(remaining, key=lambda i: (round(score(i), 12), -i))
            order.append((best, relevance[best]))
            remaining.remove(best)
            picked_from.update(participants[best])
            redundancy = [max(r, cosine(vectors[best], v)) for r, v in zip(redundancy, vectors)]
    return order
