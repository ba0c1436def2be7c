"""The ranker: combines registered components into one confidence per code, explained, with dismissals learned."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import replace
from typing import Any

from qualcode.nlp.suggest import registry
from qualcode.nlp.suggest.protocol import CodeProfile, Component, Evidence, Excerpt, Suggestion, as_excerpt, text_of

# Weights measured on the labelled fixture and the demo project (docs/suggestions.md).
# The v2 ranker learns its own weights once a project has enough codings; these weights serve until then.
DEFAULT_CONFIG: dict[str, Any] = {
    "ranker": "qualcode.ranker.v2",
    "components": {
        "keywords": {"factory": "qualcode.keywords.v1", "weight": 0.35},
        "definitions": {"factory": "qualcode.definitions.v1", "weight": 0.65, "vectors": 0.2},
        "neighbours": {"factory": "qualcode.neighbours.v1", "weight": 1.0},
        "learned": {"factory": "qualcode.learned.v2", "weight": 1.0},
        "families": {"factory": "qualcode.families.v1", "weight": 1.0},
    },
}
LEARNS_FROM_CODINGS = ("learned", "neighbours", "families")  # refitted on every retrain; the others depend on the codebook only
DISMISSED_SIMILARITY = 0.6  # texts at least this alike (token-set ratio) share a dismissal


@registry.register("qualcode.ranker.v1")
def make_ranker(components, codes, dismissed=(), min_confidence: float = 0.0):
    return Ranker(components, codes, dismissed=dismissed, min_confidence=min_confidence)


class Ranker:
    """A Suggester: weighted mean of the components that have an opinion, minus what was dismissed."""

    def __init__(
        self,
        components: Mapping[str, tuple[Component, float]],
        codes: Sequence[CodeProfile],
        dismissed: Sequence[tuple[str, int]] = (),
        min_confidence: float = 0.0,
    ):
        self.components = dict(components)
        self.codes = {c.id: c for c in codes}
        self.min_confidence = min_confidence
        self.dismissed = defaultdict(list)
        for text, code_id in dismissed:
            self.dismissed[code_id].append(" ".join(text.lower().split()))

    def active_weights(self) -> dict[str, float]:
        """Components taking part: an untrained learned model sits out rather than voting zero."""
        return {
            name: weight
            for name, (component, weight) in self.components.items()
            if weight > 0 and getattr(component, "trained", True)
        }

    def suggest(self, text: str | Excerpt, top_k: int = 5) -> list[Suggestion]:
        return self.suggest_many([text], top_k)[0]

    def suggest_many(self, items: Sequence[str | Excerpt], top_k: int = 5, explain: bool = True) -> list[list[Suggestion]]:
        """Ranked suggestions per text; `explain=False` skips the reasons (evaluation needs only the ranks).

        An item may be an Excerpt that knows its surroundings, for the components that read them.
        """
        weights = self.active_weights()
        opinions = {name: component_scores(self.components[name][0], items) for name in weights}
        texts = [text_of(item) for item in items]
        ranked = []
        for row, text in enumerate(texts):
            per_code: dict[int, dict[str, Evidence]] = defaultdict(dict)
            for name in weights:
                for code_id, evidence in opinions[name][row].items():
                    per_code[code_id][name] = evidence
            suggestions = self._rank_row(text, per_code, weights)
            # Every code is ranked, so `top_k` always gets top_k answers: a low confidence is shown as such
            # (a display choice), never cut. min_confidence (default 0) is kept for configurations that name it.
            present = {s.code_id for s in suggestions}
            suggestions = [s for s in suggestions if s.confidence >= self.min_confidence]
            suggestions += [Suggestion(cid, code.path, 0.0) for cid, code in self.codes.items() if cid not in present]
            suggestions.sort(key=lambda s: (-s.confidence, s.code_path))
            shown = suggestions[:top_k] if top_k else suggestions
            if explain:
                shown = [self._explained(text, s, per_code[s.code_id], weights) for s in shown]
            ranked.append(shown)
        return ranked

    def _rank_row(self, text: str, per_code: dict[int, dict[str, Evidence]], weights) -> list[Suggestion]:
        """One suggestion per code some component has an opinion of, unsorted."""
        suggestions = [self._combine(text, code_id, ev, weights) for code_id, ev in per_code.items()]
        return [s for s in suggestions if s is not None]

    def _explained(self, text: str, suggestion: Suggestion, evidence: dict[str, Evidence], weights) -> Suggestion:
        """Reasons cost more than scores, so they are asked for only for the suggestions that are shown."""
        detailed = dict(evidence)
        for name in weights:
            explain = getattr(self.components[name][0], "explain", None)
            if explain is not None and name in detailed:
                detailed[name] = explain(text, suggestion.code_id, detailed[name])
        learned = detailed.get("learned", Evidence(0))
        neighbours = detailed.get("neighbours", Evidence(0))
        return replace(suggestion, features=learned.features, similar=neighbours.similar or learned.similar)

    def _combine(self, text, code_id, evidence: dict[str, Evidence], weights) -> Suggestion | None:
        code = self.codes.get(code_id)
        if code is None:
            return None
        # Per code: a component that can say how far to trust it for this code (the learned model) says so.
        per_code = {name: w * self._trust(name, code_id) for name, w in weights.items()}
        total = sum(per_code.values()) or 1.0
        confidence = sum(per_code[name] * ev.score for name, ev in evidence.items()) / total
        penalty = self._dismissal_penalty(text, code_id)
        keywords = evidence.get("keywords", Evidence(0)).keywords
        return Suggestion(
            code_id=code_id,
            code_path=code.path,
            confidence=round(confidence * (1.0 - penalty), 4),
            keywords=keywords,
            components={name: round(ev.score, 4) for name, ev in evidence.items()},
            penalised=penalty > 0,
        )

    def _trust(self, name: str, code_id: int) -> float:
        trust = getattr(self.components[name][0], "trust", None)
        return trust(code_id) if trust is not None else 1.0

    def _dismissal_penalty(self, text: str, code_id: int) -> float:
        """0 when never dismissed; up to 0.9 for the very text dismissed for this code."""
        dismissed = self.dismissed.get(code_id)
        if not dismissed:
            return 0.0
        from rapidfuzz import fuzz, process  # C extension, cheap; only when a dismissal exists

        best = process.extractOne(" ".join(text.lower().split()), dismissed, scorer=fuzz.token_set_ratio)
        similarity = best[1] / 100 if best else 0.0
        if similarity < DISMISSED_SIMILARITY:
            return 0.0
        return 0.9 * (similarity - DISMISSED_SIMILARITY) / (1 - DISMISSED_SIMILARITY) if similarity < 1 else 0.9


def assemble(
    codes: Sequence[CodeProfile],
    labelled: Sequence[Excerpt] = (),
    background: Sequence[Excerpt] = (),
    negatives: Sequence[tuple[str, int]] = (),
    config: Mapping[str, Any] | None = None,
    reuse: Ranker | None = None,
    reuse_combiner: bool = True,
    combiner=None,
) -> Ranker:
    """Build and fit every configured component; `reuse` keeps an earlier ranker's codebook-only parts.

    A stacked ranker also fits its combiner here; `reuse_combiner=False` refits it even when `reuse` has
    one for data of about this size (evaluation does, so no fold's combiner has seen its test data);
    `combiner` offers one from elsewhere (the per-user cache), kept on the same terms.
    """
    config = deepcopy(dict(config or DEFAULT_CONFIG))
    components: dict[str, tuple[Component, float]] = {}
    # Parts that learn from codings share the project's fitted TF-IDF (and its row cache), within one
    # assembly and from one retrain to the next, so each text is transformed once per kind.
    shared = _fitted_features(reuse.components.values() if reuse is not None else ())
    for name, spec in config["components"].items():
        spec = dict(spec)
        factory, weight = spec.pop("factory"), float(spec.pop("weight", 1.0))
        if reuse is not None and name not in LEARNS_FROM_CODINGS and name in reuse.components:
            components[name] = (reuse.components[name][0], weight)
            continue
        component = registry.create(factory, **spec)
        if name == "learned":
            earlier = reuse.components[name][0] if reuse is not None and name in reuse.components else None
            component.fit(codes, labelled, negatives=negatives, background=background, features=shared.get("words"),
                          char_features=shared.get("chars"), vectors=shared.get("vectors"),
                          earlier=earlier if hasattr(component, "settings") else None)
        elif name == "neighbours":
            component.fit(codes, labelled, background=background, features=shared.get("chars"))
        elif name == "families":
            component.fit(codes, labelled, background=background, features=shared.get("words"))
        elif name == "definitions":
            component.fit(codes, list(background) or list(labelled))
        else:
            component.fit(codes, labelled)
        components[name] = (component, weight)
        shared.update(_fitted_features([(component, weight)]))
    ranker = registry.create(config.get("ranker", "qualcode.ranker.v1"), components=components, codes=codes, dismissed=negatives)
    fit_combiner = getattr(ranker, "fit_combiner", None)
    if fit_combiner is not None:
        fit_combiner(labelled, background, negatives, config, reuse=reuse if reuse_combiner else None,
                     earlier=combiner if reuse_combiner else None)
    return ranker


def component_scores(component: Component, items: Sequence[str | Excerpt]) -> list[dict[int, Evidence]]:
    """A component's opinions of `items`: whole excerpts to those that read surroundings, texts to the rest."""
    score_excerpts = getattr(component, "score_excerpts", None)
    if score_excerpts is not None:
        return score_excerpts([as_excerpt(item) for item in items])
    return component.score_many([text_of(item) for item in items])


def _fitted_features(components) -> dict:
    """kind ("words", "chars", "vectors") -> fitted features found on the given components."""
    found = {}
    for component, _ in components:
        for attribute in ("features_", "char_features_", "vectors_"):
            features = getattr(component, attribute, None)
            kind = getattr(features, "kind", None)
            if kind is not None and kind not in found:
                found[kind] = features
    return found
