"""The last check before a quote leaves the project: does any real name survive in it?

Three tests, any one withholds a quote: the anonymiser's final scan over the roster; and, for
quotes no one has accepted yet, every real form the project's key holds (names found by context
or the model) and a literal search for every roster name and alias. A name that is also a word
("Hope", "Will") counts there only when capitalised, and a reviewer's explicit undo of a false
redaction is honoured once the quote is accepted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from qualcode.anonymise import PseudonymKey, Roster, final_scan
from qualcode.anonymise.lexicon import MONTHS, NAME_WORDS, WEEKDAYS

from .keys import key_terms
from .model import BankQuote

_AMBIGUOUS = NAME_WORDS | MONTHS | WEEKDAYS


def _pattern(forms: Iterable[str], fold: bool = True) -> re.Pattern | None:
    """Word-bounded alternation; name-words (and everything when not `fold`) match case-sensitively."""
    exact, folded = set(), set()
    for form in forms:
        form = form.strip()
        if len(form) < 2:
            continue
        if not fold:
            exact.add(form)
        elif form.casefold() in _AMBIGUOUS:
            exact.add(form[0].upper() + form[1:])
        else:
            folded.add(re.escape(form))
    parts = []
    if folded:
        parts.append("(?i:" + "|".join(sorted(folded, key=len, reverse=True)) + ")")
    if exact:
        parts.append("|".join(re.escape(f) for f in sorted(exact, key=len, reverse=True)))
    if not parts:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")


@dataclass
class Scanner:
    """Built once per export from the roster and the bank's key."""

    roster: Roster
    key: PseudonymKey

    def __post_init__(self) -> None:
        self.roster_literal_ = _pattern(self.roster.all_forms())
        # Key forms of fixed types (phone numbers, dates) are not names; the rest must never reappear.
        named = [t for t in key_terms(self.key) if t[:1].isupper() and t.casefold() not in _AMBIGUOUS]
        # Exact surfaces only: a model's false hit ("Belonging") must not withhold every "belonging".
        self.key_literal_ = _pattern(named, fold=False)

    def names_in(self, text: str) -> list[str]:
        """Every real form in a text no reviewer has seen (a bank or theme name): all three tests."""
        hits = [text[s.start : s.end] for s in final_scan(text, self.roster)]
        for pattern in (self.key_literal_, self.roster_literal_):
            if pattern is not None:
                hits += [m.group() for m in pattern.finditer(text)]
        return list(dict.fromkeys(hits))

    def leaks(self, quote: BankQuote, original: str, texts: Iterable[str]) -> list[str]:
        """Every surviving real form in `texts` (a quote's masked text, its label, its theme)."""
        allowed = Counter()
        if quote.reviewed:
            allowed = Counter(original[r.start : r.end].casefold() for r in quote.redactions if not r.active)
        found: list[str] = []
        for text in texts:
            hits = [text[s.start : s.end] for s in final_scan(text, self.roster)]
            # A reviewer who accepted the quote has read the words a literal search would flag.
            if not quote.reviewed and self.key_literal_ is not None:
                hits += [m.group() for m in self.key_literal_.finditer(text)]
            if not quote.reviewed and self.roster_literal_ is not None:
                hits += [m.group() for m in self.roster_literal_.finditer(text)]
            found += hits
        leaked = []
        for hit in dict.fromkeys(found):
            if allowed[hit.casefold()] > 0:
                continue
            leaked.append(hit)
        return leaked
