"""Plain-text and Markdown transcripts: speaker turns from "P3:"-style prefixes, else paragraphs.

Text layout shared by every importer: turns are joined by a blank line, and a turn with a speaker
reads "Speaker: words" so the reader shows who speaks, but its segment span covers the words only
(never the speaker label, never a timestamp; the timestamp lives in segment.meta["timestamp"]).
Speakerless text becomes paragraph segments. Trailing spaces at line ends are dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.domain import DocumentKind
from qualcode.importers.base import (
    ParsedImport,
    decode_text,
    line_ending_of,
    read_bytes,
    sha256_of,
)
from qualcode.importers.speakers import text_turns
from qualcode.importers.transcript import no_speaker_warning, transcript_document


def parse(path: Path, *, kind: DocumentKind | str | None = None, encoding: str | None = None, **options: Any) -> ParsedImport:
    path = Path(path)
    raw = read_bytes(path)
    meta = {"line_endings": line_ending_of(raw), "format": path.suffix.lower().lstrip(".") or "text"}
    if encoding:
        meta["encoding"] = encoding
    digest = sha256_of(raw)
    text = decode_text(raw, path.name, encoding)
    del raw  # memory: from here the file is held once as text, read line by line, and once as it is rebuilt
    turns = text_turns(text)
    del text
    document = transcript_document(path, digest, turns, kind, meta)
    return ParsedImport([document], warnings=no_speaker_warning(document))
