"""Cursor motions over a document's text: words, sentences and speaker turns, as pure offset functions."""

from __future__ import annotations

import re
from bisect import bisect_right

from qualcode.domain import Segment

_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*(?=\s)|\n\s*\n")


def next_word(text: str, offset: int) -> int:
    """Start of the word after the one at `offset` (or the last character)."""
    current = _WORD.match(text, offset)
    match = _WORD.search(text, current.end() if current else offset + 1)
    if match is None:
        return max(0, len(text) - 1) if text else 0
    return match.start()


def prev_word(text: str, offset: int) -> int:
    """Start of the word before `offset` (a word start never falls inside another word)."""
    best = 0
    for match in _WORD.finditer(text, max(0, offset - 400), offset):
        if match.start() < offset and (match.start() == 0 or not _WORD.match(text[match.start() - 1])):
            best = match.start()
    return best


def word_end(text: str, offset: int) -> int:
    match = _WORD.match(text, offset)
    return match.end() if match else min(len(text), offset + 1)


def sentence_at(text: str, offset: int, bounds: tuple[int, int] | None = None) -> tuple[int, int]:
    """The sentence around `offset`, trimmed of surrounding spaces, clipped to `bounds` (a turn)."""
    lo, hi = bounds or (0, len(text))
    offset = max(lo, min(offset, hi - 1)) if hi > lo else offset
    start = lo
    for match in _SENTENCE_END.finditer(text, max(lo, offset - 2000), offset):
        if match.end() <= offset:
            start = match.end()
    end_match = _SENTENCE_END.search(text, offset, hi)
    end = end_match.end() if end_match and "\n" not in end_match.group() else (end_match.start() if end_match else hi)
    end = min(end, hi)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else (offset, min(offset + 1, len(text)))


def next_sentence(text: str, offset: int, bounds: tuple[int, int] | None = None) -> int:
    probe = offset
    while probe < len(text) and text[probe].isspace():
        probe += 1
    if probe > offset and probe < len(text) and sentence_at(text, probe)[0] == probe:
        return probe  # the caret sat between two sentences: the next one starts right here
    _, end = sentence_at(text, offset, None)
    probe = end
    while probe < len(text) and not (text[probe].isalnum() or text[probe] in "\"'“‘("):
        probe += 1
    return probe if probe < len(text) else offset


def prev_sentence(text: str, offset: int) -> int:
    start, _ = sentence_at(text, offset)
    if start < offset:
        return start
    probe = start - 1
    while probe > 0 and not text[probe].isalnum():
        probe -= 1
    return sentence_at(text, max(0, probe))[0]


class Turns:
    """Speaker turns (segments) of a document with fast lookup by offset."""

    def __init__(self, segments: list[Segment], text_length: int):
        self.segments = sorted(segments, key=lambda s: s.start)
        self._starts = [s.start for s in self.segments]
        self.text_length = text_length

    def index_at(self, offset: int) -> int | None:
        """The turn holding `offset`; in the gap before a turn (its "Speaker: " label), that turn."""
        if not self.segments:
            return None
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.segments[i].end:
            return i
        return i + 1 if i + 1 < len(self.segments) else i

    def at(self, offset: int) -> Segment | None:
        i = self.index_at(offset)
        return self.segments[i] if i is not None else None

    def bounds(self, offset: int) -> tuple[int, int]:
        seg = self.at(offset)
        if seg is None or seg.end <= seg.start:
            return (0, self.text_length)
        return (seg.start, seg.end)

    def next_start(self, offset: int) -> int:
        i = bisect_right(self._starts, offset)
        return self._starts[i] if i < len(self._starts) else offset

    def prev_start(self, offset: int) -> int:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self._starts[i] < offset:
            return self._starts[i]
        return self._starts[i - 1] if i >= 1 else 0
