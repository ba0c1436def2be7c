"""Find similar: the excerpts of a project most like a given one, coded or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.nlp.suggest.protocol import Excerpt


@dataclass(frozen=True, slots=True)
class SimilarExcerpt:
    excerpt: Excerpt
    similarity: float


class SimilarityIndex:
    """TF-IDF over lemmas and character n-grams of every segment; cosine similarity on request."""

    def __init__(self, excerpts: Sequence[Excerpt]):
        self.excerpts = list(excerpts)

    def fit(self) -> SimilarityIndex:
        from scipy import sparse  # scipy/scikit-learn: ~1 s to import, only when similarity is asked for
        from sklearn.feature_extraction.text import TfidfVectorizer

        from qualcode.nlp.suggest.definitions import lemmatise

        texts = [e.text for e in self.excerpts]
        self.words_ = TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=r"(?u)\b[a-z][a-z]+\b")
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
        if not texts:
            return self
        try:
            words = self.words_.fit_transform(lemmatise(texts))
        except ValueError:  # nothing but stop words: similarity rests on the characters alone
            self.words_ = None
            words = None
        chars = self.chars_.fit_transform([t.lower() for t in texts])
        self.matrix_ = self._join(words, chars, sparse)
        return self

    def _join(self, words, chars, sparse):
        from sklearn.preprocessing import normalize

        blocks = [b for b in (words, chars) if b is not None]
        return normalize(sparse.hstack(blocks).tocsr())

    def most_similar(self, text: str, top_k: int = 5, exclude: tuple[int | None, int | None] | None = None,
                     coded_only: bool = False) -> list[SimilarExcerpt]:
        """The `top_k` excerpts closest to `text`; `exclude` names (document id, segment index) to leave out."""
        import numpy as np
        from scipy import sparse

        from qualcode.nlp.suggest.definitions import lemmatise

        if not self.excerpts:
            return []
        words = self.words_.transform(lemmatise([text])) if self.words_ is not None else None
        query = self._join(words, self.chars_.transform([text.lower()]), sparse)
        scores = np.asarray((self.matrix_ @ query.T).todense()).ravel()
        results = []
        for i in np.argsort(-scores, kind="stable"):
            excerpt = self.excerpts[i]
            if exclude is not None and (excerpt.document_id, excerpt.segment_index) == exclude:
                continue
            if coded_only and not excerpt.codes:
                continue
            if scores[i] <= 0:
                break
            results.append(SimilarExcerpt(excerpt, round(float(scores[i]), 4)))
            if len(results) == top_k:
                break
        return results
