"""Turning a quote's original text and its redactions into the masked text, and back again."""

from __future__ import annotations

from typing import Sequence

from qualcode.anonymise import Anonymiser, PseudonymKey, Span
from qualcode.anonymise.lexicon import sentence_initial

from .model import Redaction
from .trim import ELLIPSIS_END, ELLIPSIS_START


def mask_texts(anonymiser: Anonymiser, texts: Sequence[str], key: PseudonymKey) -> list[list[Redaction]]:
    """Detect and mask every text with one key: one entity, one pseudonym across the bank."""
    out = []
    for result in anonymiser.mask_many(list(texts), key):
        out.append([
            Redaction(s.start, s.end, s.type, s.layer, replacement, "; ".join(s.reasons) or s.reason)
            for s, replacement in zip(result.spans, result.replacements)
        ])
    return out


def render(original: str, redactions: Sequence[Redaction]) -> str:
    """The original with every active redaction replaced (they never overlap)."""
    pieces, cursor = [], 0
    for r in sorted((r for r in redactions if r.active), key=lambda r: r.start):
        pieces += [original[cursor : r.start], r.replacement]
        cursor = r.end
    pieces.append(original[cursor:])
    return "".join(pieces)


def affixes(masked: str) -> tuple[str, str]:
    """The ellipses a trimmed quote carries, kept when the quote is masked again."""
    return (
        ELLIPSIS_START if masked.startswith(ELLIPSIS_START) else "",
        ELLIPSIS_END if masked.endswith(ELLIPSIS_END) else "",
    )


def remask(original: str, redactions: Sequence[Redaction], previous_masked: str) -> str:
    head, tail = affixes(previous_masked)
    return head + render(original, redactions) + tail


def manual_redaction(original: str, start: int, end: int, type_: str, key: PseudonymKey, anonymiser: Anonymiser) -> Redaction:
    """A reviewer's redaction: the pseudonym comes from the bank's key, so it matches other quotes."""
    from .model import MANUAL_LAYER

    surface = original[start:end]
    span = Span(start, end, type_, MANUAL_LAYER, "added by a reviewer")
    replacement = anonymiser.policy.replacement(span, surface, key, None)
    if replacement[:1].islower() and sentence_initial(original, start):
        replacement = replacement[0].upper() + replacement[1:]
    return Redaction(start, end, type_, MANUAL_LAYER, replacement, "added by a reviewer")
