"""The final scan of outgoing text: roster strings in any case, and capitalised words nothing explains."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .lexicon import COMMON_CAPITALISED, DEFAULT_ALLOWLIST, MONTHS, SECTOR_WORDS, TITLES, WEEKDAYS
from .ordinary import is_ordinary
from .roster import Roster

_WORD = re.compile(r"(?<![\w\[])[^\W\d_]+(?:['’][^\W\d_]+)*(?![\w\]])")


def words_of(texts: Iterable[str]) -> set[str]:
    """The casefolded words of some texts: project vocabulary that explains a capitalised word."""
    return {m.group().casefold() for text in texts if text for m in _WORD.finditer(text)}


def _any_case(forms: Iterable[str]) -> re.Pattern | None:
    terms = sorted({f.strip() for f in forms if len(f.strip()) >= 2}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(t) for t in terms)})(?!\w)", re.IGNORECASE)


@dataclass
class LeakScan:
    """Built once per export: what an outgoing text must not hold.

    A roster string (every name, alias and name token of a person) counts in any case, word or
    not: "hope" for a participant called Hope withholds the quote until a reviewer accepts it.
    A capitalised word counts when it is neither an ordinary English word, nor on the allowlist,
    nor a word of the project's own vocabulary (code names, attribute values, titles).
    """

    roster: Roster
    known: frozenset[str] = frozenset()
    allowlist: tuple[str, ...] = DEFAULT_ALLOWLIST
    explained_: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.roster_re_ = _any_case(self.roster.all_forms())
        # Months and weekdays are the date detectors' business, not names: "on a Tuesday afternoon".
        self.explained_ = (words_of(self.allowlist) | set(self.known) | COMMON_CAPITALISED | SECTOR_WORDS | TITLES
                           | MONTHS | WEEKDAYS)

    def roster_hits(self, text: str) -> list[str]:
        if self.roster_re_ is None or not text:
            return []
        return [m.group() for m in self.roster_re_.finditer(text)]

    def unexplained(self, text: str, known: frozenset[str] = frozenset()) -> list[str]:
        """Capitalised words no detector, list or dictionary accounts for: 'Aldous', 'Hollowmere'."""
        found = []
        for m in _WORD.finditer(text or ""):
            word = m.group()
            if not word[0].isupper() or word.isupper() or len(word) < 2:
                continue  # lowercase, or an acronym or pseudonym ("ICB", "PERSON")
            folded = word.casefold()
            if folded in self.explained_ or folded in known or is_ordinary(word):
                continue
            found.append(word)
        return found

    def hits(self, text: str, known: frozenset[str] = frozenset()) -> list[str]:
        """Every surviving real name or unexplained word, roster hits first, each once."""
        return list(dict.fromkeys([*self.roster_hits(text), *self.unexplained(text, known)]))
