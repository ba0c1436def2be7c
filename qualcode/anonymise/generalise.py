"""Generalisations of quasi identifiers: a date to its year, a year to its decade, an age to its band."""

from __future__ import annotations

import re

_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TEENS = {
    w: i
    for i, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(),
        10,
    )
}
_TENS = {w: i * 10 for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_BANDS = {
    2: "twenties",
    3: "thirties",
    4: "forties",
    5: "fifties",
    6: "sixties",
    7: "seventies",
    8: "eighties",
    9: "nineties",
}
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")


def number_value(text: str) -> int | None:
    """'58' -> 58, 'eighty-seven' -> 87, 'seventy-odd' -> 70, 'a hundred and two' -> 102."""
    digits = re.search(r"\d{1,3}", text)
    if digits:
        return int(digits.group())
    words = re.findall(r"[a-z]+", text.casefold())
    total, seen = 0, False
    for word in words:
        if word in _TENS:
            total += _TENS[word]
        elif word in _TEENS:
            total += _TEENS[word]
        elif word in _UNITS:
            total += _UNITS[word]
        elif word == "hundred":
            total = (total or 1) * 100
        else:
            continue
        seen = True
    return total if seen else None


def age_band(surface: str, before: str = "") -> str | None:
    """'eighty-seven' after 'he was' -> 'in his eighties'; None when there is no number to band."""
    if re.search(r"ties\b", surface):
        return surface  # "in her eighties" is a band already
    value = number_value(surface)
    if value is None:
        return None
    if value < 18:
        return "a child" if value < 13 else "a teenager"
    if value >= 100:
        return "over a hundred"
    pronoun = _pronoun(before)
    return f"in {pronoun} {_BANDS[value // 10]}" if value >= 20 else "in their late teens"


def _pronoun(before: str) -> str:
    words = re.findall(r"[A-Za-z’']+", before)[-2:]
    joined = " ".join(words).casefold()
    if re.search(r"\bi(?:['’]m| am| was)?$", joined) or joined.endswith("i'm"):
        return "my"
    if re.search(r"\bhe(?:['’]s| is| was)?$", joined):
        return "his"
    if re.search(r"\bshe(?:['’]s| is| was)?$", joined):
        return "her"
    return "their"


def date_general(surface: str) -> str | None:
    """'April 2022' -> '2022'; '1938' -> 'the 1930s'; None when no year is given."""
    match = _YEAR.search(surface)
    if match is None:
        return None
    year = match.group(1)
    if surface.strip() == year:
        return f"the {year[:3]}0s"
    return year
