"""Reviewing a bank without a screen: accept a quote, add a redaction, undo a false one.

Every action is one audited transaction. Adding a redaction masks the text in every quote of
the bank (a name that leaked once tends to leak again) and remembers it for later rebuilds;
undoing one reveals text, so the quote goes back to unreviewed until someone accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qualcode.anonymise import Roster
from qualcode.errors import InvalidInput
from qualcode.store import documents as doc_repo
from qualcode.store import quotes as repo
from qualcode.store.engine import Database

from . import keys
from .build import KNOWN_TYPES, make_anonymiser
from .model import ACCEPTED, UNREVIEWED, BankQuote, Redaction
from .redact import manual_redaction, remask


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """The quote acted on, and any other quotes of the bank the action changed."""

    quote: BankQuote
    also_changed: tuple[int, ...] = ()


def original_text(db: Database, quote: BankQuote) -> str:
    with db.reading() as session:
        return doc_repo.get(session, quote.document_id).text[quote.start : quote.end]


def accept(db: Database, quote_id: int, coder: str | None = None) -> BankQuote:
    with db.transaction() as session:
        quote = repo.get(session, quote_id)
        return repo.save(session, replace(quote, status=ACCEPTED), action="accept", coder=coder)


def reopen(db: Database, quote_id: int, coder: str | None = None) -> BankQuote:
    with db.transaction() as session:
        quote = repo.get(session, quote_id)
        return repo.save(session, replace(quote, status=UNREVIEWED), action="reopen", coder=coder)


def _occurrences(original: str, needle: str, taken: list[Redaction]) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.IGNORECASE)
    found = []
    for m in pattern.finditer(original):
        inside = any(r.start <= m.start() and m.end() <= r.end for r in taken)
        if not inside:
            found.append(m.span())
    return found


def _with_redaction(quote: BankQuote, original: str, spans: list[tuple[int, int]], make) -> BankQuote:
    redactions = list(quote.redactions)
    for start, end in spans:
        # An active redaction overlapping the new one is folded into it: the union is masked.
        overlapping = [r for r in redactions if r.active and r.start < end and start < r.end]
        start = min([start, *(r.start for r in overlapping)])
        end = max([end, *(r.end for r in overlapping)])
        redactions = [r for r in redactions if r not in overlapping]
        redactions.append(make(start, end))
    redactions.sort(key=lambda r: (r.start, r.end))
    return replace(quote, redactions=tuple(redactions), masked_text=remask(original, redactions, quote.masked_text))


def add_redaction(
    db: Database, quote_id: int, text: str | None = None, *, span: tuple[int, int] | None = None,
    type_: str = "PERSON", everywhere: bool = True, coder: str | None = None,
) -> ReviewResult:
    """Mask `text` (every unmasked occurrence) or `span` (offsets into the original) in a quote.

    With `everywhere`, the same text is masked in the bank's other quotes too, and the term joins
    the bank's deny list so a rebuild masks it again.
    """
    type_ = type_.upper()
    if type_ not in KNOWN_TYPES:
        raise InvalidInput(f"unknown type '{type_}'; choose from {', '.join(KNOWN_TYPES)}")
    if (text is None) == (span is None):
        raise InvalidInput("give the text to redact (or a span), not both")
    with db.transaction() as session:
        quote = repo.get(session, quote_id)
        settings = repo.settings(session, quote.bank)
        original = doc_repo.get(session, quote.document_id).text[quote.start : quote.end]
        if span is not None:
            start, end = span
            if not 0 <= start < end <= len(original):
                raise InvalidInput(f"span {start}-{end} is outside the quote (0-{len(original)})")
            text = original[start:end]
            spans = [(start, end)]
        else:
            text = text.strip()
            if not text:
                raise InvalidInput("the text to redact is empty")
            spans = _occurrences(original, text, quote.active_redactions)
            if not spans:
                raise InvalidInput(f"quote {quote_id} has no unmasked '{text}'; check 'qualcode quotes show {quote_id}'")
        key = keys.load_project_key(session)
        anonymiser = make_anonymiser(Roster(), settings)  # only its policy is used here
        fresh = {}

        def make_for(source: str):
            return lambda a, b: manual_redaction(source, a, b, type_, key, anonymiser)

        fresh[quote.id] = _with_redaction(quote, original, spans, make_for(original))
        changed = []
        if everywhere:
            for other in repo.list_quotes(session, quote.bank):
                if other.id == quote.id:
                    continue
                source = doc_repo.get(session, other.document_id).text[other.start : other.end]
                found = _occurrences(source, text, other.active_redactions)
                if found:
                    fresh[other.id] = _with_redaction(other, source, found, make_for(source))
                    changed.append(other.id)
            repo.put_settings(session, quote.bank, replace(settings, deny={**settings.deny, text: type_}))
        for updated in fresh.values():
            repo.save(session, updated, action="redact", coder=coder)
        keys.save_project_key(session, key)
        return ReviewResult(fresh[quote.id], tuple(changed))


def remove_redaction(db: Database, quote_id: int, index: int, coder: str | None = None) -> BankQuote:
    """Undo redaction `index` (as numbered by `quotes show`): the text shows again; the quote needs review."""
    with db.transaction() as session:
        quote = repo.get(session, quote_id)
        if not 0 <= index < len(quote.redactions):
            raise InvalidInput(f"quote {quote_id} has redactions 0-{len(quote.redactions) - 1}, not {index}")
        target = quote.redactions[index]
        if not target.active:
            raise InvalidInput(f"redaction {index} of quote {quote_id} is already undone")
        original = doc_repo.get(session, quote.document_id).text[quote.start : quote.end]
        redactions = list(quote.redactions)
        redactions[index] = target.undone()
        updated = replace(quote, redactions=tuple(redactions), status=UNREVIEWED,
                          masked_text=remask(original, redactions, quote.masked_text))
        return repo.save(session, updated, action="unredact", coder=coder)


def restore_redaction(db: Database, quote_id: int, index: int, coder: str | None = None) -> BankQuote:
    """Re-apply an undone redaction (an undo of the undo)."""
    with db.transaction() as session:
        quote = repo.get(session, quote_id)
        if not 0 <= index < len(quote.redactions) or quote.redactions[index].active:
            raise InvalidInput(f"quote {quote_id} has no undone redaction {index}")
        original = doc_repo.get(session, quote.document_id).text[quote.start : quote.end]
        redactions = list(quote.redactions)
        redactions[index] = replace(redactions[index], active=True)
        clash = [r for i, r in enumerate(redactions) if i != index and r.active
                 and r.start < redactions[index].end and redactions[index].start < r.end]
        if clash:
            raise InvalidInput(f"redaction {index} overlaps another active one; undo that first")
        updated = replace(quote, redactions=tuple(redactions), masked_text=remask(original, redactions, quote.masked_text))
        return repo.save(session, updated, action="redact", coder=coder)
