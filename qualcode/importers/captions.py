"""Caption cues (WebVTT, SRT) -> speaker turns: voice tags or "Name: text" prefixes, one turn per speaker run."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from qualcode.importers.speakers import Turn, format_timestamp, match_speaker_line

_VOICE = re.compile(r"^\s*<v(?:\.[^\s>]+)*\s+([^>]+)>")
# Speakerless captions (auto-subtitles) are cut into paragraphs at a pause or at this length.
PAUSE_MS = 2000
MAX_PARAGRAPH_CHARS = 600


@dataclass(slots=True)
class Cue:
    start: str
    end: str
    text: str  # cue payload, tags still in it


@dataclass(slots=True)
class _Piece:
    speaker: str | None
    words: str
    start: str
    end: str


def strip_tags(line: str) -> str:
    """Remove <...> cue tags in one pass (a regex would be quadratic on lines full of '<')."""
    out: list[str] = []
    position = 0
    while True:
        opening = line.find("<", position)
        if opening < 0:
            out.append(line[position:])
            break
        closing = line.find(">", opening)
        if closing < 0:
            out.append(line[position:])
            break
        out.append(line[position:opening])
        position = closing + 1
    return html.unescape("".join(out))


def milliseconds(stamp: str) -> int:
    main, _, fraction = stamp.strip().replace(",", ".").partition(".")
    parts = [int(p) for p in main.split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds * 1000 + int((fraction + "000")[:3] or 0)


def _pieces(cue: Cue) -> list[_Piece]:
    """Split one cue into speaker pieces; a cue can hold lines of two voices."""
    pieces: list[_Piece] = []
    speaker: str | None = None
    for line in cue.text.split("\n"):
        voice = _VOICE.match(line)
        if voice:
            speaker = " ".join(strip_tags(voice.group(1)).split()) or None
        words = " ".join(strip_tags(line).split())
        if not voice:
            hit = match_speaker_line(words)
            if hit is not None:
                speaker, words = hit.speaker, words[hit.words_start :].strip()
        if not words:
            continue
        if pieces and pieces[-1].speaker == speaker:
            pieces[-1].words += " " + words
        else:
            pieces.append(_Piece(speaker, words, cue.start, cue.end))
    return pieces


def cue_turns(cues: list[Cue]) -> list[Turn]:
    """Merge consecutive cues of one speaker; a cue with no speaker continues the current turn."""
    pieces = [piece for cue in cues for piece in _pieces(cue)]
    if not any(p.speaker for p in pieces):
        return _paragraphs(pieces)
    turns: list[Turn] = []
    for piece in pieces:
        current = turns[-1] if turns else None
        if current is not None and (piece.speaker is None or piece.speaker == current.speaker):
            current.words += " " + piece.words
            current.meta["end_timestamp"] = format_timestamp(piece.end)
        else:
            meta = {"timestamp": format_timestamp(piece.start), "end_timestamp": format_timestamp(piece.end)}
            turns.append(Turn(piece.speaker, piece.words, meta))
    return turns


def _paragraphs(pieces: list[_Piece]) -> list[Turn]:
    turns: list[Turn] = []
    previous_end = None
    for piece in pieces:
        current = turns[-1] if turns else None
        pause = previous_end is not None and milliseconds(piece.start) - previous_end >= PAUSE_MS
        if current is None or pause or len(current.words) >= MAX_PARAGRAPH_CHARS:
            meta = {"timestamp": format_timestamp(piece.start), "end_timestamp": format_timestamp(piece.end)}
            turns.append(Turn(None, piece.words, meta))
        else:
            current.words += " " + piece.words
            current.meta["end_timestamp"] = format_timestamp(piece.end)
        previous_end = milliseconds(piece.end)
    return turns
