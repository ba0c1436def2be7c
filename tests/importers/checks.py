"""Invariants every importer result must satisfy, shared by the importer tests."""

from __future__ import annotations

from qualcode.importers.base import ParsedImport


def check_spans(result: ParsedImport) -> None:
    """Every importer promises spans inside the text, in order, non-empty and never overlapping."""
    for document in result.documents:
        assert "\r" not in document.text
        previous_end = 0
        for segment in document.segments:
            assert 0 <= segment.start < segment.end <= len(document.text)
            assert segment.start >= previous_end
            previous_end = segment.end
            words = document.text[segment.start : segment.end]
            assert words == words.strip()


def turns_of(result: ParsedImport, index: int = 0) -> list[tuple[str | None, str]]:
    document = result.documents[index]
    return [(s.speaker, document.text[s.start : s.end]) for s in document.segments]
