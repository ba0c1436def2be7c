"""Shared assembly of transcript documents: turns -> text and spans, kind guessing, document metadata."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.importers.base import (
    ParsedDocument,
    ParsedSegment,
    sha256_of,
    title_from,
    trimmed_span,
)
from qualcode.importers.speakers import Turn

TURN_SEPARATOR = "\n\n"
_CHUNK_CHARS = 1 << 18  # 256K characters: below glibc's mmap threshold, so chunks recycle heap memory

# Words in a file name that say what kind of session it records ("FG2_commissioners.vtt").
_KIND_WORDS = [
    (DocumentKind.FOCUS_GROUP, re.compile(r"focus|(?:^|[^a-z])fg\d*(?:[^a-z]|$)")),
    (DocumentKind.WORKSHOP, re.compile(r"workshop|(?:^|[^a-z])ws\d+(?:[^a-z]|$)")),
    (DocumentKind.EVIDENCE_CAFE, re.compile(r"caf[eé]")),
]
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def resolve_kind(path: Path, kind: DocumentKind | str | None, default: DocumentKind = DocumentKind.INTERVIEW) -> DocumentKind:
    """The kind the caller asked for, else a guess from words in the file name, else the default."""
    if kind:
        try:
            return DocumentKind(str(kind).lower().replace("-", "_").replace(" ", "_"))
        except ValueError:
            known = ", ".join(k.value for k in DocumentKind)
            raise ImportRefused(f"{path.name}: unknown document kind '{kind}' (known: {known})") from None
    name = path.stem.lower()
    for guessed, pattern in _KIND_WORDS:
        if pattern.search(name):
            return guessed
    return default


def date_from_name(path: Path) -> str | None:
    """An ISO date written in the file name ("2024-03-12_P3.txt", "20240312"), if any."""
    match = _DATE_IN_NAME.search(path.stem)
    return "-".join(match.groups()) if match else None


def build_text(turns: Iterable[Turn]) -> tuple[str, list[ParsedSegment]]:
    """Join turns as "Speaker: words" paragraphs; each span covers the words only. Blank turns are skipped.

    Memory: the pieces are joined into chunks of about a megabyte as they come, so a long
    transcript's turns are freed while the text is built instead of all being held until the end.
    """
    chunks: list[str] = []
    parts: list[str] = []
    pending = 0
    segments: list[ParsedSegment] = []
    length = 0
    for turn in turns:
        if not turn.words.strip():
            continue
        if segments:
            parts.append(TURN_SEPARATOR)
            length += len(TURN_SEPARATOR)
        if turn.speaker:
            prefix = f"{turn.speaker}: "
            parts.append(prefix)
            length += len(prefix)
        parts.append(turn.words)
        start, end = trimmed_span_of(turn.words, length)
        length += len(turn.words)
        pending += len(turn.words)
        kind = SegmentKind.TURN if turn.speaker else SegmentKind.PARAGRAPH
        segments.append(ParsedSegment(start, end, kind, turn.speaker, turn.meta))
        if pending > _CHUNK_CHARS:
            chunks.append("".join(parts))
            parts.clear()
            pending = 0
    chunks.append("".join(parts))
    return "".join(chunks), segments


def trimmed_span_of(words: str, offset: int) -> tuple[int, int]:
    start, end = trimmed_span(words, 0, len(words))
    return offset + start, offset + end


def no_speaker_warning(document: ParsedDocument) -> list[str]:
    """Say so when a transcript yielded no speaker turns, since linking and per-speaker reports need them."""
    if document.segments and all(s.speaker is None for s in document.segments):
        return [f"no speaker turns found; imported as {len(document.segments)} paragraphs"]
    return []


def transcript_document(
    path: Path,
    raw: bytes | str,
    turns: Iterable[Turn],
    kind: DocumentKind | str | None,
    meta: dict[str, Any] | None = None,
) -> ParsedDocument:
    """One document from a transcript's turns, refusing a file that yields no words at all.

    `raw` is the file's bytes, or their sha256 when the caller has already let the bytes go.
    """
    text, segments = build_text(turns)
    if not segments:
        raise ImportRefused(f"{path.name}: contains no text to import")
    return ParsedDocument(
        title=title_from(path),
        kind=resolve_kind(path, kind),
        text=text,
        segments=segments,
        source_name=path.name,
        sha256=raw if isinstance(raw, str) else sha256_of(raw),
        date=date_from_name(path),
        meta=dict(meta or {}),
    )
