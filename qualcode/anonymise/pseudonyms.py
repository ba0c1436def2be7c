"""Consistent typed pseudonyms across a bank, the key that holds them, and the replacement policy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qualcode.errors import InvalidInput

from .generalise import age_band, date_general
from .roster import RosterEntry
from .spans import Span

# Types whose values need no tell-apart label: every phone number reads "[PHONE]".
FIXED_TYPES = frozenset(
    {"PHONE", "EMAIL", "DATE", "AGE", "NHS_NUMBER", "ID_NUMBER", "URL", "POSTCODE", "ADDRESS", "DURATION", "MONEY"}
)
NUMBERED_TYPES = frozenset({"PERSON"})
_FIXED_PSEUDONYMS = frozenset(f"[{t.replace('_', ' ')}]" for t in FIXED_TYPES)

GENERAL_PHRASES = {
    "PERSON": "a person",
    "HOSPICE": "a hospice",
    "WARD": "a ward",
    "TOWN": "a town",
    "PLACE": "a place",
    "ORG": "an organisation",
    "NORP": "a group",
    "DATE": "a date",
    "AGE": "a certain age",
    "ADDRESS": "an address",
    "POSTCODE": "a postcode",
    "PHONE": "a phone number",
    "EMAIL": "an email address",
    "URL": "a web address",
    "NHS_NUMBER": "an NHS number",
    "ID_NUMBER": "a reference number",
    "JOB": "a job title",
    "DURATION": "a while",
    "MONEY": "a sum of money",
}

_POSSESSIVE = re.compile(r"['’]s?$")


def normalise_mention(text: str) -> str:
    """The form two mentions share when they are the same thing: 'the Larch ward' ~ 'Larch Ward'."""
    text = re.sub(r"\s+", " ", text).strip().casefold()
    text = re.sub(r"^the ", "", text)
    return _POSSESSIVE.sub("", text)


def _letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class PseudonymKey:
    """Real entity -> pseudonym for a project. Sensitive: the caller stores it, never exports it.

    Once an entity has a pseudonym it keeps it: an entity new to the key (a roster entry added
    after the model had found the same name) takes the pseudonym of a known entity of the same
    kind that was seen with the same words.
    """

    pseudonyms: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, list[str]] = field(default_factory=dict)

    def pseudonym_for(self, span: Span, surface: str) -> str:
        entity = self._entity_of(span, surface)
        forms = self.mentions.setdefault(entity, [])
        if surface not in forms:
            forms.append(surface)
        if entity not in self.pseudonyms:
            self.pseudonyms[entity] = self._seen_as(entity, span, surface) or self._next(span.type)
        return self.pseudonyms[entity]

    def _seen_as(self, entity: str, span: Span, surface: str) -> str | None:
        """The pseudonym an earlier entity got for these words, when this one is the same thing again."""
        if span.type in FIXED_TYPES:
            return None
        norm = normalise_mention(surface)
        person = span.type == "PERSON"
        for known, forms in self.mentions.items():
            pseudonym = self.pseudonyms.get(known)
            if known == entity or pseudonym is None or pseudonym in _FIXED_PSEUDONYMS:
                continue
            if pseudonym.startswith("[PERSON") != person:
                continue
            if any(normalise_mention(form) == norm for form in forms):
                return pseudonym
        return None

    def _entity_of(self, span: Span, surface: str) -> str:
        if span.entity:
            return span.entity
        norm = normalise_mention(surface)
        if span.type in FIXED_TYPES:
            return f"text:{span.type}:{norm}"
        # Untyped: a detector may call "Little Bexworth" a town once and a person later.
        entity = f"text:{norm}"
        if span.type == "PERSON" and entity not in self.pseudonyms and " " not in norm:
            # "Nowak" after "Tomasz Nowak": the same person when the surname or first name matches.
            for known, pseudonym in self.pseudonyms.items():
                if pseudonym.startswith("[PERSON") and known.startswith("text:") and norm in known[5:].split():
                    return known
        return entity

    def _next(self, type_: str) -> str:
        if type_ in FIXED_TYPES:
            return f"[{type_.replace('_', ' ')}]"
        n = self.counters.get(type_, 0) + 1
        self.counters[type_] = n
        label = str(n) if type_ in NUMBERED_TYPES else _letters(n)
        return f"[{type_} {label}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "pseudonyms": dict(self.pseudonyms),
            "counters": dict(self.counters),
            "mentions": {k: list(v) for k, v in self.mentions.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PseudonymKey:
        if not isinstance(data, dict) or data.get("version") != 1:
            raise InvalidInput("pseudonym key: not a version 1 key")
        try:
            return cls(
                pseudonyms={str(k): str(v) for k, v in data["pseudonyms"].items()},
                counters={str(k): int(v) for k, v in data["counters"].items()},
                mentions={str(k): [str(m) for m in v] for k, v in data.get("mentions", {}).items()},
            )
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise InvalidInput(f"pseudonym key is malformed: {exc}") from exc


# Quasi-identifier types a team may mask, generalise or keep; direct identifiers are always masked.
QUASI_TYPES = frozenset(
    {"DATE", "AGE", "ORG", "HOSPICE", "WARD", "TOWN", "PLACE", "JOB", "DURATION", "MONEY", "NORP", "OTHER"}
)
ACTIONS = ("mask", "generalise", "keep")


@dataclass(frozen=True, slots=True)
class Policy:
    """Per type: mask with a pseudonym ("[TOWN B]"), generalise ("2022", "in her eighties") or keep.

    The default masks every type, as a quote bank should. Direct identifiers (names, numbers,
    contact details) can be generalised to a role but never kept.
    """

    generalise: frozenset[str] = frozenset()
    use_roles: bool = True
    keep: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        direct = sorted(t for t in self.keep if t not in QUASI_TYPES)
        if direct:
            raise InvalidInput(f"policy: {', '.join(direct)} identify a person directly and cannot be kept")

    @classmethod
    def pseudonyms(cls) -> Policy:
        return cls()

    @classmethod
    def generalised(cls, *types: str) -> Policy:
        return cls(generalise=frozenset(types or GENERAL_PHRASES))

    @classmethod
    def from_actions(cls, actions: dict[str, str], use_roles: bool = True) -> Policy:
        """{"DATE": "generalise", "ORG": "keep"}: unnamed types are masked."""
        generalise, keep = set(), set()
        for type_, action in actions.items():
            type_, action = str(type_).upper(), str(action).casefold()
            if action not in ACTIONS:
                raise InvalidInput(f"policy: '{action}' for {type_} is not one of {', '.join(ACTIONS)}")
            (generalise if action == "generalise" else keep if action == "keep" else set()).add(type_)
        return cls(generalise=frozenset(generalise), use_roles=use_roles, keep=frozenset(keep))

    def action(self, type_: str) -> str:
        if type_ in self.keep:
            return "keep"
        return "generalise" if type_ in self.generalise else "mask"

    def masks(self, span: Span) -> bool:
        return span.type not in self.keep

    def replacement(
        self, span: Span, surface: str, key: PseudonymKey, entry: RosterEntry | None, before: str = ""
    ) -> str:
        pseudonym = key.pseudonym_for(span, surface)
        if span.type not in self.generalise:
            return pseudonym
        if span.type == "DATE":
            return date_general(surface) or pseudonym
        if span.type == "AGE":
            return age_band(surface, before) or pseudonym
        if entry is not None and entry.region and span.type in ("TOWN", "PLACE"):
            return f"a {span.type.lower()} in {entry.region}"
        if entry is not None and entry.role and span.type == "PERSON" and self.use_roles:
            role = entry.role.strip()
            return f"{'an' if role[:1].lower() in 'aeiou' else 'a'} {role}"
        return GENERAL_PHRASES.get(span.type, "[REDACTED]")
