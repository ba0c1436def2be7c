"""Quotes repository: the quotes table and the bank settings in project_meta, read and written as quote values."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcode.errors import InvalidInput, NotFound
from qualcode.store import audit, meta
from qualcode.store import codes as code_repo
from qualcode.store.orm import CodeRow, CodingRow, QuoteRow

from qualcode.quotes.model import BankQuote, BankSettings, Redaction

BANKS_KEY = "quote_banks"


def _quote(row: QuoteRow, paths: dict[int, str], candidates: set[int]) -> BankQuote:
    return BankQuote(
        id=row.id,
        bank=row.bank,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        code_id=row.code_id,
        coding_id=row.coding_id,
        participant_id=row.participant_id,
        masked_text=row.masked_text,
        attribution=row.attribution,
        redactions=tuple(Redaction.from_dict(r) for r in row.redactions or []),
        status=row.status,
        rank=float(row.rank),
        code_path=paths.get(row.code_id, "") if row.code_id is not None else "",
        candidate=row.coding_id in candidates,
    )


def _context(session: Session, rows: list[QuoteRow]) -> tuple[dict[int, str], set[int]]:
    paths = {c.id: c.path for c in code_repo.list_all(session)} if rows else {}
    coding_ids = {r.coding_id for r in rows if r.coding_id is not None}
    candidates = set()
    if coding_ids:
        stmt = select(CodingRow.id).where(CodingRow.id.in_(coding_ids), CodingRow.candidate_quote.is_(True))
        candidates = set(session.scalars(stmt))
    return paths, candidates


def list_quotes(session: Session, bank: str | None = None) -> list[BankQuote]:
    """Quotes in bank order: by theme (code path), then rank, then id."""
    stmt = select(QuoteRow)
    if bank is not None:
        stmt = stmt.where(QuoteRow.bank == bank)
    rows = list(session.scalars(stmt))
    paths, candidates = _context(session, rows)
    quotes = [_quote(r, paths, candidates) for r in rows]
    return sorted(quotes, key=lambda q: (q.bank, q.code_path, q.rank, q.id))


def get(session: Session, quote_id: int) -> BankQuote:
    row = session.get(QuoteRow, quote_id)
    if row is None:
        raise NotFound(f"no quote with id {quote_id}; see 'qualcode quotes list'")
    paths, candidates = _context(session, [row])
    return _quote(row, paths, candidates)


def banks(session: Session) -> list[str]:
    stored = set(session.scalars(select(QuoteRow.bank).distinct()))
    return sorted(stored | set(all_settings(session)))


def replace_bank(session: Session, bank: str, quotes: Iterable[dict]) -> list[int]:
    """Drop a bank's quotes and insert the new ones (dicts of QuoteRow columns); returns their ids."""
    session.execute(delete(QuoteRow).where(QuoteRow.bank == bank))
    ids = []
    for values in quotes:
        row = QuoteRow(bank=bank, **values)
        session.add(row)
        session.flush()
        ids.append(row.id)
    audit.record(session, "build", "quote_bank", None, after={"bank": bank, "quotes": len(ids)})
    return ids


def save(session: Session, quote: BankQuote, *, action: str, coder: str | None = None) -> BankQuote:
    """Write a quote's masked text, redactions and status back, audited as `action`."""
    row = session.get(QuoteRow, quote.id)
    if row is None:
        raise NotFound(f"no quote with id {quote.id}")
    before = {"status": row.status, "redactions": len(row.redactions or [])}
    row.masked_text = quote.masked_text
    row.attribution = quote.attribution
    row.redactions = [r.to_dict() for r in quote.redactions]
    row.status = quote.status
    audit.record(
        session, action, "quote", row.id, coder=coder, before=before,
        after={"status": row.status, "redactions": len(row.redactions)},
    )
    return replace(quote)


def all_settings(session: Session) -> dict[str, BankSettings]:
    raw = meta.get(session, BANKS_KEY)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
        return {str(name): BankSettings.from_dict(value) for name, value in data.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"project setting '{BANKS_KEY}' is not valid: {exc}") from exc


def settings(session: Session, bank: str) -> BankSettings:
    found = all_settings(session).get(bank)
    if found is None:
        raise NotFound(f"no quote bank '{bank}'; build it with 'qualcode quotes build --code C --bank {bank}'")
    return found


def put_settings(session: Session, bank: str, value: BankSettings) -> None:
    every = all_settings(session)
    every[bank] = value
    payload = {name: every[name].to_dict() for name in sorted(every)}
    meta.put(session, BANKS_KEY, json.dumps(payload, ensure_ascii=False, sort_keys=True))


def code_ids_with_descendants(session: Session, code_ids: Iterable[int]) -> set[int]:
    """A parent code stands for its whole subtree."""
    children: dict[int | None, list[int]] = {}
    for code_id, parent_id in session.execute(select(CodeRow.id, CodeRow.parent_id)):
        children.setdefault(parent_id, []).append(code_id)
    found: set[int] = set()
    stack = list(code_ids)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found
