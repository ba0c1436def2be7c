"""Learned from the project: TF-IDF word and character n-grams into one logistic regression per code."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt
from qualcode.nlp.suggest.registry import register

MIN_POSITIVES = 1
NEGATIVE_FEEDBACK_WEIGHT = 3.0


@register("qualcode.learned.v1")
def make_learned_model(
    c: float = 4.0, char_ngrams: bool = False, explain_features: int = 3, explain_similar: int = 2, trust_after: float = 5.0,
    max_negatives: int = 1500,
):
    return LearnedModel(
        c=c, char_ngrams=char_ngrams, explain_features=explain_features, explain_similar=explain_similar,
        trust_after=trust_after, max_negatives=max_negatives,
    )


class LearnedModel:
    """One-vs-rest logistic regression over the project's own codings; untrained, it scores nothing.

    `negatives` (excerpt, code) pairs, from dismissed suggestions, are added as weighted negative examples.
    `trust_after`: with n coded examples of a code, the ranker gives this model n / (n + trust_after) of its
    weight for that code, so a code coded twice still leans on its definition and keywords.
    """

    name = "learned"

    def __init__(
        self, c: float = 4.0, char_ngrams: bool = False, explain_features: int = 3, explain_similar: int = 2,
        trust_after: float = 5.0, max_negatives: int = 1500,
    ):
        self.c = c
        self.max_negatives = max_negatives
        self.trust_after = trust_after
        self.char_ngrams = char_ngrams
        self.explain_features = explain_features
        self.explain_similar = explain_similar

    def fit(
        self,
        codes: Sequence[CodeProfile],
        excerpts: Sequence[Excerpt],
        negatives: Sequence[tuple[str, int]] = (),
        background: Sequence[Excerpt] = (),
        features=None,
    ) -> LearnedModel:
        """Train on `excerpts`; `features` (a fitted TextFeatures of an earlier model) skips refitting TF-IDF."""
        # numpy, scipy and scikit-learn together cost ~1 s to import: only when a model is trained.
        import numpy as np
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        from qualcode.nlp.suggest.features import TextFeatures

        self.code_ids_: list[int] = []
        self.trained_ = False
        texts = [e.text for e in excerpts] + [text for text, _ in negatives]
        known = {c.id for c in codes}
        counts = {cid: 0 for cid in known}
        for e in excerpts:
            for cid in e.codes & known:
                counts[cid] += 1
        self.support_ = counts
        trainable = [c.id for c in codes if counts[c.id] >= MIN_POSITIVES]
        if not trainable or len(excerpts) < 2:
            return self
        if features is None or features.kind != "words":
            features = TextFeatures("words").fit([e.text for e in background] or texts)
        self.features_ = features
        blocks = [features.transform_cached(texts)]
        if self.char_ngrams:
            self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=60000)
            blocks.append(self.chars_.fit_transform(texts))
        matrix = sparse.hstack(blocks).tocsr()
        n_pos = len(excerpts)
        label_matrix = np.array([[cid in e.codes for cid in trainable] for e in excerpts], dtype=bool).reshape(n_pos, -1)
        negative_codes = np.array([cid for _, cid in negatives])
        rng = np.random.default_rng(0)
        columns, intercepts = [], []
        for j, cid in enumerate(trainable):
            y = np.concatenate([label_matrix[:, j], np.zeros(len(negatives), dtype=bool)])
            extra = np.concatenate([np.zeros(n_pos, dtype=bool), negative_codes == cid])
            # A dismissed text is a negative for the code it was dismissed for, and says nothing of the others.
            keep = np.concatenate([np.ones(n_pos, dtype=bool), extra[n_pos:]])
            ordinary_negatives = np.flatnonzero(keep & ~y & ~extra)
            if len(ordinary_negatives) > self.max_negatives:
                # Balanced class weights make the rest redundant; fewer rows keep a retrain within seconds.
                drop = rng.choice(ordinary_negatives, len(ordinary_negatives) - self.max_negatives, replace=False)
                keep[drop] = False
            weights = np.where(extra, NEGATIVE_FEEDBACK_WEIGHT, 1.0)
            if y[keep].all():
                continue
            # The dual problem: with fewer excerpts than n-grams it solves ~10x faster than the primal.
            model = LogisticRegression(C=self.c, solver="liblinear", dual=True, class_weight="balanced", max_iter=200)
            model.fit(matrix[keep], y[keep], sample_weight=weights[keep])
            columns.append(model.coef_.ravel())
            intercepts.append(model.intercept_[0])
            self.code_ids_.append(cid)
        if not self.code_ids_:
            return self
        self.coef_ = np.ascontiguousarray(np.vstack(columns).T)  # features x codes; contiguous, or every product copies it
        self.intercept_ = np.asarray(intercepts)
        self.word_names_ = features.names()
        self.readable_ = features.readable()
        self.train_words_ = blocks[0][:n_pos]
        self.train_words_t_ = self.train_words_.T.tocsr()  # transposed once, not on every explanation
        self.train_excerpts_ = list(excerpts)
        self.labels_ = {cid: np.array([cid in e.codes for e in excerpts]) for cid in self.code_ids_}
        self.trained_ = True
        return self

    def trust(self, code_id: int) -> float:
        """How much of its weight this model deserves for a code: grows with the code's coded examples."""
        n = self.support_.get(code_id, 0) if self.trained else 0
        return n / (n + self.trust_after) if n else 0.0

    @property
    def trained(self) -> bool:
        return getattr(self, "trained_", False)

    def probabilities(self, texts: Sequence[str]):
        """(texts x trained codes) probabilities, and the word-feature block for explanations."""
        import numpy as np
        from scipy import sparse

        words = self.features_.transform(texts)
        blocks = [words]
        if self.char_ngrams:
            blocks.append(self.chars_.transform(texts))
        matrix = sparse.hstack(blocks).tocsr()
        logits = np.asarray(matrix @ self.coef_) + self.intercept_
        return 1.0 / (1.0 + np.exp(-logits)), words

    def score_many(self, texts: Sequence[str]) -> list[dict[int, Evidence]]:
        """Probabilities only; `explain` adds the reasons for the few codes that are shown."""
        if not self.trained:
            return [{} for _ in texts]
        probs, _ = self.probabilities(texts)
        return [
            {cid: Evidence(score=float(probs[row, j])) for j, cid in enumerate(self.code_ids_) if probs[row, j] >= 0.05}
            for row in range(len(texts))
        ]

    def explain(self, text: str, code_id: int, evidence: Evidence) -> Evidence:
        """The strongest word features behind this code's score, and the closest excerpts coded with it."""
        if not self.trained or code_id not in self.labels_:
            return evidence
        words = self.features_.transform_one(text)
        j = self.code_ids_.index(code_id)
        similarity = (words @ self.train_words_t_).toarray()[0]
        return Evidence(evidence.score, evidence.keywords, self._features(words[0], j), self._similar(similarity, code_id))

    def _features(self, word_row, j: int) -> tuple[str, ...]:
        contributions = [
            (word_row.data[k] * self.coef_[i, j], i) for k, i in enumerate(word_row.indices) if self.readable_[i]
        ]
        best = sorted((c for c in contributions if c[0] > 0), reverse=True)[: self.explain_features]
        return tuple(str(self.word_names_[i]) for _, i in best)

    def _similar(self, sims, cid: int) -> tuple[Excerpt, ...]:
        import numpy as np

        masked = np.where(self.labels_[cid], sims, -1.0)
        order = np.argsort(-masked)[: self.explain_similar]
        return tuple(self.train_excerpts_[i] for i in order if masked[i] > 0.05)
