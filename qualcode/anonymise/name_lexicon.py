"""The kept name lexicon (given names, surnames, British places) and the detectors that use it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from .lexicon import (
    COMMON_CAPITALISED,
    MONTHS,
    SECTOR_WORDS,
    TITLES,
    WEEKDAYS,
    name_in_context,
    sentence_initial,
)
from .spans import Layer, Span


@cache
def lexicon() -> dict[str, tuple[str, bool]]:
    """name -> (kinds, also_a_word): kinds holds g (given), s (surname), p (place in Great Britain)."""
    text = resources.files("qualcode.anonymise").joinpath("data/names.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, kinds, word = line.split("\t")
            out[name] = (kinds, word == "w")
    return out


@cache
def nicknames() -> dict[str, frozenset[str]]:
    """given name -> its diminutives ('gareth' -> {'gaz', 'gary'}), read from data/nicknames.txt."""
    text = resources.files("qualcode.anonymise").joinpath("data/nicknames.txt").read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            full, _, shorts = line.partition(":")
            out.setdefault(full.strip(), set()).update(shorts.split())
    return {k: frozenset(v) for k, v in out.items()}


# Capitalised words a lexicon holds as names that, in interview and court text, are something else.
_NOT_NAMES = (
    frozenset(
        """god christ jesus lord christmas easter article section protocol chamber court judge
        president government applicant state crown council trust hospice church ward royal general
        nurse sister father doctor mother mum dad nan gran grandad aunt uncle interviewer respondent
        participant thanks sorry okay hello yes no english british irish scottish welsh mp alia inter
        et al per se vice versa bona fide erm um er hmm mm yeah yep aye nah cos okay ok alright innit
        dunno zoom""".split()
    )
    | COMMON_CAPITALISED
    | TITLES
    | MONTHS
    | WEEKDAYS
    | {d + "s" for d in WEEKDAYS}
    | SECTOR_WORDS
)

# Idioms with a name in them that name no one: "didn't know him from Adam", "Bob's your uncle".
IDIOMS = re.compile(
    r"\b(?:from Adam|Bob['’]s your uncle|Jack of all trades|Tom, Dick (?:and|or|&) Harry|Joe Bloggs"
    r"|Heath Robinson|Billy No[- ]Mates|Dear John|Jack the lad|Father Christmas|Mother Nature"
    r"|Peeping Tom|Doubting Thomas|Nosy Parker|Smart Alec|Good Samaritan)\b",
    re.I,
)

_TOKEN = re.compile(r"[^\W\d_][\w’'-]*[^\W\d_]|[^\W\d_]")
_POSSESSIVE = re.compile(r"['’]s?$")


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def find_lexicon_names(text: str) -> Iterator[Span]:
    """Given names and surnames the lexicon knows, in any case when they are not also words.

    A name that is also a word (Rose, Bill, Mark) counts only capitalised and in a name's context;
    a known surname that is a word (Smith, Hall) only beside another name; a lowercase token
    only when it is a given name and no English word ("kath", "priya").
    """
    lex = lexicon()
    found: list[tuple[int, int, str]] = []
    idioms = [m.span() for m in IDIOMS.finditer(text)]
    for m in _TOKEN.finditer(text):
        word = _POSSESSIVE.sub("", m.group())
        start, end = m.start(), m.start() + len(word)
        low = word.casefold()
        entry = lex.get(low)
        if entry is None or low in _NOT_NAMES or len(low) < 2:
            continue
        if any(a <= start and end <= b for a, b in idioms):
            continue
        kinds, is_word = entry
        cap = _is_cap(word)
        person = "g" in kinds or "s" in kinds
        type_ = "PERSON" if person else "TOWN"
        if not cap:
            if word.islower() and not is_word and len(low) >= 3 and ("g" in kinds or "p" in kinds):
                found.append((start, end, "PERSON" if "g" in kinds else "TOWN"))
            continue
        if not is_word:
            found.append((start, end, type_))
        elif (
            "g" in kinds
            and not _heading(text, start)
            and (name_in_context(text, start, end) or _subject_of_a_past(text, start, end, low))
        ):
            found.append((start, end, type_))
    found += _unknown_after_preposition(text, lex)
    yield from _join_full_names(text, sorted(found))


# Name-words that are abstract nouns far more often than names: "Hope was all we had".
_ABSTRACT = (
    frozenset(
        """hope faith grace joy patience charity mercy will destiny felicity constance prudence honor honour
    trust liberty justice unity harmony serenity glory""".split()
    )
    | MONTHS
    | WEEKDAYS
)
_PAST_VERB = re.compile(r"[ \t]+(?:was|had|used|did|would|could|never|always|came|went|got)\b")


def _subject_of_a_past(text: str, start: int, end: int, low: str) -> bool:
    """'Bill was a miner', 'Rose had a stroke': a concrete name-word opening a sentence as its subject."""
    return low not in _ABSTRACT and sentence_initial(text, start) and bool(_PAST_VERB.match(text, end))


_AFTER_PREPOSITION = re.compile(
    r"\b(?:on|about|with|for|after|like|over|by|beside|without|to) (?P<v>[A-Z][a-z]{2,})(?=[.,;!?])"
)


def _unknown_after_preposition(text: str, lex: dict) -> list[tuple[int, int, str]]:
    """'...giving up on Aldous.': a capitalised word no list knows, ending a clause after a preposition."""
    out = []
    for m in _AFTER_PREPOSITION.finditer(text):
        low = m.group("v").casefold()
        if low in lex or low in _NOT_NAMES or sentence_initial(text, m.start("v")):
            continue
        out.append((m.start("v"), m.end("v"), "PERSON"))
    return out


def _heading(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


_NEXT_CAP = re.compile(r"[ \t]+([^\W\d_][\w’'-]*[^\W\d_])")
_INITIALS = re.compile(r"(?:[A-Z]\.[ ]?){1,3}$")


def _join_full_names(text: str, found: list[tuple[int, int, str]]) -> Iterator[Span]:
    """'Nadia' + 'Chaudhry', 'Malcolm' + an unlisted 'Pethick': a person's name runs on."""
    lex = lexicon()
    for start, end, type_ in found:
        if type_ == "PERSON":
            while (nxt := _NEXT_CAP.match(text, end)) and _is_cap(nxt.group(1)):
                low = _POSSESSIVE.sub("", nxt.group(1)).casefold()
                entry = lex.get(low)
                if low in _NOT_NAMES or (entry is not None and entry[1] and "s" not in entry[0]):
                    break
                end = nxt.start(1) + len(_POSSESSIVE.sub("", nxt.group(1)))
        yield Span(start, end, type_, Layer.PATTERN, "name lexicon")


_TITLE_WORDS = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Rev|Revd|Reverend|Canon|Pastor|Imam|Rabbi|Sister|Father"
    r"|Brother|Nurse|Matron|Councillor|Cllr|Sir|Dame|Lady|Lord|Judge|Auntie|Aunty|Uncle|Nana|Grandma|Grandad"
)
_TITLED = re.compile(
    rf"\b(?:{_TITLE_WORDS})\.?[ \t]+(?P<v>(?:[A-Z]\.[ ]?){{0,3}}[^\W\d_][\w’'-]*(?:[ \t]+[^\W\d_][\w’'-]*){{0,3}})"
)
# Lowercase particles inside a surname: "Dr Van der Berg", "Mrs de la Cruz".
_SURNAME_PARTICLES = frozenset("van von der den de du da di del della la le ter ten bin ibn al el dos das".split())


def find_titled_names(text: str) -> Iterator[Span]:
    """A title and the capitalised words after it: 'Sister Brennan', 'Mr C. Whomersley', 'Dr Oyelaran'."""
    pos = 0
    while (m := _TITLED.search(text, pos)) is not None:
        pos = m.start("v")  # the next title may sit inside this match: "Mr Hale and Nurse Akers"
        end = None
        for w in re.finditer(r"\S+", m.group("v")):
            word = w.group()
            bare = _POSSESSIVE.sub("", word).rstrip(".,;:")
            initials = bool(_INITIALS.fullmatch(word))
            if word in _SURNAME_PARTICLES:
                continue  # kept only if a capitalised word follows: the name's end does not move here
            if not initials and not (bare[:1].isupper() and bare.casefold() not in _NOT_NAMES):
                break
            if not initials:
                end = m.start("v") + w.start() + len(bare)
                if word != bare:
                    break  # a possessive or punctuation ends the name
        if end is None:
            continue
        pos = end
        yield Span(m.start("v"), end, "PERSON", Layer.PATTERN, "name after a title")
