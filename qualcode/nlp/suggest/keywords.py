"""Codebook matching: spaCy lemma and phrase patterns from each code's keywords and examples, rapidfuzz for spellings."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt
from qualcode.nlp.suggest.registry import register

# Components the matcher never needs: lemmas come from tagger + attribute_ruler + lemmatizer.
MATCH_DISABLE = ("parser", "ner")
KEYWORD_WEIGHT = 1.0
FUZZY_WEIGHT = 0.7
EXAMPLE_TERM_WEIGHT = 0.35
CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN"}


@register("qualcode.keywords.v1")
def make_keyword_matcher(
    fuzzy_cutoff: float = 80.0, min_fuzzy_length: int = 6, saturation: float = 1.0, prefer: tuple[str, ...] | None = None
):
    return KeywordMatcher(fuzzy_cutoff=fuzzy_cutoff, min_fuzzy_length=min_fuzzy_length, saturation=saturation, prefer=prefer)


SCORE_CACHE_SIZE = 50_000  # texts whose keyword scores are remembered


class KeywordMatcher:
    """Scores a code by the weight of its keywords (and distinctive example words) found in a text."""

    name = "keywords"

    def __init__(
        self, fuzzy_cutoff: float = 80.0, min_fuzzy_length: int = 6, saturation: float = 1.0,
        prefer: tuple[str, ...] | None = None,
    ):
        self.prefer = prefer  # spaCy packages to try, in order; None: the shared default, (): a blank pipeline
        self.fuzzy_cutoff = fuzzy_cutoff
        self.min_fuzzy_length = min_fuzzy_length
        self.saturation = saturation

    def fit(self, codes: Sequence[CodeProfile], excerpts: Sequence[Excerpt] = ()) -> KeywordMatcher:
        from spacy.matcher import PhraseMatcher  # spaCy costs ~1 s to import; only once suggestions are wanted

        from qualcode.nlp.pipeline import DEFAULT_PREFER, load_pipeline

        self.codes_ = list(codes)
        loaded = load_pipeline(disable=MATCH_DISABLE, prefer=DEFAULT_PREFER if self.prefer is None else self.prefer)
        self.nlp_ = loaded.nlp
        self.pipeline_ = loaded.info
        # A blank pipeline has no lemmas: matching on them would find nothing, so match lowercase forms only.
        self.use_lemmas_ = "lemma" not in loaded.info.degraded
        self.lower_matcher_ = PhraseMatcher(self.nlp_.vocab, attr="LOWER")
        self.lemma_matcher_ = PhraseMatcher(self.nlp_.vocab, attr="LEMMA") if self.use_lemmas_ else None
        # Acronyms (IT, GP, ICB) match only as written: lowercased, "IT" would match every "it".
        self.exact_matcher_ = PhraseMatcher(self.nlp_.vocab, attr="ORTH")
        owners: dict[str, set[int]] = defaultdict(set)
        for code in codes:
            for keyword in _clean_keywords(code.keywords):
                owners[keyword].add(code.id)
        # A keyword several codes share says less about each of them.
        self.keyword_weight_ = {kw: KEYWORD_WEIGHT / len(ids) for kw, ids in owners.items()}
        self.keyword_codes_ = {kw: frozenset(ids) for kw, ids in owners.items()}
        keywords = sorted(owners)
        for keyword, doc in zip(keywords, self.nlp_.pipe(keywords), strict=True):
            if _is_acronym(keyword):
                self.exact_matcher_.add(keyword, [self.nlp_.make_doc(keyword)])
                continue
            self.lower_matcher_.add(keyword, [self.nlp_.make_doc(keyword)])
            if self.lemma_matcher_ is not None:
                self.lemma_matcher_.add(keyword, [doc])
        self.fuzzy_single_ = [
            kw for kw in keywords if " " not in kw and len(kw) >= self.min_fuzzy_length and not _is_acronym(kw)
        ]
        self.example_terms_ = self._example_terms(codes)
        self.scored_: dict[str, dict[int, Evidence]] = {}  # text -> its scores, bounded by SCORE_CACHE_SIZE
        return self

    def _example_terms(self, codes: Sequence[CodeProfile]) -> dict[str, frozenset[int]]:
        """Content lemmas from examples that belong to at most two codes: distinctive enough to count."""
        owners: dict[str, set[int]] = defaultdict(set)
        for code in codes:
            for doc in self.nlp_.pipe(code.examples):
                for token in doc:
                    if _is_content(token, self.use_lemmas_):
                        owners[_form(token, self.use_lemmas_)].add(code.id)
        return {term: frozenset(ids) for term, ids in owners.items() if len(ids) <= 2}

    def __getstate__(self) -> dict:
        """Pickled without the spaCy pipeline and its matchers (rebuilt on the first text not yet scored):
        a model loaded from the cache answers for the project's own segments without loading spaCy."""
        state = dict(self.__dict__)
        state["scored_"] = dict(self.scored_)  # copied at once: the serving thread may be adding to it
        for name in ("nlp_", "lower_matcher_", "lemma_matcher_", "exact_matcher_"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def _ensure_pipeline(self) -> None:
        if "nlp_" not in self.__dict__:
            scored = self.scored_
            self.fit(self.codes_)
            self.scored_ = scored

    def score_many(self, texts: Sequence[str]) -> list[dict[int, Evidence]]:
        """Scores depend on the codebook alone, so each text is parsed once: the stacked ranker's folds,
        evaluation splits and the reader ask for the same segments again and again."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.scored_))
        if missing:
            self._ensure_pipeline()
            if len(self.scored_) + len(missing) > SCORE_CACHE_SIZE:
                self.scored_.clear()
            for text, doc in zip(missing, self.nlp_.pipe(missing, batch_size=64), strict=True):
                self.scored_[text] = self._score_doc(doc)
        return [self.scored_[t] for t in texts]

    def matches(self, text: str) -> dict[int, dict[str, float]]:
        """code id -> {matched term: weight}, for tests and explanations."""
        self._ensure_pipeline()
        return self._matches(self.nlp_(text))

    def _matches(self, doc) -> dict[int, dict[str, float]]:
        found: dict[int, dict[str, float]] = defaultdict(dict)
        strings = self.nlp_.vocab.strings
        exact: set[str] = set()
        for matcher in (self.lower_matcher_, self.lemma_matcher_, self.exact_matcher_):
            if matcher is None:
                continue
            for match_id, _start, _end in matcher(doc):
                exact.add(strings[match_id])
        for keyword in exact:
            for code_id in self.keyword_codes_[keyword]:
                found[code_id][keyword] = self.keyword_weight_[keyword]
        for keyword, spelled in self._fuzzy(doc, exact):
            for code_id in self.keyword_codes_[keyword]:
                found[code_id].setdefault(f"{keyword} (~{spelled})", FUZZY_WEIGHT * self.keyword_weight_[keyword])
        for token in doc:
            if not _is_content(token, self.use_lemmas_):
                continue
            term = _form(token, self.use_lemmas_)
            for code_id in self.example_terms_.get(term, ()):
                found[code_id].setdefault(term, EXAMPLE_TERM_WEIGHT)
        return found

    def _fuzzy(self, doc, exact: set[str]) -> list[tuple[str, str]]:
        from rapidfuzz import fuzz, process  # C extension; imported with the matcher's first use

        candidates = [kw for kw in self.fuzzy_single_ if kw not in exact]
        words = sorted({t.lower_ for t in doc if t.is_alpha and len(t) >= self.min_fuzzy_length} - exact)
        if not candidates or not words:
            return []
        scores = process.cdist(words, candidates, scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff)
        hits = []
        for i, j in zip(*scores.nonzero(), strict=True):
            # Misspellings rarely change the first letter; other words that close are usually real words.
            same_start = words[i][0] == candidates[j][0]
            if same_start and words[i] != candidates[j] and not _same_stem(words[i], candidates[j]):
                hits.append((candidates[j], words[i]))
        return hits

    def _score_doc(self, doc) -> dict[int, Evidence]:
        result = {}
        for code_id, terms in self._matches(doc).items():
            total = sum(terms.values())
            # Saturating: the first strong keyword counts most; more of them add less and less.
            score = 1.0 - math.exp(-total / self.saturation)
            ordered = sorted(terms, key=lambda t: -terms[t])
            result[code_id] = Evidence(score=score, keywords=tuple(ordered))
        return result


def _clean_keywords(keywords: Sequence[str]) -> list[str]:
    cleaned = (k.strip() for k in keywords if k and k.strip())
    return sorted({k if _is_acronym(k) else k.lower() for k in cleaned})


def _is_acronym(keyword: str) -> bool:
    return " " not in keyword and len(keyword) <= 6 and keyword.isupper()


def _is_content(token, use_lemmas: bool) -> bool:
    if token.is_stop or not token.is_alpha or len(token) < 4:
        return False
    return token.pos_ in CONTENT_POS if use_lemmas else True


def _form(token, use_lemmas: bool) -> str:
    return token.lemma_.lower() if use_lemmas else token.lower_


def _same_stem(word: str, keyword: str) -> bool:
    # Inflections (funding/funded) are the lemma matcher's job; fuzzy matching is for misspellings.
    common = 0
    for a, b in zip(word, keyword):
        if a != b:
            break
        common += 1
    return common >= min(len(word), len(keyword)) - 2 and abs(len(word) - len(keyword)) >= 2
