"""Learned from the project: TF-IDF word and character n-grams into one linear model per code."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt, as_excerpt
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


@register("qualcode.learned.v2")
def make_margin_model(
    c: float = 0.5, char_ngrams: bool = True, explain_features: int = 3, explain_similar: int = 2, trust_after: float = 5.0,
    max_negatives: int = 1000, embeddings: float = 0.5, context: float = 0.3, position: float = 0.5,
    speakers: float = 0.5,
):
    return LearnedModel(
        c=c, char_ngrams=char_ngrams, explain_features=explain_features, explain_similar=explain_similar,
        trust_after=trust_after, max_negatives=max_negatives, estimator="svm", embeddings=embeddings,
        context=context, position=position, speakers=speakers,
    )


ESTIMATORS = ("logistic", "svm")


class LearnedModel:
    """One-vs-rest linear models over the project's own codings; untrained, it scores nothing.

    `estimator`: "logistic" (v1: balanced logistic regression, probabilities) or "svm" (v2: a balanced
    linear support-vector machine, its margin squashed into [0, 1]; measured better at ranking codes,
    docs/suggestions.md). Beside the text's n-grams, v2 reads, each block scaled by its weight (0 leaves
    it out): the static sentence vector (`embeddings`), the n-grams of the segments just before and after
    (`context`), which tenth of its document the segment is in (`position`: interviews follow a topic
    guide, so where a turn falls says something of what it is about) and who speaks (`speakers`: an
    interviewer's turns are coded differently from a participant's).

    `negatives` (excerpt, code) pairs, from dismissed suggestions, are added as weighted negative examples.
    `trust_after`: with n coded examples of a code, the ranker gives this model n / (n + trust_after) of its
    weight for that code, so a code coded twice still leans on its definition and keywords.
    """

    name = "learned"

    def __init__(
        self, c: float = 4.0, char_ngrams: bool = False, explain_features: int = 3, explain_similar: int = 2,
        trust_after: float = 5.0, max_negatives: int = 1500, estimator: str = "logistic", embeddings: float = 0.0,
        context: float = 0.0, position: float = 0.0, speakers: float = 0.0,
    ):
        if estimator not in ESTIMATORS:
            raise ValueError(f"estimator must be one of {ESTIMATORS}")
        self.estimator = estimator
        self.embeddings = embeddings
        self.context = context
        self.position = position
        self.speakers = speakers
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
        char_features=None,
        vectors=None,
        earlier: LearnedModel | None = None,
    ) -> LearnedModel:
        """Train on `excerpts`; `features` and `char_features` (fitted word and character TextFeatures, shared
        with other components and earlier models) skip refitting TF-IDF and reuse its cached rows.

        `earlier`, a model trained on the same segments with the same features, lends the codes whose
        examples have not changed: coding a segment changes one code's examples, so a retrain while coding
        refits that code alone. New segments (a document coded for the first time) refit every code.
        """
        # numpy, scipy and scikit-learn together cost ~1 s to import: only when a model is trained.
        import numpy as np
        from scipy import sparse

        from qualcode.nlp.suggest.features import TextFeatures

        self.code_ids_: list[int] = []
        self.trained_ = False
        rows = list(excerpts) + [Excerpt(text) for text, _ in negatives]
        texts = [e.text for e in rows]
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
        if self.char_ngrams:
            if char_features is None or char_features.kind != "chars":
                char_features = TextFeatures("chars").fit([e.text for e in background] or texts)
            self.char_features_ = char_features
        if self.embeddings:
            from qualcode.nlp.embeddings import SentenceVectors

            self.vectors_ = vectors if vectors is not None else SentenceVectors().fit([e.text for e in background] or texts)
        # Speakers seen in training, by name as written ("Interviewer", "P3"); others have no speaker column.
        self.speaker_index_ = {name: i for i, name in enumerate(sorted({e.speaker for e in rows if e.speaker}))}
        matrix, words = self._design(rows, cached=True)
        n_pos = len(excerpts)
        label_matrix = np.array([[cid in e.codes for cid in trainable] for e in excerpts], dtype=bool).reshape(n_pos, -1)
        negative_codes = np.array([cid for _, cid in negatives])
        rows_key = hash(tuple((e.document_id, e.segment_index, e.text) for e in rows))
        lent = self._lendable(earlier, rows_key, matrix.shape[1])
        self.rows_key_ = rows_key
        self.signatures_ = {}
        fitted: dict[int, tuple] = {}  # code id -> (coefficients, intercept), in `trainable` order
        for j, cid in enumerate(trainable):
            self.signatures_[cid] = hash((label_matrix[:, j].tobytes(), (negative_codes == cid).tobytes()))
            if cid in lent and lent[cid][0] == self.signatures_[cid]:
                fitted[cid] = lent[cid][1:]
                continue
            y = np.concatenate([label_matrix[:, j], np.zeros(len(negatives), dtype=bool)])
            extra = np.concatenate([np.zeros(n_pos, dtype=bool), negative_codes == cid])
            # A dismissed text is a negative for the code it was dismissed for, and says nothing of the others.
            keep = np.concatenate([np.ones(n_pos, dtype=bool), extra[n_pos:]])
            ordinary_negatives = np.flatnonzero(keep & ~y & ~extra)
            if len(ordinary_negatives) > self.max_negatives:
                # Balanced class weights make the rest redundant; fewer rows keep a retrain within seconds.
                # Seeded by code: the same negatives whether this code is refitted alone or with all the others.
                rng = np.random.default_rng([0, cid])
                drop = rng.choice(ordinary_negatives, len(ordinary_negatives) - self.max_negatives, replace=False)
                keep[drop] = False
            weights = np.where(extra, NEGATIVE_FEEDBACK_WEIGHT, 1.0)
            if y[keep].all():
                continue
            # One at a time: liblinear's dual solver shuffles with one process-wide random generator, so fits
            # in two threads (1.4x faster) gave suggestions that differed in the fourth decimal from run to run.
            model = self._estimator()
            model.fit(matrix[keep], y[keep], sample_weight=weights[keep])
            fitted[cid] = (model.coef_.ravel(), model.intercept_[0])
        self.code_ids_ = list(fitted)
        columns = [coef for coef, _ in fitted.values()]
        intercepts = [intercept for _, intercept in fitted.values()]
        if not self.code_ids_:
            return self
        self.coef_ = np.ascontiguousarray(np.vstack(columns).T)  # features x codes; contiguous, or every product copies it
        self.intercept_ = np.asarray(intercepts)
        self.word_names_ = features.names()
        self.readable_ = features.readable()
        self.train_words_ = words[:n_pos]
        self.train_words_t_ = self.train_words_.T.tocsr()  # transposed once, not on every explanation
        self.train_excerpts_ = list(excerpts)
        self.labels_ = {cid: np.array([cid in e.codes for e in excerpts]) for cid in self.code_ids_}
        self.trained_ = True
        return self

    def _lendable(self, earlier: LearnedModel | None, rows_key: int, width: int) -> dict:
        """code id -> (signature, coefficients, intercept) an earlier model can lend, or nothing."""
        if earlier is None or not earlier.trained or getattr(earlier, "rows_key_", None) != rows_key:
            return {}
        same_parts = (
            earlier.features_ is self.features_
            and getattr(earlier, "char_features_", None) is getattr(self, "char_features_", None)
            and getattr(earlier, "vectors_", None) is getattr(self, "vectors_", None)
            and earlier.speaker_index_ == self.speaker_index_
            and earlier.settings() == self.settings()
            and earlier.coef_.shape[0] == width
        )
        if not same_parts:
            return {}
        return {
            cid: (earlier.signatures_.get(cid), earlier.coef_[:, j], earlier.intercept_[j])
            for j, cid in enumerate(earlier.code_ids_)
        }

    def settings(self) -> tuple:
        return (self.estimator, self.c, self.char_ngrams, self.max_negatives, self.embeddings, self.context,
                self.position, self.speakers)

    def _design(self, excerpts: Sequence[Excerpt], cached: bool = False):
        """The model's input rows for `excerpts`, and their word block (for explanations)."""
        import numpy as np
        from scipy import sparse

        transform = (lambda f, t: f.transform_cached(t)) if cached else (lambda f, t: f.transform(t))

        def ngrams(texts):
            parts = [transform(self.features_, texts)]
            if self.char_ngrams:
                parts.append(transform(self.char_features_, texts))
            return parts

        text_blocks = ngrams([e.text for e in excerpts])
        blocks = list(text_blocks)
        if self.embeddings:
            blocks.append(sparse.csr_matrix(self.embeddings * self.vectors_.transform([e.text for e in excerpts])))
        if self.context:
            # One block for both sides: what is said around a turn, not which side it is on.
            # Words only: character n-grams of the neighbours doubled the training time for nothing measurable.
            around = transform(self.features_, [e.before for e in excerpts]) + transform(self.features_, [e.after for e in excerpts])
            blocks.append(self.context * around)
        if self.position:
            tenths = np.zeros((len(excerpts), 10))
            for row, e in enumerate(excerpts):
                if e.position is not None:
                    tenths[row, min(9, int(e.position * 10))] = self.position
            blocks.append(sparse.csr_matrix(tenths))
        if self.speakers:
            who = np.zeros((len(excerpts), max(1, len(self.speaker_index_))))
            for row, e in enumerate(excerpts):
                column = self.speaker_index_.get(e.speaker)
                if column is not None:
                    who[row, column] = self.speakers
            blocks.append(sparse.csr_matrix(who))
        return sparse.hstack(blocks).tocsr(), text_blocks[0]

    def _estimator(self):
        if self.estimator == "svm":
            from sklearn.svm import LinearSVC

            # The dual problem: with fewer excerpts than n-grams it solves much faster than the primal.
            # Balanced: a code coded 20 times in 2,000 segments is not learned as "never".
            # tol 1e-2 rather than 1e-4: nearly twice as fast, and the ranking of codes did not change (measured).
            return LinearSVC(C=self.c, dual=True, max_iter=1000, tol=1e-2, class_weight="balanced", random_state=0)
        from sklearn.linear_model import LogisticRegression

        # liblinear shuffles with one process-wide generator: a fixed seed, or a project's suggestions vary by run.
        return LogisticRegression(C=self.c, solver="liblinear", dual=True, class_weight="balanced", max_iter=200, random_state=0)

    def trust(self, code_id: int) -> float:
        """How much of its weight this model deserves for a code: grows with the code's coded examples."""
        n = self.support_.get(code_id, 0) if self.trained else 0
        return n / (n + self.trust_after) if n else 0.0

    @property
    def trained(self) -> bool:
        return getattr(self, "trained_", False)

    def probabilities(self, texts: Sequence[str | Excerpt]):
        """(texts x trained codes) probabilities, and the word-feature block for explanations."""
        import numpy as np

        matrix, words = self._design([as_excerpt(t) for t in texts])
        logits = np.asarray(matrix @ self.coef_) + self.intercept_
        # A margin of +1 is where the SVM puts its positives, -1 its negatives: 0.88 and 0.12.
        slope = 2.0 if self.estimator == "svm" else 1.0
        return 1.0 / (1.0 + np.exp(-slope * logits)), words

    def score_excerpts(self, excerpts: Sequence[Excerpt]) -> list[dict[int, Evidence]]:
        """Like score_many, for excerpts that know where they sit in their document."""
        return self.score_many(excerpts)

    def score_many(self, texts: Sequence[str | Excerpt]) -> list[dict[int, Evidence]]:
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
