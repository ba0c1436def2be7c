"""Store-test fixtures: a parsed transcript built without going through a file importer."""

from __future__ import annotations

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedSegment


def _parsed_transcript(title: str, turns: list[tuple[str, str]], kind=DocumentKind.INTERVIEW, sha: str | None = None):
    """Turns as (speaker, words); the text keeps "Speaker: " outside each span."""
    parts, segments, at = [], [], 0
    for speaker, words in turns:
        prefix = f"{speaker}: "
        start = at + len(prefix)
        parts.append(prefix + words)
        segments.append(ParsedSegment(start, start + len(words), SegmentKind.TURN, speaker))
        at += len(prefix) + len(words) + 2
    text = "\n\n".join(parts)
    return ParsedDocument(title=title, kind=kind, text=text, segments=segments, source_name=f"{title}.txt", sha256=sha or title)


import pytest  # noqa: E402


@pytest.fixture
def parsed_transcript():
    return _parsed_transcript
