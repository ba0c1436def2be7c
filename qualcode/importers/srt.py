"""SubRip (.srt) transcripts: "Name: text" prefixes inside cues, consecutive cues of one speaker merged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pysrt

from qualcode.domain import DocumentKind
from qualcode.errors import ImportRefused
from qualcode.importers.base import ParsedImport, decode_text, line_ending_of, read_bytes
from qualcode.importers.captions import Cue, cue_turns
from qualcode.importers.transcript import no_speaker_warning, transcript_document


def parse(path: Path, *, kind: DocumentKind | str | None = None, encoding: str | None = None, **options: Any) -> ParsedImport:
    path = Path(path)
    raw = read_bytes(path)
    text = decode_text(raw, path.name, encoding)
    if "-->" not in text:
        raise ImportRefused(f"{path.name}: not an SRT file (no 'start --> end' timing lines)")
    try:
        # Malformed items are skipped (pysrt's default), so one glitch does not refuse a long file.
        items = pysrt.from_string(text)
        cues = [Cue(_stamp(item.start), _stamp(item.end), item.text) for item in items]
    except (pysrt.Error, ValueError, TypeError, IndexError, OverflowError) as exc:
        raise ImportRefused(f"{path.name}: not a valid SRT file ({exc})") from None
    if not cues:
        raise ImportRefused(f"{path.name}: no readable subtitle cues")
    meta = {"line_endings": line_ending_of(raw), "format": "srt", "cues": len(cues)}
    document = transcript_document(path, raw, cue_turns(cues), kind, meta)
    return ParsedImport([document], warnings=no_speaker_warning(document))


def _stamp(time: pysrt.SubRipTime) -> str:
    return f"{time.hours:02d}:{time.minutes:02d}:{time.seconds:02d}.{time.milliseconds:03d}"
