"""WebVTT transcripts (Teams, Zoom): voice tags or "Name:" prefixes, consecutive cues of one speaker merged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from qualcode.domain import DocumentKind
from qualcode.errors import ImportRefused
from qualcode.importers.base import ParsedImport, decode_text, line_ending_of, read_bytes
from qualcode.importers.captions import Cue, cue_turns
from qualcode.importers.transcript import no_speaker_warning, transcript_document


def parse(path: Path, *, kind: DocumentKind | str | None = None, encoding: str | None = None, **options: Any) -> ParsedImport:
    path = Path(path)
    raw = read_bytes(path)
    text = decode_text(raw, path.name, encoding)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if not first_line.startswith("WEBVTT"):
        raise ImportRefused(f"{path.name}: not a WebVTT file (the first line must be 'WEBVTT')")
    try:
        captions = webvtt.from_string(text).captions
        cues = [Cue(c.start, c.end, c.raw_text) for c in captions]
    except (MalformedFileError, MalformedCaptionError, ValueError, TypeError) as exc:
        raise ImportRefused(f"{path.name}: not a valid WebVTT file ({exc})") from None
    if not cues:
        raise ImportRefused(f"{path.name}: the WebVTT file has no cues")
    meta = {"line_endings": line_ending_of(raw), "format": "vtt", "cues": len(cues)}
    document = transcript_document(path, raw, cue_turns(cues), kind, meta)
    return ParsedImport([document], warnings=no_speaker_warning(document))
