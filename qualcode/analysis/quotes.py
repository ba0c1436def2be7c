"""Representative quotes: central to the theme yet diverse, spread across participants, coders' picks first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualcode.analysis.dataset import Dataset, Excerpt
from qualcode.analysis.representative import SpreadRule, mmr_order
from qualcode.domain import Coding

# Beyond this many excerpts a theme is sampled evenly (coders' picks always stay): quotes stay cheap.
MAX_CANDIDATES = 400
MIN_WORDS = 4
# A plain English stop list: sklearn's or spaCy's would cost a second or more of imports here.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just like me more most my myself no nor not now of
off on once only or other our ours ourselves out over own really same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves i'm it's don't we're they're
that's there's can't didn't doesn't isn't wasn't won't yeah um uh er sort kind know think mean actually lot
""".split())


@dataclass(frozen=True, slots=True)
class Quote:
    """An excerpt as a quote: its text, an anonymised attribution and where it sits in its document."""

    text: str
    attribution: str
    document_id: int
    document_title: str
    start: int
    end: int
    candidate: bool
    score: float
    codes: tuple[str, ...] = ()

    @property
    def link(self) -> str:
        return f"{self.document_title} [{self.start}:{self.end}]"


def _sample(items: list[Excerpt], keep: set[Excerpt], limit: int) -> list[Excerpt]:
    if len(items) <= limit:
        return items
    step = len(items) / limit
    chosen = {items[int(i * step)] for i in range(limit)} | keep
    return [e for e in items if e in chosen]


def _covered_spread(penalty: float) -> SpreadRule:
    """A flat `penalty` when every participant of the excerpt is already quoted."""

    def rule(people: frozenset[int], picked_from: Counter) -> float:
        return penalty if people and all(picked_from[p] for p in people) else 0.0

    return rule


def representative_quotes(
    ds: Dataset,
    excerpts: Mapping[Excerpt, Sequence[Coding]] | Sequence[Excerpt],
    n: int = 3,
    *,
    diversity: float = 0.3,
    spread_penalty: float = 0.5,
) -> list[Quote]:
    """Up to `n` quotes chosen by maximal marginal relevance (Carbonell & Goldstein 1998).

    Each pick maximises (1 - diversity) * similarity to the centroid - diversity * similarity to
    quotes already picked - spread_penalty if its participant is already quoted. Excerpts a coder
    marked as candidate quotes are all considered before any unmarked one.
    """
    if n <= 0 or not excerpts:
        return []
    behind = excerpts if isinstance(excerpts, Mapping) else {e: [] for e in excerpts}
    marked = {e for e, codings in behind.items() if any(c.candidate_quote for c in codings)}
    pool = sorted(behind)
    long_enough = [e for e in pool if len(ds.text(e).split()) >= MIN_WORDS or e in marked]
    pool = _sample(long_enough or pool, marked, MAX_CANDIDATES)
    texts = [ds.text(e) for e in pool]
    order = mmr_order(
        texts,
        [e in marked for e in pool],
        [frozenset(ds.excerpt_participants(e)) for e in pool],
        _covered_spread(spread_penalty),
        stop_words=STOP_WORDS,
        diversity=diversity,
        limit=n,
    )
    quotes = []
    for i, relevance in order:
        excerpt = pool[i]
        doc = ds.documents[excerpt.document_id]
        codes = sorted({ds.code(c.code_id).path for c in behind[excerpt]}) if behind[excerpt] else []
        quotes.append(
            Quote(
                text=texts[i].strip(),
                attribution=ds.attribution(excerpt),
                document_id=doc.id,
                document_title=doc.title,
                start=excerpt.start,
                end=excerpt.end,
                candidate=excerpt in marked,
                score=round(float(relevance), 4),
                codes=tuple(codes),
            )
        )
    return quotes
