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
    """TF-IDF over lemmas and character n-grams of every segment, and the static sentence vectors the
    suggestions use (`vectors`: their share of the similarity, 0 leaves them out); cosine on request.

    `sentence_vectors`: a fitted `SentenceVectors` to share (the suggester's), else one is fitted here.
    Off by default: with a share of 0.3 the nearest coded excerpt shared a code less often (think-aloud
    0.495 -> 0.488, demo 0.598 -> 0.538; docs/suggestions.md).
    """

    def __init__(self, excerpts: Sequence[Excerpt], vectors: float = 0.0, sentence_vectors=None):
        self.excerpts = list(excerpts)
        self.vectors = vectors
        self.sentence_vectors = sentence_vectors

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
        if self.vectors and self.sentence_vectors is None:
            from qualcode.nlp.embeddings import SentenceVectors

            self.sentence_vectors = SentenceVectors().fit(texts)
        self.matrix_ = self._join(words, chars, sparse, texts)
        return self

    def _join(self, words, chars, sparse, texts):
        from sklearn.preprocessing import normalize

        # Each block unit length first, then weighted: the cosine of the whole is the weighted mean of theirs.
        lexical = normalize(sparse.hstack([b for b in (words, chars) if b is not None]).tocsr())
        if not self.vectors:
            return lexical
        meaning = sparse.csr_matrix(self.sentence_vectors.transform(texts))
        return sparse.hstack([(1 - self.vectors) ** 0.5 * lexical, self.vectors ** 0.5 * meaning]).tocsr()

    def most_similar(self, text: str, top_k: int = 5, exclude: tuple[int | None, int | None] | None = None,
                     coded_only: bool = False) -> list[SimilarExcerpt]:
        """The `top_k` excerpts closest to `text`; `exclude` names (document id, segment index) to leave out."""
        import numpy as np
        from scipy import sparse

        from qualcode.nlp.suggest.definitions import lemmatise

        if not self.excerpts:
            return []
        words = self.words_.transform(lemmatise([text])) if self.words_ is not None else None
        query = self._join(words, self.chars_.transform([text.lower()]), sparse, [text])
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
