"""Names found by the words around them ("Faith runs", "with Rose", "Priya's mum"), roster or not."""

from __future__ import annotations

import re
from collections.abc import Iterator

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
from .name_lexicon import lexicon
from .spans import Layer, Span

# Capitalised words that take a possessive or a speech verb without being anyone's name.
NOT_PEOPLE = frozenset(
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

# Lowercase words a lexicon lists as given names that, in these frames, are ordinary words.
_NOT_LOWER = frozenset(
    """he she it we they you him her me us them who everyone nobody staff mum dad nan gran nurse
    doctor people family said there this that then one all both each many some none most who""".split()
)

_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_AFTER = "|".join(sorted(PERSON_AFTER))
_BEFORE = "|".join(sorted(PERSON_BEFORE - {"and", "by", "see", "named", "called", "dear"}))

_PERSON_NOUNS = (
    "someone|somebody|man|woman|lady|gentleman|guy|girl|boy|chap|volunteer|nurse|doctor|patient|friend"
    "|neighbour|colleague|carer|son|daughter|husband|wife|partner|person|chaplain|manager|lad|bloke"
)

# Kin and friends whose name follows them: "my late husband Stan", "her mate Gaz".
_KIN = (
    "husband|wife|partner|son|daughter|brother|sister|mum|dad|mother|father|nan|gran|grandad|grandson"
    "|granddaughter|auntie|aunt|uncle|cousin|niece|nephew|boyfriend|girlfriend|fiancée|fiance|fiancé|friend"
    "|neighbour|colleague|boss|stepson|stepdaughter|grandma|grandpa|mate|pal"
)

_KIN_TITLES = "Auntie|Aunty|Aunt|Uncle|Nana|Nanna|Nan|Grandma|Grandpa|Grandad|Gran|Cousin"

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
    ("a name stated", re.compile(rf"\b(?:[Nn]ame(?:['’]s| is| was)|[Cc]all(?:ed)? (?:him|her|me)) (?P<v>{_NAME})")),
    (
        "a name stated",
        re.compile(rf"\b(?P<v>{_NAME})(?= (?:is|was|'s) (?:the|her|his|my|our|their) (?:name|nickname)\b)"),
    ),
    ("one of a pair with the speaker", re.compile(rf"\b(?P<v>{_NAME}) and (?:I|me|myself)\b(?! [a-z]+ly\b)")),
    ("one of a pair with the speaker", re.compile(rf"\b(?:[Mm]e|[Mm]yself) and (?P<v>{_NAME})\b")),
    ("speech verb before", re.compile(rf"[,\"”’] (?:said|says|asked|replied|added) (?P<v>{_NAME})\b")),
    (
        "greeting or thanks",
        re.compile(
            rf"\b(?:[Tt]hank you|[Tt]hanks|[Cc]heers|[Hh]iya|[Hh]i|[Hh]ello|[Bb]ye|[Mm]orning|[Nn]ight),?"
            rf" (?P<v>{_NAME})(?=[.,!?])"
        ),
    ),
    ("name before 'who'", re.compile(rf"\b(?P<v>{_NAME}), who\b")),
    (
        "name before a kin word",
        re.compile(
            rf"\b(?P<v>{_NAME})(?= (?:was|is|'s) (?:my|her|his|our|their) (?:late |old )?(?:{_KIN}|carer)\b)"
        ),
    ),
    ("kin title", re.compile(rf"\b(?:{_KIN_TITLES}) (?P<v>{_NAME})\b")),
    ("kin word before", re.compile(rf"\b(?:my|our|her|his|their) (?:late |ex-|ex |old )?(?:{_KIN}) (?P<v>{_NAME})\b")),
]

# Lowercase names the lexicon holds, in a frame only a person fits: "but mo knew", "my husband stan".
_LOW = r"[a-z][a-z'-]+"
_LOWER_RULES = [
    (
        "lowercase subject of a speech or action verb",
        re.compile(
            rf"(?:^|(?<=[.!?;]\s)|\b(?i:but|and|so|then|because|when|until|cos) )"
            rf"(?P<v>{_LOW})(?= (?:{_AFTER})\b)",
            re.MULTILINE,
        ),
    ),
    (
        "lowercase after a kin word",
        re.compile(rf"\b(?:[Mm]y|[Oo]ur|[Hh]er|[Hh]is|[Tt]heir) (?:late |ex-|old )?(?:{_KIN}) (?P<v>{_LOW})\b"),
    ),
    ("lowercase pair with the speaker", re.compile(rf"(?:^|(?<=[.!?]\s))(?P<v>{_LOW})(?= and (?:I|me)\b)", re.MULTILINE)),
    ("lowercase pair with the speaker", re.compile(rf"\b(?:[Mm]e|[Mm]yself) and (?P<v>{_LOW})\b")),
    (
        "lowercase possessive after a preposition",
        re.compile(
            r"(?:^|(?<=[.!?]\s)|\b(?:at|to|from|with|round|for|and|but) )(?P<v>[a-z]{2,})(?=['’]s\b)", re.MULTILINE
        ),
    ),
    ("lowercase after a kin title", re.compile(rf"\b(?i:auntie|aunty|uncle|nana|nanna|grandma|grandpa) (?P<v>{_LOW})\b")),
]


def find_names_in_context(text: str) -> Iterator[Span]:
    for reason, pattern in _RULES:
        for match in pattern.finditer(text):
            start, end = match.span("v")
            words = match.group("v").split()
            head = words[0].casefold()
            if len(words) >= 2 and (head in MONTHS or head in NAME_WORDS):
                pass  # "June Whitlock": a name-word before a surname is a first name
            elif len(words) == 2 and head in NOT_PEOPLE:
                start += len(words[0]) + 1  # "Later Mensah told me": the adverb is no part of it
                words = words[1:]
            lower = words[0].casefold()
            if len(words) == 1 and lower in NOT_PEOPLE:
                if not (lower in MONTHS and name_in_context(text, start, start + len(words[0]))):
                    continue
            yield Span(start, end, "PERSON", Layer.PATTERN, f"name by context: {reason}")
    lex = lexicon()
    for reason, pattern in _LOWER_RULES:
        for match in pattern.finditer(text):
            word = match.group("v")
            entry = lex.get(word.rstrip("'’s") if word.endswith(("'s", "’s")) else word)
            if entry is None or "g" not in entry[0] or word in NOT_PEOPLE or word in _NOT_LOWER:
                continue
            yield Span(match.start("v"), match.end("v"), "PERSON", Layer.PATTERN, f"name by context: {reason}")

