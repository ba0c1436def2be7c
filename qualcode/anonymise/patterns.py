"""The pattern layer: contact details, NHS numbers, dates, ages, addresses and named places by shape."""

from __future__ import annotations

import re
from typing import Callable, Iterator

from .lexicon import MONTHS, TITLES, WEEKDAYS
from .spans import Layer, Span

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_CAP = r"[A-Z][a-z]+(?:['’]s)?"  # one capitalised word, possessive allowed: "Aidan's"
_CAPS = rf"{_CAP}(?:[ -]{_CAP}){{0,2}}"
_STREET = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Court|Place|Grove"
    r"|Gardens|Terrace|Walk|Row|Square|Mews|Rise|View|Parade|Hill|Green)"
)

# Capitalised words that start many phrases but never a place or ward name.
_NOT_A_NAME = frozenset(
    """the a an my our their his her its your this that these those each every one some any all
    no another which what when where there here i we they you he she it medical surgical acute
    general maternity children elderly geriatric respiratory stroke cardiac oncology palliative
    community hospital local main same other new old covid english british national regional
    primary secondary first last next dementia care end life christmas easter home work church
    school university college court christmas easter clinical services service patient patients
    nursing quality operations strategy director head lead on in at to from with for by and of as""".split()
) | MONTHS | WEEKDAYS | TITLES


def nhs_number_valid(digits: str) -> bool:
    """Modulus 11 check of a 10-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _phone_ok(match: re.Match) -> bool:
    digits = re.sub(r"\D", "", match.group())
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0")
    return digits.startswith("0") and len(digits) in (10, 11) and digits[1] in "123789"


def _nhs_ok(match: re.Match) -> bool:
    return nhs_number_valid(re.sub(r"\D", "", match.group()))


def _generic_head(match: re.Match) -> bool:
    """Reject "The Hospice", "Medical Ward": the words before the keyword must name something."""
    words = re.findall(r"[A-Za-z]+", match.group("name"))
    return any(w.casefold() not in _NOT_A_NAME for w in words)


_Rule = tuple[str, str, re.Pattern, Callable[[re.Match], bool] | None, str | int]

_RULES: list[_Rule] = [
    ("EMAIL", "email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), None, 0),
    ("URL", "web address", re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]", re.I), None, 0),
    ("NHS_NUMBER", "NHS number (modulus 11)", re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])"), _nhs_ok, 0),
    (
        # A number its speaker calls an NHS or hospital number is one, checksum or not (misread, misheard).
        "NHS_NUMBER",
        "number named as an NHS or hospital number",
        re.compile(
            r"(?i:\b(?:NHS|hospital|patient|case|record|unit) (?:no\.?|number)|\bMRN)(?: is| was|:)? "
            r"(?P<v>(?:[A-Z]{1,4} ?)?\d(?:[ -]?\d){5,11})(?!\d)"
        ),
        None,
        "v",
    ),
    (
        "PHONE",
        "UK phone number",
        re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|\(?0)\d{2,4}\)?(?:[ -]?\d){6,8}(?!\d)"),
        _phone_ok,
        0,
    ),
    (
        "POSTCODE",
        "UK postcode",
        re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b"),
        None,
        0,
    ),
    (
        "DATE",
        "exact date",
        re.compile(
            rf"\b(?:(?:the )?{_DAY}(?: of)? {_MONTH}\.?(?:,? \d{{4}})?"
            rf"|{_MONTH}\.? {_DAY}(?:,? \d{{4}})?"
            r"|(?:[12]\d|3[01]|0?[1-9])[/.-](?:1[0-2]|0?[1-9])[/.-](?:\d{4}|\d{2}))\b"
        ),
        None,
        0,
    ),
    ("DATE", "year of birth", re.compile(r"\bborn (?:in |on )?(?P<v>(?:19|20)\d{2})\b"), None, "v"),
    (
        "AGE",
        "age",
        re.compile(
            r"\b\d{1,3}[- ]years?[- ]old\b|\b\d{1,3}-year-old\b"
            r"|\b(?:I'm|I’m|I am|aged|age|she's|he's|she is|he is|who's|who is) (?P<v>\d{1,3})\b"
            r"(?! ?(?:%|per|percent|years? ago|minutes?|hours?|days?|weeks?|months?|miles?|km"
            r"|people|of|patients|beds|staff|times))"
            r"|\b(?P<w>\d{1,3}) years? of age\b"
            r"|\b(?:I was|is|was) (?P<x>[1-9]\d)(?=,| and | when | at the time|\.)"
        ),
        None,
        "v|w|x",
    ),
    (
        "ADDRESS",
        "street address",
        re.compile(
            rf"\b\d{{1,4}}[A-Za-z]?,? (?:{_CAP} ){{1,3}}{_STREET}\b"
            rf"|\b(?:{_CAP} ){{1,2}}(?:Road|Street|Lane|Avenue|Close|Crescent|Terrace|Grove|Gardens|Drive)\b"
        ),
        lambda m: _generic_head_words(m.group()),
        0,
    ),
    ("WARD", "ward name", re.compile(rf"\b(?P<name>{_CAPS}) [Ww]ard\b"), _generic_head, 0),
    ("WARD", "numbered ward", re.compile(r"\bWard \d{1,2}[A-Z]?\b"), None, 0),
    (
        "HOSPICE",
        "hospice name",
        re.compile(rf"\b(?P<name>{_CAPS}) Hospice(?: Care| Trust)?\b"),
        _generic_head,
        0,
    ),
    ("HOSPICE", "saint's hospice", re.compile(rf"\b(?:St\.|Saint) {_CAP}(?: {_CAP})? Hospice\b"), None, 0),
    (
        "ORG",
        "trust, board or network name",
        re.compile(
            rf"\b(?P<name>(?:{_CAP} )(?:(?:and|&) )?(?:{_CAP} ){{0,3}})"
            r"(?:NHS (?:Foundation )?Trust|Integrated Care Board|ICB|CCG|Primary Care Network|PCN"
            r"|(?:Borough |County |City |District |Parish |Town )?Council|Community Trust|Foundation Trust"
            r"|Health Centre|Medical Centre|Surgery|Practice|Care Home|Nursing Home|Mosque|Synagogue|Gurdwara|Temple"
            r"|District Court|Regional Court|County Court|Crown Court|Magistrates'? Court|Prison|Police)\b"
        ),
        _generic_head,
        0,
    ),
    (
        "PERSON",
        "name after a title",
        re.compile(
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Revd?|Reverend|Sister|Father|Councillor|Cllr)\.? "
            r"(?P<v>[A-Z][a-z]+(?:[- '’][A-Z][a-z]+)?)"
        ),
        None,
        "v",
    ),
    (
        "TOWN",
        "capitalised place after in/from/at",
        re.compile(
            rf"\b(?:in|from|at|near|outside|around|to) "
            rf"(?P<v>{_CAP}(?:[ -](?:upon|on|under|in|le|by|-)?[ -]?{_CAP})?)"
        ),
        lambda m: _place_words_ok(m.group("v")),
        "v",
    ),
]


_PLACE_JOINERS = frozenset({"upon", "on", "under", "in", "le", "by"})


def _place_words_ok(words: str) -> bool:
    """'Kings Moreton', 'Stoke on Trent' pass; 'Christmas', 'June' or 'Christmas in June' do not."""
    parts = [w for w in re.split(r"[ -]+", re.sub(r"['’]s$", "", words)) if w]
    if parts and parts[0] in ("St", "Saint"):
        return False  # "St Gemma's" is a hospice or church: the venue rule types it
    return all(p.casefold() not in _NOT_A_NAME for p in parts if p not in _PLACE_JOINERS)


def _generic_head_words(words: str) -> bool:
    return any(w.casefold() not in _NOT_A_NAME for w in re.findall(r"[A-Za-z]+", words))


def find_patterns(text: str) -> Iterator[Span]:
    """Every pattern hit; the group a rule names (e.g. the number of "aged 58") is the span."""
    for type_, reason, pattern, check, group in _RULES:
        for match in pattern.finditer(text):
            if check is not None and not check(match):
                continue
            start, end = _group_extent(match, group)
            if type_ in _TRIMMED:
                start = _skip_generic_words(text, start, end)
            if _possessive_tail(text, start, end) and type_ in ("TOWN", "PERSON", "WARD", "ORG"):
                end -= 2  # "Harrowby's": the name ends before the possessive, as the roster's does
            if start < end:
                yield Span(start, end, type_, Layer.PATTERN, reason)


_TRIMMED = frozenset({"WARD", "HOSPICE", "ORG", "ADDRESS"})
_LEADING_WORD = re.compile(r"([A-Za-z]+)[ -]+")


def _skip_generic_words(text: str, start: int, end: int) -> int:
    """'On Larch Ward' -> 'Larch Ward': a sentence's first word is not part of the name."""
    while (m := _LEADING_WORD.match(text, start, end)) and m.group(1).casefold() in _NOT_A_NAME:
        start = m.end()
    return start


def _possessive_tail(text: str, start: int, end: int) -> bool:
    """A trailing 's that is not part of a saint's name ("St Aidan's" keeps it)."""
    return text[end - 2 : end] in ("'s", "’s") and not re.match(r"(?:St\.?|Saint) ", text[start:end])


def _group_extent(match: re.Match, group: str | int) -> tuple[int, int]:
    if isinstance(group, int):
        return match.span(group)
    for name in group.split("|"):
        if match.group(name) is not None:
            return match.span(name)
    return match.span()
