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
        self.matrix_t_ = self.matrix_.T.tocsr()  # transposed once: a product with .T converts on every call
        self.members_ = {cid: np.array([cid in e.codes for e in self.coded_]) for cid in self.code_ids_}
        self.membership_ = np.column_stack([self.members_[cid] for cid in self.code_ids_]) if self.code_ids_ else None
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
        sims = (self.features_.transform(texts) @ self.matrix_t_).toarray()
        results = []
        for row in sims:
            # Best similarity per code in one step: excerpts outside a code count as -1 for it.
            best = np.where(self.membership_, row[:, None], -1.0).max(axis=0)
            results.append({cid: Evidence(min(1.0, float(b) / self.scale)) for cid, b in zip(self.code_ids_, best) if b > 0})
        return results

    def explain(self, text: str, code_id: int, evidence: Evidence) -> Evidence:
        """The coded excerpts this text is closest to, for this code."""
        import numpy as np

        if not self.trained or code_id not in self.members_:
            return evidence
        row = (self.features_.transform_one(text) @ self.matrix_t_).toarray()[0]
        masked = np.where(self.members_[code_id], row, -1.0)
        order = np.argsort(-masked)[: self.explain_similar]
        similar = tuple(self.coded_[i] for i in order if masked[i] > 0.1)
        return Evidence(evidence.score, evidence.keywords, evidence.features, similar)
