"""Frozen dataclasses and enums for documents, segments, participants, codes, coders, codings, memos."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class DocumentKind(StrEnum):
    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    WORKSHOP = "workshop"
    EVIDENCE_CAFE = "evidence_cafe"
    SURVEY = "survey"
    OTHER = "other"


class SegmentKind(StrEnum):
    TURN = "turn"
    PARAGRAPH = "paragraph"
    ANSWER = "answer"


class Valence(StrEnum):
    BARRIER = "barrier"
    FACILITATOR = "facilitator"
    NONE = "none"


class Provenance(StrEnum):
    MANUAL = "manual"
    SUGGESTION = "suggestion"
    AUTOCODE = "autocode"
    IMPORT = "import"
    CONSENSUS = "consensus"


class MemoTarget(StrEnum):
    PROJECT = "project"
    DOCUMENT = "document"
    CODE = "code"
    CODING = "coding"


@dataclass(frozen=True, slots=True)
class Segment:
    """A speaker turn, paragraph or survey answer: [start, end) in code points of the document text."""

    id: int | None
    document_id: int | None
    index: int
    start: int
    end: int
    kind: SegmentKind = SegmentKind.PARAGRAPH
    speaker: str | None = None
    participant_id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    title: str
    kind: DocumentKind
    text: str
    source_name: str | None = None
    sha256: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    guid: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    """A case: stable label (P07, ID:729), role, free attributes; real names kept for anonymisation."""

    id: int
    label: str
    role: str | None = None
    name: str | None = None
    aliases: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Code:
    id: int
    guid: str
    name: str
    path: str
    parent_id: int | None = None
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    colour: str | None = None
    valence: Valence = Valence.NONE
    position: int = 0


@dataclass(frozen=True, slots=True)
class Coder:
    id: int
    name: str
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Coding:
    """One code applied by one coder to [start, end) of a document, with its provenance."""

    id: int
    document_id: int
    start: int
    end: int
    code_id: int
    coder_id: int
    created: datetime
    provenance: Provenance = Provenance.MANUAL
    codebook_version: int = 1
    memo: str | None = None
    candidate_quote: bool = False
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    target: MemoTarget
    target_id: int | None
    text: str
    coder_id: int | None = None
    title: str | None = None
    created: datetime | None = None
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One line of a document listing: counts, not text."""

    id: int
    title: str
    kind: str
    words: int
    segments: int
    participants: tuple[str, ...]
    codings: int
