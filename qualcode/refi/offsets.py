"""Text offsets between counting schemes: UTF-16 code units or code points, CRLF or LF text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")
_LINE_PREFIX = re.compile(r"^line:\d+ ?")  # qualcode's names start with the qc-style line number


class OffsetMap:
    """Maps offsets counted on a source text (as a vendor wrote it) to code points of its LF form.

    `utf16`: offsets count UTF-16 code units (NVivo), so a character outside the BMP counts 2.
    `crlf_as_one`: the tool counted a CRLF pair as one character.
    CRLF pairs and lone CRs become one LF; an offset between CR and LF lands on the LF.
    """

    def __init__(self, raw_text: str, *, utf16: bool, crlf_as_one: bool = False):
        if crlf_as_one:
            raw_text = raw_text.replace("\r\n", "\n")
        self.raw_text = raw_text
        self.utf16 = utf16
        self.text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
        # Code-point indexes of characters that take two UTF-16 units, and of CRs dropped from CRLF.
        self._astral = [m.start() for m in _ASTRAL.finditer(raw_text)] if utf16 else []
        self._astral_u16 = [p + k for k, p in enumerate(self._astral)]
        self._dropped_cr = [m.start() for m in _CRLF.finditer(raw_text)]
        self.raw_length = len(raw_text) + len(self._astral)

    def to_text(self, offset: int) -> int:
        """An offset on the raw text (in the map's unit) -> a code-point offset on self.text."""
        offset = max(0, min(offset, self.raw_length))
        cp = offset
        if self._astral_u16:
            # Surrogate pairs that end at or before the offset each shrink it by one.
            passed = bisect_right(self._astral_u16, offset - 2)
            cp = offset - passed
            inside = bisect_left(self._astral_u16, offset - 1)
            if inside < len(self._astral_u16) and self._astral_u16[inside] == offset - 1:
                cp = self._astral[inside]  # offset splits a surrogate pair: snap to its start
        return cp - bisect_left(self._dropped_cr, cp)

    def span(self, start: int, end: int) -> tuple[int, int]:
        a, b = self.to_text(start), self.to_text(end)
        return (a, b) if a <= b else (b, a)


def utf16_offset(text: str, cp: int) -> int:
    """A code-point offset -> UTF-16 code units (for tests and for tools that want NVivo counting)."""
    return cp + sum(1 for ch in text[:cp] if ord(ch) > 0xFFFF)


def on_word_boundary(text: str, start: int, end: int) -> bool:
    """True when neither end of [start, end) cuts through a word."""

    def clean(i: int) -> bool:
        return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())

    return clean(start) and clean(end)


@dataclass(frozen=True, slots=True)
class Counting:
    utf16: bool = False
    crlf_as_one: bool = False

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        return unit + (", CRLF as one" if self.crlf_as_one else "")


SPEC = Counting()
NVIVO = Counting(utf16=True)


def boundary_score(raw_text: str, spans: Iterable[tuple[int, int]], counting: Counting,
                   names: Sequence[str] = ()) -> int:
    """How well spans fit when counted the given way: one point per span on word boundaries, two
    more when the span starts with the selection's own `name` (many tools store the coded text),
    three when it is exactly that text."""
    mapping = OffsetMap(raw_text, utf16=counting.utf16, crlf_as_one=counting.crlf_as_one)
    score = 0
    for i, (a, b) in enumerate(spans):
        start, end = mapping.span(a, b)
        score += on_word_boundary(mapping.text, start, end)
        name = _LINE_PREFIX.sub("", (names[i] if i < len(names) else "").strip())
        covered = mapping.text[start:end].strip()
        if len(name) >= 3 and covered.startswith(name[:50]):
            score += 2 + (covered == name)  # names are often cut short; an exact match counts more
    return score


def detect_counting(origin: str, raw_text: str, spans: list[tuple[int, int]], names: Sequence[str] = ()) -> Counting:
    """How a vendor counted: NVivo says so in `origin` (UTF-16 units, CRLF as two); otherwise the
    counting whose selections best land on word boundaries and on their own names wins, the spec's
    code points on a tie."""
    if "nvivo" in (origin or "").lower():
        return NVIVO
    if (origin or "").startswith("qualcode "):
        return SPEC  # our own exports: code points by construction
    candidates = [SPEC]
    if _ASTRAL.search(raw_text):
        candidates.append(Counting(utf16=True))
    if "\r\n" in raw_text:
        candidates += [Counting(utf16=c.utf16, crlf_as_one=True) for c in list(candidates)]
    if not spans or len(candidates) == 1:
        return SPEC
    scores = [boundary_score(raw_text, spans, c, names) for c in candidates]
    return candidates[scores.index(max(scores))]
