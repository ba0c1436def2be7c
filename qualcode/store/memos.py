"""Memos repository: notes on the project, a document, a code or a coding, added and listed as domain Memos."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain import Memo, MemoTarget
from qualcode.store import audit, convert
from qualcode.store.orm import MemoRow


def add(
    session: Session,
    *,
    target: MemoTarget,
    target_id: int | None,
    text: str,
    title: str | None = None,
    coder_id: int | None = None,
    created: datetime | None = None,
    guid: str | None = None,
    action: str = "add",
    coder: str | None = None,
    audit_text: bool = False,
) -> Memo:
    """Add a memo, audited as `action` by `coder`; `audit_text` keeps the memo's text in the audit entry."""
    row = MemoRow(
        guid=guid or str(uuid.uuid4()), target=str(target), target_id=target_id, title=title, text=text,
        coder_id=coder_id,
    )
    if created is not None:
        row.created = created
    session.add(row)
    session.flush()
    # Read back what the database stored (SQLite drops the timezone), so add and list agree.
    session.refresh(row)
    after: dict = {"target": str(target), "target_id": target_id}
    if audit_text:
        after["text"] = text
    audit.record(session, action, "memo", row.id, coder=coder, after=after)
    return convert.memo(row)


def list_all(session: Session) -> list[Memo]:
    """Every memo, oldest first."""
    return [convert.memo(r) for r in session.scalars(select(MemoRow).order_by(MemoRow.id))]


def for_target(session: Session, target: MemoTarget, target_id: int | None) -> list[Memo]:
    """The memos on one target (a code, a document, ...), oldest first."""
    stmt = select(MemoRow).where(MemoRow.target == str(target))
    stmt = stmt.where(MemoRow.target_id.is_(None) if target_id is None else MemoRow.target_id == target_id)
    return [convert.memo(r) for r in session.scalars(stmt.order_by(MemoRow.id))]


def _coder_document_row(session: Session, document_id: int, coder_id: int) -> MemoRow | None:
    return session.scalar(
        select(MemoRow).where(MemoRow.target == "document", MemoRow.target_id == document_id, MemoRow.coder_id == coder_id)
    )


def coder_document_memo(session: Session, document_id: int, coder_id: int) -> str:
    """A coder's own memo on a document (the reader's document memo), or ""."""
    row = _coder_document_row(session, document_id, coder_id)
    return row.text if row else ""


def set_coder_document_memo(session: Session, document_id: int, coder_id: int, text: str, *, coder: str | None) -> None:
    """Write a coder's own memo on a document, audited as an add or an update with the old text."""
    row = _coder_document_row(session, document_id, coder_id)
    before = {"text": row.text} if row else None
    if row is None:
        row = MemoRow(guid=str(uuid.uuid4()), target="document", target_id=document_id, text=text, coder_id=coder_id)
        session.add(row)
    else:
        row.text = text
    session.flush()
    audit.record(session, "update" if before else "add", "memo", row.id, coder=coder, before=before, after={"text": text})

