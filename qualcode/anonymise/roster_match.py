"""The roster layer: finds listed people, places and organisations, misspelt or not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .lexicon import MONTHS, NAME_WORDS, TITLES, WEEKDAYS, name_in_context
from .name_lexicon import lexicon, nicknames
from .quasi_patterns import TIME_WORDS
from .roster import Roster, RosterEntry
from .spans import Layer, Span

_TOKEN = re.compile(r"\w+")
# Tokens of one multi-word name may be joined by a space, hyphen or apostrophe, nothing longer.
_JOINER = re.compile(r"(?:['’]s)?[\s\-'’]{0,3}")
_AMBIGUOUS = NAME_WORDS | MONTHS | WEEKDAYS
FUZZY_MIN_LENGTH = 5
# Roles every project has several of; a role names someone only when it is specific.
_GENERIC_ROLES = frozenset(
    """nurse gp doctor carer volunteer patient neighbour resident participant staff manager consultant
    chaplain priest porter administrator relative daughter son wife husband""".split()
)


def unique_roles(roster: Roster) -> list[RosterEntry]:
    """Roles held by one person only and specific enough to single them out ('lead nurse for palliative care')."""
    counts: dict[str, int] = {}
    for entry in roster.people:
        if entry.role:
            counts[entry.role.strip().casefold()] = counts.get(entry.role.strip().casefold(), 0) + 1
    return [
        RosterEntry(f"role:{entry.key}", entry.role.strip(), "JOB")
        for entry in roster.people
        if entry.role
        and counts[entry.role.strip().casefold()] == 1
        and len(entry.role.split()) >= 2
        and entry.role.strip().casefold() not in _GENERIC_ROLES
    ]


# Names that are also verbs a subject pronoun takes: "I hope", "we will", "they may", "it rose".
_VERB_NAMES = frozenset("will may hope mark sue rob pat grant rose bill drew chase don jack".split())
_SUBJECT = re.compile(r"(?:^|[^\w’'])(?:i|we|you|they|he|she|it|that|this|there|who|which|what|one)\s+$", re.I)


_TIME_BEFORE = re.compile(rf"(?<![\w-])(?:{TIME_WORDS})$")


def _month_as_time(text: str, start: int, key: str) -> bool:
    """"in June", "since May": a month, masked as a date by its own rule, not as the person June."""
    return key in MONTHS and text[start].isupper() and bool(_TIME_BEFORE.search(text, max(0, start - 20), start))


def _after_subject_pronoun(text: str, start: int) -> bool:
    """A listed name read as a word right after a subject pronoun, where no name stands."""
    return bool(_SUBJECT.search(text, max(0, start - 12), start))


# Initials and name particles: "A." of "A. Rönquist" or "van" of "van Dijk" name no one alone.
_PARTICLES = frozenset("the of and de la le van von der den da di du del al el bin ibn st".split())


def _name_piece(tokens: tuple[str, ...]) -> bool:
    return bool(tokens) and not (
        len(tokens) == 1 and (len(tokens[0]) < 2 or tokens[0] in _PARTICLES or tokens[0] in TITLES)
    )


def _is_word(token: str) -> bool:
    return token in _AMBIGUOUS or lexicon().get(token, ("", False))[1]


@dataclass(frozen=True, slots=True)
class _Form:
    entry: RosterEntry
    tokens: tuple[str, ...]
    ends_with_s: bool = False  # "St Aldric's": the 's belongs to the name
    derived: bool = False  # a diminutive qualcode added ("Gaz" for Gareth), not a form the team listed


def _token_matches(text: str) -> list[tuple[int, int, str]]:
    """Word tokens, casefolded, without the 's' of a possessive ("Aidan's" -> "aidan")."""
    return [
        (m.start(), m.end(), m.group().casefold())
        for m in _TOKEN.finditer(text)
        if not (m.group() in ("s", "S") and text[m.start() - 1 : m.start()] in ("'", "’"))
    ]


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t for _, _, t in _token_matches(text))


class RosterMatcher:
    """Matches roster forms token by token; name-words (Hope, June) only where used as names."""

    def __init__(self, roster: Roster, *, fuzzy: bool = True) -> None:
        self.roster = roster
        self.fuzzy = fuzzy
        self._single: dict[str, list[_Form]] = {}
        self._multi: dict[str, list[_Form]] = {}
        for entry in roster.entries:
            for form in entry.forms:
                self._add(_Form(entry, _tokens(form), form.rstrip().endswith(("'s", "’s"))))
                if entry.type == "PERSON":
                    # "Dawn", "Okafor", "O'Neill", "Lloyd" and "Evans" each name the person alone.
                    for piece in form.split():
                        if _name_piece(_tokens(piece)):
                            self._add(_Form(entry, _tokens(piece)))
                    for token in _tokens(form):
                        if _name_piece((token,)):
                            self._add(_Form(entry, (token,)))
                            for short in nicknames().get(token, ()):
                                self._add(_Form(entry, (short,), derived=True))
        for role_entry in unique_roles(roster):
            self._add(_Form(role_entry, _tokens(role_entry.name)))
        self._single = {k: v for k, v in self._single.items() if k not in TITLES}
        for forms in self._multi.values():
            forms.sort(key=lambda f: -len(f.tokens))
        self._choices = sorted(
            k
            for k, forms in self._single.items()
            if len(k) >= FUZZY_MIN_LENGTH and k not in _AMBIGUOUS and any(not f.derived for f in forms)
        )
        self._fuzzy_cache: dict[str, str | None] = {}

    def _add(self, form: _Form) -> None:
        if not form.tokens:
            return
        table = self._single if len(form.tokens) == 1 else self._multi
        bucket = table.setdefault(form.tokens[0], [])
        same = [f for f in bucket if f.entry.key == form.entry.key and f.tokens == form.tokens]
        if not same:
            bucket.append(form)
        elif same[0].derived and not form.derived:
            bucket[bucket.index(same[0])] = form  # a listed form outranks a diminutive

    def find(self, text: str, *, every_form: bool = False) -> list[Span]:
        """Roster mentions in text; every_form also takes listed forms that read as words ("I hope")."""
        tokens = _token_matches(text)
        self._warm_fuzzy(text, tokens)
        spans: list[Span] = []
        i = 0
        while i < len(tokens):
            matched = self._match_multi(text, tokens, i) or self._match_single(text, tokens[i], every_form)
            if matched is None:
                i += 1
                continue
            span, used = matched
            spans.append(span)
            i += used
        return _join_same_entity(text, spans)

    def _lookup(self, token: str) -> tuple[str, bool]:
        """The roster token this text token stands for, and whether it took a fuzzy match."""
        if token in self._single or token in self._multi:
            return token, False
        fixed = self._fuzzy_cache.get(token)
        return (fixed, True) if fixed else (token, False)

    def _warm_fuzzy(self, text: str, tokens: list[tuple[int, int, str]]) -> None:
        if not self.fuzzy or not self._choices:
            return
        fresh = {
            low
            for start, end, low in tokens
            if len(low) >= FUZZY_MIN_LENGTH
            and text[start].isupper()
            and low not in self._single
            and low not in self._multi
            and low not in self._fuzzy_cache
        }
        for query in fresh:
            # One edit (transpositions count once), same first letter: "Margret", "Okafro".
            best = process.extractOne(query, self._choices, scorer=OSA.distance, score_cutoff=1)
            same_start = best is not None and best[0][0] == query[0] and best[0] not in _AMBIGUOUS
            self._fuzzy_cache[query] = best[0] if same_start else None

    def _match_multi(self, text: str, tokens, i: int):
        first, _ = self._lookup(tokens[i][2])
        for form in self._multi.get(first, ()):
            n = len(form.tokens)
            window = tokens[i : i + n]
            if len(window) < n or not all(
                _JOINER.fullmatch(text[a[1] : b[0]]) for a, b in zip(window, window[1:])
            ):
                continue
            words = tuple(self._lookup(t[2])[0] for t in window)
            if words != form.tokens and not (
                self.fuzzy and OSA.distance(" ".join(t[2] for t in window), " ".join(form.tokens)) <= 1
                and sum(len(t) for t in form.tokens) >= 8
            ):
                continue
            start, end = window[0][0], window[-1][1]
            if window[0][2] in TITLES:
                start = window[1][0]  # "Dr Balogun": the title says nothing about who
            if form.ends_with_s and text[end : end + 2] in ("'s", "’s"):
                end += 2
            return self._span(form.entry, start, end, f"roster {form.entry.type.lower()} '{form.entry.name}'"), n
        return None

    def _match_single(self, text: str, token: tuple[int, int, str], every_form: bool = False):
        start, end, low = token
        key, fuzzy = self._lookup(low)
        forms = self._single.get(key)
        if not forms:
            return None
        word = text[start:end]
        listed = [f for f in forms if not f.derived]
        if not listed:
            # A diminutive the team did not list: a name only where it reads as one.
            if not word[:1].isupper() and (len(word) < 3 or _is_word(key)):
                return None
            if _is_word(key) and not name_in_context(text, start, end):
                return None
        elif every_form and not fuzzy:
            pass  # a listed form, spelt as listed: masked wherever it stands
        elif fuzzy and key in _AMBIGUOUS and not self._accept_name_word(text, start, end, forms):
            return None
        elif key in _VERB_NAMES and _after_subject_pronoun(text, start):
            return None  # "I hope", "we will", "it may": a verb, whoever the roster lists
        elif _month_as_time(text, start, key):
            return None
        forms = listed or forms
        entries = {f.entry.key: f.entry for f in forms}
        entry = forms[0].entry
        if len(entries) > 1:
            # Two roster people share this token: one shared pseudonym, never a wrong guess.
            entry = RosterEntry(f"shared:{key}", word, entry.type)
        how = "misspelt " if fuzzy else ""
        return self._span(entry, start, end, f"{how}roster {entry.type.lower()} '{forms[0].entry.name}'"), 1

    def _accept_name_word(self, text: str, start: int, end: int, forms: list[_Form]) -> bool:
        if forms[0].entry.type != "PERSON":
            return text[start].isupper()
        return name_in_context(text, start, end)

    @staticmethod
    def _span(entry: RosterEntry, start: int, end: int, reason: str) -> Span:
        return Span(start, end, entry.type, Layer.ROSTER, reason, entity=entry.key)


def _join_same_entity(text: str, spans: list[Span]) -> list[Span]:
    """'Margaret' + 'Hale' read as one mention: one pseudonym, not two in a row."""
    joined: list[Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        if last and last.entity == span.entity and text[last.end : span.start].strip() == "":
            joined[-1] = Span(last.start, span.end, last.type, last.layer, last.reason, entity=last.entity)
        else:
            joined.append(span)
    return joined
