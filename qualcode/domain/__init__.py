"""Domain values shared by every layer: frozen dataclasses and enums, no I/O."""

from qualcode.domain.models import (
    Code,
    Coder,
    Coding,
    Document,
    DocumentKind,
    DocumentSummary,
    Memo,
    MemoTarget,
    Participant,
    Provenance,
    Segment,
    SegmentKind,
    Valence,
)

__all__ = [
    "Code",
    "Coder",
    "Coding",
    "Document",
    "DocumentKind",
    "DocumentSummary",
    "Memo",
    "MemoTarget",
    "Participant",
    "Provenance",
    "Segment",
    "SegmentKind",
    "Valence",
]
