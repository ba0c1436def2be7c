"""Distinctive language: lemmas and noun phrases over-represented in a theme against the other excerpts.

Scores are Monroe, Colaresi & Quinn's (2008) log-odds ratio with an informative Dirichlet prior:
the prior for a term is its share of all analysed text scaled to `prior_scale` pseudo-counts, and
terms are ranked by the z-score of the log-odds difference, so that rare terms with big ratios do
not dominate as they do with raw ratios, and frequent function words do not as they do with counts.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.analysis.dataset import Dataset, Excerpt

# Themes bigger than this are sampled evenly: lemmatising is the slowest step of a report.
MAX_EXCERPTS = 80
MAX_REST = 320
PRIOR_SCALE = 500.0


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    theme_count: int
    rest_count: int
    log_odds: float
    z: float


@dataclass(frozen=True, slots=True)
class Distinctive:
    terms: tuple[Term, ...]
    phrases: tuple[Term, ...]
    excerpts: int
    rest: int
    pipeline: str
    note: str = ""


def log_odds(theme: Counter, rest: Counter, prior_scale: float = PRIOR_SCALE) -> dict[str, tuple[float, float]]:
    """term -> (log-odds difference, z-score) of `theme` against `rest` (Monroe et al. 2008, eq. 22)."""
    both = theme + rest
    total = sum(both.values())
    if len(both) < 2:
        return {}  # one term has no "other words" to be compared with: eq. 22's denominators are 0
    n_i, n_j = sum(theme.values()), sum(rest.values())
    alpha = {w: prior_scale * c / total for w, c in both.items()}
    alpha0 = sum(alpha.values())
    scores = {}
    for word, a in alpha.items():
        y_i, y_j = theme.get(word, 0), rest.get(word, 0)
        delta = math.log((y_i + a) / (n_i + alpha0 - y_i - a)) - math.log((y_j + a) / (n_j + alpha0 - y_j - a))
        variance = 1.0 / (y_i + a) + 1.0 / (y_j + a)
        scores[word] = (delta, delta / math.sqrt(variance))
    return scores


def _evenly(items: list[Excerpt], limit: int) -> list[Excerpt]:
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


class LanguageIndex:
    """Lemma and noun-phrase counts per excerpt, computed once per excerpt with the shared spaCy pipeline."""

    def __init__(self, ds: Dataset, nlp=None, pipeline_name: str | None = None):
        self.ds = ds
        self._nlp = nlp
        self.pipeline_name = pipeline_name or ""
        self._cache: dict[Excerpt, tuple[Counter, Counter]] = {}
        self._background: list[Excerpt] | None = None

    def background(self) -> list[Excerpt]:
        """One even sample of every coded excerpt, shared by all themes so each excerpt is parsed once."""
        if self._background is None:
            self._background = _evenly(sorted({_span(c) for c in self.ds.codings}), MAX_REST)
        return self._background

    def _pipeline(self):
        if self._nlp is None:
            from qualcode.nlp.pipeline import load_pipeline  # loads spaCy (~1 s) only when language is asked for

            # Tags are enough for lemmas and noun-phrase patterns; the parser and NER would double the time.
            loaded = load_pipeline(disable=("ner", "parser"))
            self._nlp, self.pipeline_name = loaded.nlp, loaded.info.name
        return self._nlp

    def analyse(self, excerpts: Iterable[Excerpt]) -> None:
        todo = [e for e in dict.fromkeys(excerpts) if e not in self._cache]
        if not todo:
            return
        nlp = self._pipeline()
        texts = (self.ds.text(e) for e in todo)
        for excerpt, doc in zip(todo, nlp.pipe(texts, batch_size=256)):
            self._cache[excerpt] = (_lemmas(doc), _phrases(doc))

    def counts(self, excerpts: Iterable[Excerpt]) -> tuple[Counter, Counter]:
        words, phrases = Counter(), Counter()
        for excerpt in excerpts:
            w, p = self._cache[excerpt]
            words.update(w)
            phrases.update(p)
        return words, phrases

    def distinctive(self, code_ids: Iterable[int], top: int = 10) -> Distinctive:
        """Terms and phrases of the theme's excerpts against the other coded excerpts (an even sample of them)."""
        theme_set = set(self.ds.excerpts_of(code_ids))
        theme = _evenly(sorted(theme_set), MAX_EXCERPTS)
        rest = [e for e in self.background() if e not in theme_set]
        if not theme or not rest:
            why = "no excerpts in this theme" if not theme else "no other coded excerpts to contrast with"
            return Distinctive((), (), len(theme), len(rest), self.pipeline_name, why)
        self.analyse(theme + rest)
        theme_words, theme_phrases = self.counts(theme)
        rest_words, rest_phrases = self.counts(rest)
        note = "" if len(theme_set) <= MAX_EXCERPTS else f"an even sample of {MAX_EXCERPTS} of {len(theme_set)} excerpts"
        return Distinctive(
            terms=_top(theme_words, rest_words, top),
            phrases=_top(theme_phrases, rest_phrases, top),
            excerpts=len(theme),
            rest=len(rest),
            pipeline=self.pipeline_name,
            note=note,
        )


def _span(coding) -> Excerpt:
    return Excerpt(coding.document_id, coding.start, coding.end)


def _top(theme: Counter, rest: Counter, top: int) -> tuple[Term, ...]:
    scores = log_odds(theme, rest)
    ranked = sorted(
        (w for w in scores if theme.get(w, 0) > 0 and scores[w][1] > 0), key=lambda w: (-scores[w][1], w)
    )
    return tuple(Term(w, theme[w], rest.get(w, 0), round(scores[w][0], 4), round(scores[w][1], 4)) for w in ranked[:top])


def _keep(token) -> bool:
    # Proper nouns stay out: names of people, places and organisations must not surface as "terms".
    return token.is_alpha and not token.is_stop and len(token.text) > 2 and token.pos_ != "PROPN"


def _lemma(token) -> str:
    return (token.lemma_ or token.text).lower()


def _lemmas(doc) -> Counter:
    return Counter(_lemma(t) for t in doc if _keep(t))


NOMINAL = {"NOUN", "ADJ"}


def _phrases(doc) -> Counter:
    """Noun phrases by tag pattern: runs of adjectives and nouns ending in a noun, two words or more.

    A pattern over part-of-speech tags (Justeson & Katz 1995) rather than the parser's noun chunks:
    the tagger alone runs in about half the time, and reports lemmatise thousands of excerpts.
    """
    if not doc.has_annotation("POS"):
        return Counter()
    found: Counter = Counter()
    run: list = []
    for token in [*doc, None]:
        if token is not None and token.pos_ in NOMINAL and _keep(token):
            run.append(token)
            continue
        while run and run[-1].pos_ != "NOUN":
            run.pop()
        if len(run) >= 2:
            found[" ".join(_lemma(t) for t in run)] += 1
        run = []
    return found
