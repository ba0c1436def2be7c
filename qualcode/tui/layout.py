"""Line layout of a document for one width: word-wrapped lines as [start, end) offsets, computed once per width."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_CHUNK = re.compile(r"\S+[^\S\n]*|[^\S\n]+")


@dataclass(frozen=True, slots=True)
class Layout:
    """Visual lines of a text at a width; `starts[i]`/`ends[i]` are the code-point span of line i."""

    width: int
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The line holding `offset` (the last line for the end of the text)."""
        return max(0, bisect_right(self.starts, offset) - 1)


def wrap(text: str, width: int) -> Layout:
    """Greedy word wrap that keeps every character on exactly one line (so offsets map both ways).

    Trailing spaces stay on the line they end; a word longer than the width is split.
    """
    width = max(4, width)
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for paragraph in text.split("\n"):
        p_end = at + len(paragraph)
        line_start = at
        col = 0
        for match in _CHUNK.finditer(paragraph):
            chunk_start = at + match.start()
            word = match.group().rstrip()
            if col and col + len(word) > width:
                starts.append(line_start)
                ends.append(chunk_start)
                line_start, col = chunk_start, 0
            while len(word) > width:
                starts.append(line_start)
                ends.append(line_start + width)
                line_start += width
                word = word[width:]
                chunk_start = line_start
            col += (at + match.end()) - chunk_start
        starts.append(line_start)
        ends.append(p_end)
        at = p_end + 1  # the newline belongs to no visual line
    return Layout(width, starts, ends)
