"""Representative quotes: central to the theme yet diverse, spread across participants, coders' picks first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualcode.analysis.dataset import Dataset, Excerpt
from qualcode.domain import Coding

# Beyond this many excerpts a theme is sampled evenly (coders' picks always stay): quotes stay cheap.
MAX_CANDIDATES = 400
MIN_WORDS = 4


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


def _relevance_and_vectors(texts: list[str]):
    """Cosine of each text to the theme's TF-IDF centroid, and the row-normalised TF-IDF matrix."""
    import numpy as np  # deferred: the CLI imports this module for type names only
    from sklearn.feature_extraction.text import TfidfVectorizer  # ~0.5 s import

    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    except ValueError:  # every text is stop words or punctuation: nothing to weigh
        return np.zeros(len(texts)), None
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return np.zeros(len(texts)), matrix
    return matrix @ (centroid / norm), matrix


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
    behind = excerpts if isinstance(excerpts, Mapping) else {e: ds.codings_of(()) for e in excerpts}
    marked = {e for e, codings in behind.items() if any(c.candidate_quote for c in codings)}
    pool = sorted(behind)
    long_enough = [e for e in pool if len(ds.text(e).split()) >= MIN_WORDS or e in marked]
    pool = _sample(long_enough or pool, marked, MAX_CANDIDATES)
    texts = [ds.text(e) for e in pool]
    relevance, matrix = _relevance_and_vectors(texts)
    chosen: list[int] = []
    quoted_people: set[int] = set()
    redundancy = [0.0] * len(pool)  # highest similarity to any quote picked so far
    for tier in (True, False):
        remaining = [i for i, e in enumerate(pool) if (e in marked) == tier]
        while remaining and len(chosen) < n:
            best, best_score = None, None
            for i in remaining:
                people = set(ds.excerpt_participants(pool[i]))
                repeat = spread_penalty if people and people <= quoted_people else 0.0
                score = (1 - diversity) * float(relevance[i]) - diversity * redundancy[i] - repeat
                if best_score is None or score > best_score + 1e-12:
                    best, best_score = i, score
            chosen.append(best)
            if matrix is not None:
                similar = (matrix @ matrix[best].T).toarray().ravel()
                redundancy = [max(r, float(s)) for r, s in zip(redundancy, similar)]
            quoted_people.update(ds.excerpt_participants(pool[best]))
            remaining.remove(best)
    quotes = []
    for i in chosen:
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
                score=round(float(relevance[i]), 4),
                codes=tuple(codes),
            )
        )
    return quotes
