"""Definition similarity for a cold start: how close a text is to each code's definition, criteria and examples."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.errors import InvalidInput
from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt
from qualcode.nlp.suggest.registry import register

REPRESENTATIONS = ("tfidf-word", "tfidf-lemma", "tfidf-char", "spacy-vectors")


@register("qualcode.definitions.v1")
def make_definition_similarity(representation: str = "tfidf-char", scale: float = 0.3, pooling: str = "mean",
                               vectors: float = 0.0, exclusion: float = 0.0):
    return DefinitionSimilarity(representation=representation, scale=scale, pooling=pooling, vectors=vectors,
                                exclusion=exclusion)


class DefinitionSimilarity:
    """Cosine similarity between a text and each code's own words; no codings needed.

    `representation` was chosen by measurement (docs/suggestions.md); `scale` maps a cosine to a score
    in [0, 1] (a cosine of `scale` or more counts as a full match); `pooling` compares against the whole
    definition ("mean"), the closest single piece of it ("max"), or the average of both ("max+mean").
    `exclusion`: a text as close to a code's exclusion criteria as to its definition loses this share of
    the similarity (exclusions name what a code is not, often another code's ground).
    """

    name = "definitions"

    def __init__(self, representation: str = "tfidf-char", scale: float = 0.3, pooling: str = "mean", vectors: float = 0.0,
                 exclusion: float = 0.0):
        if representation not in REPRESENTATIONS:
            raise InvalidInput(f"unknown representation '{representation}' (one of {', '.join(REPRESENTATIONS)})")
        if not 0 <= vectors <= 1:
            raise InvalidInput(f"vectors must be between 0 and 1, not {vectors}")
        self.representation = representation
        self.vectors = vectors
        self.exclusion = exclusion
        self.scale = scale
        self.pooling = pooling

    def fit(self, codes: Sequence[CodeProfile], excerpts: Sequence[Excerpt] = ()) -> DefinitionSimilarity:
        import numpy as np  # with scikit-learn below: deferred so the CLI starts fast

        self.code_ids_ = [c.id for c in codes]
        pieces, owners = [], []
        for i, code in enumerate(codes):
            for piece in (code.name.replace("-", " "), code.description, code.inclusion, *code.examples):
                if piece.strip():
                    pieces.append(piece)
                    owners.append(i)
        wholes = [c.definition for c in codes]
        # Unlabelled project text teaches which words are common here (IDF) without any coding.
        background = [e.text for e in excerpts]
        self.encoder_ = _Encoder(self.representation).fit(wholes + pieces + background)
        self.whole_ = self.encoder_.encode(wholes)
        self.pieces_ = self.encoder_.encode(pieces) if pieces else None
        self.owners_ = np.asarray(owners, dtype=int)
        # Transposed once: a sparse product with .T converts the matrix on every call.
        self.whole_t_ = _transposed(self.whole_)
        self.has_exclusion_ = np.array([bool(c.exclusion.strip()) for c in codes])
        if self.exclusion and self.has_exclusion_.any():
            self.exclusion_t_ = _transposed(self.encoder_.encode([c.exclusion or " " for c in codes]))
        self.pieces_t_ = _transposed(self.pieces_) if self.pieces_ is not None else None
        if self.vectors:
            from qualcode.nlp.embeddings import SentenceVectors

            # Static sentence vectors find a definition's meaning in other words ("funding" for "money").
            self.sentence_vectors_ = SentenceVectors().fit(wholes + background)
            self.whole_vectors_t_ = self.sentence_vectors_.transform(wholes).T
        return self

    def similarities(self, texts: Sequence[str]):
        """(texts x codes) cosine similarities."""
        import numpy as np

        encoded = self.encoder_.encode(texts)
        whole = _dense(encoded @ self.whole_t_)
        if self.vectors:
            meaning = self.sentence_vectors_.transform(texts) @ self.whole_vectors_t_
            whole = (1 - self.vectors) * whole + self.vectors * np.clip(meaning, 0, None)
        if self.exclusion and self.has_exclusion_.any():
            against = _dense(encoded @ self.exclusion_t_) * self.has_exclusion_
            whole = whole * (1 - self.exclusion * np.clip(against / np.maximum(whole, 1e-9), 0, 1))
        if self.pooling == "mean" or self.pieces_ is None:
            return whole
        per_piece = _dense(encoded @ self.pieces_t_)
        best = np.zeros_like(whole)
        for i in range(whole.shape[1]):
            mask = self.owners_ == i
            if mask.any():
                best[:, i] = per_piece[:, mask].max(axis=1)
        return best if self.pooling == "max" else (best + whole) / 2

    def score_many(self, texts: Sequence[str]) -> list[dict[int, Evidence]]:
        sims = self.similarities(texts)
        results = []
        for row in sims:
            results.append(
                {code_id: Evidence(score=min(1.0, float(s) / self.scale)) for code_id, s in zip(self.code_ids_, row) if s > 0}
            )
        return results


class _Encoder:
    """Texts to L2-normalised vectors in one of the measured representations."""

    def __init__(self, representation: str):
        self.representation = representation

    def fit(self, texts: Sequence[str]) -> _Encoder:
        from sklearn.feature_extraction.text import TfidfVectorizer  # ~0.5 s import; only when fitting

        if self.representation == "spacy-vectors":
            from qualcode.nlp.pipeline import load_pipeline

            self.nlp_ = load_pipeline(disable=("parser", "ner")).nlp
            return self
        if self.representation == "tfidf-char":
            self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
        else:
            self.vectorizer_ = TfidfVectorizer(
                ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=1, token_pattern=r"(?u)\b[a-z][a-z]+\b"
            )
        self.vectorizer_.fit(self._prepare(texts))
        return self

    def encode(self, texts: Sequence[str]):
        if self.representation == "spacy-vectors":
            import numpy as np

            vectors = np.vstack([doc.vector for doc in self.nlp_.pipe(texts)])
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            return vectors / np.where(norms == 0, 1, norms)
        return self.vectorizer_.transform(self._prepare(texts))

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        if self.representation != "tfidf-lemma":
            return [t.lower() for t in texts]
        return lemmatise(texts)


def lemmatise(texts: Sequence[str]) -> list[str]:
    """Lowercase lemmas joined by spaces (lowercase words on a pipeline without a lemmatizer)."""
    from qualcode.nlp.pipeline import load_pipeline

    nlp = load_pipeline(disable=("parser", "ner")).nlp
    return [" ".join(t.lemma_.lower() or t.lower_ for t in doc if not t.is_punct) for doc in nlp.pipe(texts, batch_size=64)]


def _transposed(matrix):
    return matrix.T.tocsr() if hasattr(matrix, "tocsr") else matrix.T


def _dense(matrix):
    import numpy as np

    return np.asarray(matrix.todense()) if hasattr(matrix, "todense") else np.asarray(matrix)
