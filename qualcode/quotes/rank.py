"""Ordering a theme's quotes: coders' candidate marks first, then maximal marginal relevance
(closeness to the theme's TF-IDF centroid, minus redundancy) with a penalty per earlier quote
from the same participant, so no participant dominates the bank."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from qualcode.analysis.representative import SpreadRule, mmr_order

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


def _count_spread(spread: float) -> SpreadRule:
    """A penalty of `spread` per quote already picked from the same participant."""

    def rule(people: frozenset[int], picked_from: Counter) -> float:
        return spread * sum(picked_from[p] for p in people)

    return rule


def rank(candidates: Sequence[Candidate], *, diversity: float = 0.3, spread: float = 0.35) -> list[tuple[int, float]]:
    """Indexes of `candidates` in bank order with each one's closeness to the centroid.

    Each pick maximises (1 - diversity) * centrality - diversity * (highest similarity to a
    quote already picked) - spread * (quotes already picked from the same participant).
    Ties go to the earlier candidate, so the order is deterministic.
    """
    return mmr_order(
        [c.text for c in candidates],
        [c.marked for c in candidates],
        [frozenset() if c.participant is None else frozenset({c.participant}) for c in candidates],
        _count_spread(spread),
        stop_words=STOP,
        diversity=diversity,
    )
