"""A capitalised unknown word joined by "and" or "or" to a name found is a name too: "Priyanka and Deepak"."""

from __future__ import annotations

import re

from .name_context import NOT_PEOPLE
from .ordinary import is_ordinary
from .spans import Layer, Span

_CANDIDATE = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_CANDIDATE}) (?:and|or|&) $")
_AFTER = re.compile(rf"^ (?:and|or|&) (?P<name>{_CANDIDATE})(?![\w'’-])")


def _a_name(word: str) -> bool:
    # An ordinary word ("Marks and Spencer", "Fish and Chips") or a kinship or pronoun word names no one.
    return word.casefold() not in NOT_PEOPLE and not is_ordinary(word)


def paired_names(text: str, spans: list[Span]) -> list[Span]:
    """Person spans for partners of person spans already found, each taken once."""
    taken = [(s.start, s.end) for s in spans]
    extra: list[Span] = []
    for span in spans:
        if span.type != "PERSON":
            continue
        before = _BEFORE.search(text, max(0, span.start - 40), span.start)
        after = _AFTER.match(text[span.end : span.end + 40])
        found = []
        if before:
            found.append(before.span("name"))
        if after:
            found.append((span.end + after.start("name"), span.end + after.end("name")))
        for start, end in found:
            if _a_name(text[start:end]) and not any(a < end and start < b for a, b in taken):
                taken.append((start, end))
                extra.append(Span(start, end, "PERSON", Layer.PATTERN, f"name paired with '{text[span.start:span.end]}'"))
    return extra
