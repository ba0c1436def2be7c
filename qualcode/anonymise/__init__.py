"""Anonymisation for quote banks: roster, NER and pattern detectors, consistent pseudonyms."""

from .anonymiser import Anonymiser, MaskResult, final_scan
from .lexicon import DEFAULT_ALLOWLIST
from .pseudonyms import Policy, PseudonymKey
from .roster import Roster, RosterEntry
from .spans import Layer, Span, merge_spans

__all__ = [
    "DEFAULT_ALLOWLIST",
    "Anonymiser",
    "Layer",
    "MaskResult",
    "Policy",
    "PseudonymKey",
    "Roster",
    "RosterEntry",
    "Span",
    "final_scan",
    "merge_spans",
]
