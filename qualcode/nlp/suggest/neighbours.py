"""Nearest coded excerpts: a code scores by how close the text is to the excerpts already given that code."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.nlp.suggest.protocol import CodeProfile, Evidence, Excerpt
from qualcode.nlp.suggest.registry import register


@register("qualcode.neighbours.v1")
def make_neighbours(scale: float = 0.5, explain_similar: int = 2, trust_after: float = 3.0):
    return CodedNeighbours(scale=scale, explain_similar=explain_similar, trust_after=trust_after)


class CodedNeighbours:
    """Cosine similarity (character n-gram TF-IDF) to the closest excerpt coded with each code.

    With a few codings per code this beats a linear model (measured in docs/suggestions.md), and its
    evidence is the explanation people ask for: "it reads like these excerpts you coded".
    `scale`: a similarity of `scale` or more counts as a full match.
    """

    name = "neighbours"

    def __init__(self, scale: float = 0.5, explain_similar: int = 2, trust_after: float = 3.0):
        self.scale = scale
        self.explain_similar = explain_similar
        self.trust_after = trust_after

    def fit(
        self, codes: Sequence[CodeProfile], excerpts: Sequence[Excerpt], background: Sequence[Excerpt] = (), features=None
    ) -> CodedNeighbours:
        """Index the coded excerpts; `features` (a fitted TextFeatures of an earlier index) skips refitting TF-IDF."""
        import numpy as np  # deferred with scikit-learn: only when a model is trained

        from qualcode.nlp.suggest.features import TextFeatures

        known = {c.id for c in codes}
        self.coded_ = [e for e in excerpts if e.codes & known]
        self.support_ = {c.id: sum(1 for e in self.coded_ if c.id in e.codes) for c in codes}
        self.code_ids_ = [c.id for c in codes if self.support_[c.id]]
        if not self.coded_:
            return self
        if features is None or features.kind != "chars":
            features = TextFeatures("chars").fit([e.text for e in background] or [e.text for e in self.coded_])
        self.features_ = features
        self.matrix_ = features.transform_cached([e.text for e in self.coded_])
        self.members_ = {cid: np.array([cid in e.codes for e in self.coded_]) for cid in self.code_ids_}
        return self

    @property
    def trained(self) -> bool:
        return bool(getattr(self, "coded_", None))

    def trust(self, code_id: int) -> float:
        n = self.support_.get(code_id, 0) if self.trained else 0
        return n / (n + self.trust_after) if n else 0.0

    def score_many(self, texts: Sequence[str]) -> list[dict[int, Evidence]]:
        import numpy as np

        if not self.trained:
            return [{} for _ in texts]
        sims = (self.features_.transform(texts) @ self.matrix_.T).toarray()
        results = []
        for row in sims:
            evidence = {}
            for cid in self.code_ids_:
                masked = np.where(self.members_[cid], row, -1.0)
                best = np.argsort(-masked)[: self.explain_similar]
                top = float(masked[best[0]])
                if top <= 0:
                    continue
                similar = tuple(self.coded_[i] for i in best if masked[i] > 0.1)
                evidence[cid] = Evidence(score=min(1.0, top / self.scale), similar=similar)
            results.append(evidence)
        return results
