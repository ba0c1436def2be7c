"""TF-IDF features fitted once per project and cached by text, so retraining only transforms new excerpts."""

from __future__ import annotations

import threading
from collections.abc import Sequence

KINDS = ("words", "chars")


class TextFeatures:
    """A word (uni+bigram) or character (3-5) n-gram TF-IDF vectorizer over a project's text.

    It is fitted on every segment of the project (no labels: only which n-grams are common there), then
    shared by successive retrains; `transform_cached` remembers rows of training texts, so a retrain after
    a few new codings transforms a few new excerpts, not all of them.
    """

    def __init__(self, kind: str = "words"):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        self.kind = kind
        self._cache: dict[str, object] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """The row cache pickles as one matrix (thousands of one-row matrices pickle slowly); no lock."""
        from scipy import sparse

        state = {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_cache", "_last")}
        with self._lock:
            texts = list(self._cache)
            state["_cached_texts"] = texts
            state["_cached_rows"] = sparse.vstack([self._cache[t] for t in texts]).tocsr() if texts else None
        return state

    def __setstate__(self, state: dict) -> None:
        texts, rows = state.pop("_cached_texts", []), state.pop("_cached_rows", None)
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._cache = {text: rows[i] for i, text in enumerate(texts)} if rows is not None else {}

    def fit(self, texts: Sequence[str]) -> TextFeatures:
        from sklearn.feature_extraction.text import TfidfVectorizer  # ~0.5 s import; only when training

        if self.kind == "chars":
            self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
        else:
            self.vectorizer_ = TfidfVectorizer(
                ngram_range=(1, 2), sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b[a-z][a-z']+\b"
            )
        self.vectorizer_.fit([t.lower() for t in texts] or [""])
        return self

    def transform(self, texts: Sequence[str]):
        return self.vectorizer_.transform([t.lower() for t in texts])

    def transform_one(self, text: str):
        """One text, remembered until the next one: explaining five suggestions of a text transforms it once."""
        last = getattr(self, "_last", None)
        if last is not None and last[0] == text:
            return last[1]
        row = self.transform([text])
        self._last = (text, row)  # one tuple assignment: safe with the retrain thread reading it
        return row

    def transform_cached(self, texts: Sequence[str]):
        """Like transform, reusing rows already computed for the same text."""
        from scipy import sparse

        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            rows = self.transform(missing)
            with self._lock:
                for i, text in enumerate(missing):
                    self._cache[text] = rows[i]
        with self._lock:
            return sparse.vstack([self._cache[t] for t in texts]).tocsr() if texts else self.transform([])

    def names(self):
        if getattr(self, "names_", None) is None:
            self.names_ = self.vectorizer_.get_feature_names_out()
        return self.names_

    def readable(self):
        """Per feature: does it hold a word other than a stop word? Only those are shown as reasons."""
        if getattr(self, "readable_", None) is None:
            import numpy as np
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

            self.readable_ = np.array([any(w not in ENGLISH_STOP_WORDS for w in n.split()) for n in self.names()])
        return self.readable_

    @property
    def size(self) -> int:
        return len(self.vectorizer_.vocabulary_)
