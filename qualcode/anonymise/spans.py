"""Typed spans that detectors report, and merging of overlapping spans across layers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Layer(StrEnum):
    ROSTER = "roster"
    DENYLIST = "denylist"
    PATTERN = "pattern"
    NER = "ner"


# When two overlapping spans are equally long, the more trusted layer names the type.
LAYER_PRIORITY = {Layer.DENYLIST: 0, Layer.ROSTER: 1, Layer.PATTERN: 2, Layer.NER: 3}

# Identifies a person alone; everything else identifies only in combination (quasi).
DIRECT_TYPES = frozenset({"PERSON", "PHONE", "EMAIL", "NHS_NUMBER", "ID_NUMBER", "ADDRESS", "POSTCODE", "URL"})


@dataclass(frozen=True, slots=True)
class Span:
    """[start, end) in code points of the text, with what it is and why it was flagged.

    `entity` names the real-world thing (a roster id or normalised text) so that every
    mention of it gets one pseudonym; `reasons` collects every layer's reason after merging.
    """

    start: int
    end: int
    type: str
    layer: str
    reason: str
    entity: str | None = None
    reasons: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative span [{self.start}, {self.end})")

    @property
    def identifier(self) -> str:
        return "direct" if self.type in DIRECT_TYPES else "quasi"

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "type": self.type, "layer": self.layer}


def merge_spans(spans: list[Span]) -> list[Span]:
    """Join overlapping spans: the longest (then most trusted) names type and entity.

    The merged extent is the union, so a partly overlapping detection never leaves
    characters of an identifier unmasked; the reasons of all layers are kept.
    """
    if not spans:
        return []
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    groups: list[list[Span]] = [[ordered[0]]]
    group_end = ordered[0].end
    for span in ordered[1:]:
        if span.start < group_end:
            groups[-1].append(span)
            group_end = max(group_end, span.end)
        else:
            groups.append([span])
            group_end = span.end
    return [_merge_group(group) for group in groups]


def _merge_group(group: list[Span]) -> Span:
    if len(group) == 1:
        only = group[0]
        return only if only.reasons else replace(only, reasons=(f"{only.layer}: {only.reason}",))
    winner = min(group, key=lambda s: (-(s.end - s.start), LAYER_PRIORITY.get(s.layer, 9)))
    reasons: list[str] = []
    for span in group:
        for reason in span.reasons or (f"{span.layer}: {span.reason}",):
            if reason not in reasons:
                reasons.append(reason)
    entity = winner.entity
    if winner.layer != Layer.ROSTER:
        # A roster identity inside the group keeps pseudonyms consistent for that person.
        roster = [s for s in group if s.layer == Layer.ROSTER and s.type == winner.type]
        if roster and roster[0].end - roster[0].start == winner.end - winner.start:
            entity = roster[0].entity
    return Span(
        start=min(s.start for s in group),
        end=max(s.end for s in group),
        type=winner.type,
        layer=winner.layer,
        reason=winner.reason,
        entity=entity,
        reasons=tuple(reasons),
    )
