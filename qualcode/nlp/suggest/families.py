"""Family model: which branch of the codebook (barriers, facilitators, ...) a text belongs to, learned from codings."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt
from qualcode.nlp.suggest.registry import register


def family_of(path: str) -> str:
    """The top-level branch of a code path: 'barriers/leadership' -> 'barriers'."""
    return path.split("/", 1)[0]


@register("qualcode.families.v1")
def make_family_model(c: float = 2.0, trust_after: float = 10.0):
    return FamilyModel(c=c, trust_after=trust_after)


class FamilyModel:
    """One logistic regression per codebook family; every code of a family gets the family's probability.

    Near-twin codes of different families (barriers/leadership, foundations/leadership) share their
    words, so per-code models with five examples each cannot tell them apart; a family pools every
    code's examples, which gives it many times more data to learn the stance each family is coded for.
    """

    name = "families"

    def __init__(self, c: float = 2.0, trust_after: float = 10.0):
        self.c = c
        self.trust_after = trust_after

    def fit(self, codes: Sequence[CodeProfile], excerpts: Sequence[Excerpt], background: Sequence[Excerpt] = (), features=None):
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        from qualcode.nlp.suggest.features import TextFeatures

        self.trained_ = False
        self.family_codes_: dict[str, list[int]] = {}
        for code in codes:
            self.family_codes_.setdefault(family_of(code.path), []).append(code.id)
        code_family = {c.id: family_of(c.path) for c in codes}
        coded = [e for e in excerpts if e.codes & code_family.keys()]
        if len(self.family_codes_) < 2 or len(coded) < 2 or len(excerpts) < 2:
            return self
        if features is None or features.kind != "words":
            features = TextFeatures("words").fit([e.text for e in background] or [e.text for e in excerpts])
        self.features_ = features
        matrix = features.transform_cached([e.text for e in excerpts])
        self.support_ = {}
        columns, intercepts, self.families_ = [], [], []
        for family in self.family_codes_:
            y = np.array([any(code_family.get(cid) == family for cid in e.codes) for e in excerpts])
            self.support_[family] = int(y.sum())
            if y.all() or not y.any():
                continue
            # A fixed seed: liblinear shuffles, and the same project must give the same suggestions every run.
            model = LogisticRegression(C=self.c, solver="liblinear", dual=True, class_weight="balanced", max_iter=200,
                                       random_state=0)
            model.fit(matrix, y)
            columns.append(model.coef_.ravel())
            intercepts.append(model.intercept_[0])
            self.families_.append(family)
        if not self.families_:
            return self
        self.code_family_ = code_family
        self.coef_ = np.ascontiguousarray(np.vstack(columns).T)
        self.intercept_ = np.asarray(intercepts)
        self.trained_ = True
        return self

    @property
    def trained(self) -> bool:
        return getattr(self, "trained_", False)

    def trust(self, code_id: int) -> float:
        """Grows with the number of coded examples of the code's whole family."""
        if not self.trained:
            return 0.0
        n = self.support_.get(self.code_family_.get(code_id, ""), 0)
        return n / (n + self.trust_after) if n else 0.0

    def score_many(self, texts: Sequence[str]) -> list[dict[int, Evidence]]:
        import numpy as np

        if not self.trained:
            return [{} for _ in texts]
        logits = np.asarray(self.features_.transform(texts) @ self.coef_) + self.intercept_
        probs = 1.0 / (1.0 + np.exp(-logits))
        return [
            {cid: Evidence(score=float(probs[row, j])) for j, fam in enumerate(self.families_) for cid in self.family_codes_[fam]}
            for row in range(len(texts))
        ]
