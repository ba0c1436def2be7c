"""Stacked ranker: a logistic regression over the components' scores, fitted on their out-of-fold predictions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import deepcopy
from typing import Any

from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt, Suggestion
from qualcode.nlp.suggest.ranker import Ranker
from qualcode.nlp.suggest.registry import register

# Below this many coded segments a fitted combiner would be noise: the weighted mean of v1 ranks instead.
MIN_CODED = 30
# A combiner fitted on n coded segments keeps serving until the project has this many times n.
REFIT_GROWTH = 1.25
# The combiner learns a few dozen weights: its folds use at most this many segments, so a project of
# 5,000 coded segments does not pay for three more full trainings.
COMBINER_SAMPLE = 1500


@register("qualcode.ranker.v2")
def make_stacked_ranker(
    components, codes, dismissed=(), min_confidence: float = 0.0, folds: int = 3, c: float = 1.0,
    min_coded: int = MIN_CODED,
):
    return StackedRanker(components, codes, dismissed=dismissed, min_confidence=min_confidence, folds=folds, c=c,
                         min_coded=min_coded)


class StackedRanker(Ranker):
    """Learns how far to trust each component from the project's own codings.

    The training codings are split into `folds`; each fold is scored by components fitted on the others,
    and a logistic regression learns, from those held-out scores, the probability that a code applies.
    So a codebook whose definitions predict the coders' choices keeps its weight, and one whose
    definitions are a code name alone loses it, without anyone tuning weights. The confidence is that
    probability: 0.6 means about six in ten such suggestions were the coders' code in held-out data.
    """

    def __init__(self, *args, folds: int = 3, c: float = 1.0, min_coded: int = MIN_CODED, **kwargs):
        super().__init__(*args, **kwargs)  # the weighted-mean ranker's arguments, which it falls back on
        self.folds = folds
        self.c = c
        self.min_coded = min_coded
        self.combiner_: Combiner | None = None
        self.combiner_refitted_ = False  # fitted by this ranker rather than kept from an earlier one

    @property
    def stacked(self) -> bool:
        return self.combiner_ is not None

    def fit_combiner(
        self,
        labelled: Sequence[Excerpt],
        background: Sequence[Excerpt],
        negatives: Sequence[tuple[str, int]],
        config: Mapping[str, Any],
        reuse: Ranker | None = None,
        earlier: Combiner | None = None,
    ) -> StackedRanker:
        """Fit the combiner on out-of-fold scores; keep `reuse`'s (or `earlier`) when the project has grown
        only a little."""
        import numpy as np
        from sklearn.model_selection import KFold

        from qualcode.nlp.suggest.ranker import assemble

        coded = sum(1 for e in labelled if e.codes)
        support = _support(labelled, self.codes)
        earlier = earlier if earlier is not None else getattr(reuse, "combiner_", None)
        if earlier is not None and earlier.names == self._names() and earlier.fitted_on <= coded <= REFIT_GROWTH * earlier.fitted_on:
            self.combiner_ = earlier.with_support(support)
            return self
        if coded < self.min_coded or len(labelled) < 2 * self.folds:
            return self
        inner_config = deepcopy(dict(config))
        inner_config["ranker"] = "qualcode.ranker.v1"  # the inner rankers only supply component scores
        rows, labels = [], []
        sample = list(labelled)
        if len(sample) > COMBINER_SAMPLE:
            picked = np.random.default_rng(0).choice(len(sample), COMBINER_SAMPLE, replace=False)
            sample = [sample[i] for i in sorted(picked)]
        for train_idx, held_idx in KFold(self.folds, shuffle=True, random_state=0).split(sample):
            train = [sample[i] for i in train_idx]
            held = [sample[i] for i in held_idx]
            inner = assemble(self.codes.values(), train, background=background, negatives=negatives,
                             config=inner_config, reuse=self)
            fold_support = _support(train, self.codes)
            # Ranking is what the combiner is for: segments no one coded teach it nothing about which code.
            held = [e for e in held if e.codes]
            if not held:
                continue
            features = Combiner.features(inner, held, self._names(), list(self.codes), fold_support)
            rows.append(features.reshape(-1, features.shape[-1]))
            labels.append(np.array([[cid in e.codes for cid in self.codes] for e in held], dtype=bool).ravel())
        y = np.concatenate(labels)
        if y.all() or not y.any():
            return self
        self.combiner_ = Combiner.fit(np.vstack(rows), y, self._names(), self.c, coded, support)
        self.combiner_refitted_ = True
        return self

    def _names(self) -> tuple[str, ...]:
        return tuple(sorted(self.active_weights()))

    def _rank_row(self, text: str, per_code: dict[int, dict[str, Evidence]], weights) -> list[Suggestion]:
        if self.combiner_ is None:
            return super()._rank_row(text, per_code, weights)
        code_ids = list(self.codes)
        opinions = {name: {cid: ev[name].score for cid, ev in per_code.items() if name in ev} for name in self.combiner_.names}
        probabilities = self.combiner_.probabilities(opinions, code_ids)
        suggestions = []
        for cid, probability in zip(code_ids, probabilities, strict=True):
            evidence = per_code.get(cid, {})
            penalty = self._dismissal_penalty(text, cid) if evidence else 0.0
            suggestions.append(Suggestion(
                code_id=cid,
                code_path=self.codes[cid].path,
                confidence=round(float(probability) * (1.0 - penalty), 4),
                keywords=evidence.get("keywords", Evidence(0)).keywords,
                components={name: round(ev.score, 4) for name, ev in evidence.items()},
                penalised=penalty > 0,
            ))
        return suggestions


class Combiner:
    """Non-negative logistic regression over per-(text, code) features of the component scores (`_stack`)."""

    def __init__(self, names, model, fitted_on: int, support):
        self.names = tuple(names)
        self.model = model
        self.fitted_on = fitted_on
        self.support = support

    @classmethod
    def fit(cls, rows, y, names, c: float, fitted_on: int, support) -> Combiner:
        return cls(names, NonNegativeLogistic(c).fit(rows, y), fitted_on, support)

    def to_dict(self) -> dict:
        return {"names": list(self.names), "coef": [float(w) for w in self.model.coef_],
                "intercept": float(self.model.intercept_), "fitted_on": self.fitted_on}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Combiner:
        import numpy as np

        model = NonNegativeLogistic()
        model.coef_, model.intercept_ = np.asarray(data["coef"], dtype=float), float(data["intercept"])
        return cls(tuple(data["names"]), model, int(data["fitted_on"]), {})

    def with_support(self, support) -> Combiner:
        """The same weights, with the code counts of the data the components were just trained on."""
        return Combiner(self.names, self.model, self.fitted_on, support)

    @staticmethod
    def features(ranker: Ranker, texts: Sequence[Excerpt], names: Sequence[str], code_ids: Sequence[int], support):
        """(texts x codes x features) for `ranker`'s components on `texts`."""
        import numpy as np

        from qualcode.nlp.suggest.ranker import component_scores

        column = {cid: j for j, cid in enumerate(code_ids)}
        scores = np.zeros((len(names), len(texts), len(code_ids)))
        for k, name in enumerate(names):
            component = ranker.components.get(name)
            if component is None or not getattr(component[0], "trained", True):
                continue
            for i, opinion in enumerate(component_scores(component[0], texts)):
                for cid, evidence in opinion.items():
                    if cid in column:
                        scores[k, i, column[cid]] = evidence.score
        return _stack(scores, np.array([support.get(cid, 0) for cid in code_ids], dtype=float))

    def probabilities(self, opinions: Mapping[str, Mapping[int, float]], code_ids: Sequence[int]):
        import numpy as np

        scores = np.zeros((len(self.names), 1, len(code_ids)))
        for k, name in enumerate(self.names):
            for j, cid in enumerate(code_ids):
                scores[k, 0, j] = opinions.get(name, {}).get(cid, 0.0)
        counts = np.array([self.support.get(cid, 0) for cid in code_ids], dtype=float)
        logits = _stack(scores, counts)[0] @ self.model.coef_ + self.model.intercept_
        return 1.0 / (1.0 + np.exp(-logits))


class NonNegativeLogistic:
    """L2-regularised logistic regression whose weights are kept >= 0 (L-BFGS-B with bounds).

    Every feature of the combiner grows with a component's opinion of a code (or with the code's
    frequency), so non-negative weights make the confidence monotone: a code that every component
    rates higher can never be ranked lower. Unconstrained, a fit on a few dozen codings can give a
    component a negative weight, and then a near-certain match loses to a weak one.
    """

    def __init__(self, c: float = 1.0):
        self.c = c

    def fit(self, rows, y) -> NonNegativeLogistic:
        import numpy as np
        from scipy.optimize import minimize
        from scipy.special import expit, log1p

        x = np.asarray(rows, dtype=float)
        target = np.asarray(y, dtype=float)
        n, k = x.shape

        def loss(params):
            w, b = params[:k], params[k]
            z = x @ w + b
            # log(1 + e^z) - y z, written to stay finite for large |z|
            value = np.sum(np.maximum(z, 0) + log1p(np.exp(-np.abs(z))) - target * z) / n + 0.5 * (w @ w) / (self.c * n)
            residual = (expit(z) - target) / n
            return value, np.append(x.T @ residual + w / (self.c * n), residual.sum())

        start = np.zeros(k + 1)
        bounds = [(0.0, None)] * k + [(None, None)]
        result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500})
        self.coef_, self.intercept_ = result.x[:k], float(result.x[k])
        return self


def _stack(scores, counts):
    """(components x texts x codes) scores and per-code counts -> (texts x codes x features).

    Per component, each growing with its opinion: the score split by how well the code is known
    (s (1 - t) and s t, t = n / (n + 5) for a code coded n times, so the combiner can trust a
    component more for well-coded codes without ever trusting it negatively), whether the code is its
    first choice, 1 / (1 + its rank) and the score's distance below the component's best for the text.
    Last, log(1 + n): a prior for frequent codes.
    """
    import numpy as np

    trust = np.broadcast_to(counts / (counts + 5.0), scores.shape[1:])
    columns = []
    for k in range(scores.shape[0]):
        s = scores[k]
        best = s.max(axis=1, keepdims=True)
        rank = np.argsort(np.argsort(-s, axis=1, kind="stable"), axis=1)
        columns += [
            s * (1 - trust), s * trust, ((s >= best) & (s > 0)).astype(float),
            np.where(s > 0, 1.0 / (1.0 + rank), 0.0), s - best,
        ]
    columns.append(np.broadcast_to(np.log1p(counts), scores.shape[1:]))
    return np.stack(columns, axis=-1)


def _support(excerpts: Sequence[Excerpt], codes: Mapping[int, CodeProfile]) -> dict[int, int]:
    counts = dict.fromkeys(codes, 0)
    for e in excerpts:
        for cid in e.codes:
            if cid in counts:
                counts[cid] += 1
    return counts
