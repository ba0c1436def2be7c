"""Trimming a coded passage to whole sentences of one speaker turn, within a word limit."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from qualcode.domain import Segment

ELLIPSIS_START = "[…] "
ELLIPSIS_END = " […]"
_WORD = re.compile(r"\S+")
# The fallback: a sentence ends at . ! ? or … followed by space and a capital, quote or digit.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Trimmed:
    """[start, end) in document offsets; whether words were cut at either side of a sentence."""

    start: int
    end: int
    cut_start: bool = False
    cut_end: bool = False

    def finish(self, masked: str) -> str:
        return (ELLIPSIS_START if self.cut_start else "") + masked + (ELLIPSIS_END if self.cut_end else "")


def _regex_sentences(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for boundary in _BOUNDARY.finditer(text):
        spans.append((at, boundary.start()))
        at = boundary.end()
    spans.append((at, len(text)))
    return spans


@lru_cache(maxsize=1)
def _sentencizer():
    """spaCy's rule-based sentencizer (a blank English pipeline); None when spaCy is missing."""
    try:
        from qualcode.nlp.pipeline import load_pipeline
    except ImportError:
        return None
    # Blank + sentencizer on purpose (fast, the same on every machine): its "no model" warning is noise here.
    logger = logging.getLogger("qualcode.nlp.pipeline")
    was = logger.disabled
    logger.disabled = True
    try:
        return load_pipeline(prefer=()).nlp
    except ImportError:
        return None
    finally:
        logger.disabled = was


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, whitespace stripped at both ends, empty ones dropped."""
    nlp = _sentencizer()
    raw = [(s.start_char, s.end_char) for s in nlp(text).sents] if nlp is not None else _regex_sentences(text)
    out = []
    for start, end in raw:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        tail = len(piece.rstrip())
        if tail > lead:
            out.append((start + lead, start + tail))
    return out


def region_for(segments: Sequence[Segment], start: int, end: int) -> tuple[int, int, int | None]:
    """The turn holding most of [start, end) (quotes never cross speakers) and its participant."""
    best, best_overlap = None, 0
    for segment in segments:
        overlap = min(end, segment.end) - max(start, segment.start)
        if overlap > best_overlap:
            best, best_overlap = segment, overlap
    if best is None:
        return start, end, None
    return best.start, best.end, best.participant_id


def trim(text: str, region: tuple[int, int], coded: tuple[int, int], max_words: int) -> Trimmed | None:
    """The whole sentences of `region` that the coding mostly covers, cut to `max_words`."""
    r_start, r_end = region
    c_start, c_end = max(coded[0], r_start), min(coded[1], r_end)
    if c_end <= c_start or max_words < 1:
        return None
    spans = [(r_start + a, r_start + b) for a, b in sentences(text[r_start:r_end])]
    overlaps = [(min(c_end, b) - max(c_start, a), (a, b)) for a, b in spans]
    chosen = [span for overlap, span in overlaps if overlap > 0 and overlap * 2 >= span[1] - span[0]]
    if not chosen:
        overlap, span = max(overlaps, default=(0, None))
        if not overlap:
            return None
        chosen = [span]
    return _within_words(text, chosen, c_start, max_words)


def _within_words(text: str, chosen: list[tuple[int, int]], c_start: int, max_words: int) -> Trimmed:
    start, end, words = chosen[0][0], chosen[0][0], 0
    for a, b in chosen:
        n = len(_WORD.findall(text[a:b]))
        if words + n > max_words:
            break
        end, words = b, words + n
    if words:
        return Trimmed(start, end)
    # One sentence longer than the limit: a window of words from where the coding starts.
    a, b = chosen[0]
    found = list(_WORD.finditer(text, a, b))
    first = next((i for i, m in enumerate(found) if m.end() > c_start), 0)
    first = max(0, min(first, len(found) - max_words))
    window = found[first : first + max_words]
    return Trimmed(window[0].start(), window[-1].end(), cut_start=first > 0, cut_end=first + max_words < len(found))
