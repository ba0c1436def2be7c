"""Names found by the words around them ("Faith runs", "with Rose", "Priya's mum"), roster or not."""

from __future__ import annotations

import re
from typing import Iterator

from .lexicon import (
    COMMON_CAPITALISED,
    MONTHS,
    NAME_WORDS,
    PERSON_AFTER,
    PERSON_BEFORE,
    TITLES,
    WEEKDAYS,
    name_in_context,
)
from .spans import Layer, Span

# Capitalised words that take a possessive or a speech verb without being anyone's name.
_NOT_PEOPLE = frozenset(
    """everyone everybody nobody someone somebody anyone anybody today tomorrow yesterday god mum dad
    mother father people children men women year week month england britain nhs government it this
    that there he she they we i you who what which one nothing everything something anything
    world country nation council trust hospice team staff family families patient patients the
    a an our my their his her its your and but so then when if because after before while later
    now also eventually finally first next sometimes often actually honestly obviously apparently
    anyway meanwhile afterwards luckily sadly unfortunately well yes no oh perhaps maybe still
    even only just instead however again once recently last earlier soon usually really never
    always nothing none moderator speaker note notes question answer q chair observer researcher
    summary theme topic action actions agenda title date time location present apologies main
    breakout room session transcript recording inaudible crosstalk""".split()
) | MONTHS | WEEKDAYS | TITLES | COMMON_CAPITALISED

_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_AFTER = "|".join(sorted(PERSON_AFTER))
_BEFORE = "|".join(sorted(PERSON_BEFORE - {"and", "by", "see", "named", "called", "dear"}))

_PERSON_NOUNS = (
    "someone|somebody|man|woman|lady|gentleman|guy|girl|boy|chap|volunteer|nurse|doctor|patient|friend"
    "|neighbour|colleague|carer|son|daughter|husband|wife|partner|person|chaplain|manager|lad|bloke"
)

_RULES = [
    ("possessive", re.compile(rf"\b(?P<v>{_NAME})(?=['’]s\b)")),
    ("speech or action verb after", re.compile(rf"\b(?P<v>{_NAME}(?: {_NAME})?)(?= (?:{_AFTER})\b)")),
    ("person word before", re.compile(rf"\b(?:{_BEFORE}) (?P<v>{_NAME}(?: {_NAME})?)")),
    (
        "someone called",
        re.compile(rf"\b(?:{_PERSON_NOUNS}) (?:called|named|by the name of) (?P<v>{_NAME}(?: {_NAME})?)"),
    ),
    ("speaker label", re.compile(rf"^[ \t]*(?P<v>{_NAME}(?: {_NAME}){{0,2}})[ \t]*:", re.MULTILINE)),
    ("WebVTT voice tag", re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<v>[^>\n]{2,60})>")),
    ("one of a pair with the speaker", re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<v>{_NAME}) and I\b", re.MULTILINE)),
    ("name in apposition", re.compile(rf"\b(?P<v>{_NAME} {_NAME}), (?:the|a|an|our|my|their) [a-z]")),
]


def find_names_in_context(text: str) -> Iterator[Span]:
    for reason, pattern in _RULES:
        for match in pattern.finditer(text):
            start, end = match.span("v")
            words = match.group("v").split()
            head = words[0].casefold()
            if len(words) >= 2 and (head in MONTHS or head in NAME_WORDS):
                pass  # "June Whitlock": a name-word before a surname is a first name
            elif len(words) == 2 and head in _NOT_PEOPLE:
                start += len(words[0]) + 1  # "Later Mensah told me": the adverb is no part of it
                words = words[1:]
            lower = words[0].casefold()
            if len(words) == 1 and lower in _NOT_PEOPLE:
                if not (lower in MONTHS and name_in_context(text, start, start + len(words[0]))):
                    continue
            yield Span(start, end, "PERSON", Layer.PATTERN, f"name by context: {reason}")
