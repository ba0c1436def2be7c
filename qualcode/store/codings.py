"""Coding rows: insert, fetch, filter, delete; the coding service in qualcode.coding owns the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.domain import Coding
from qualcode.store import convert
from qualcode.store.orm import CoderRow, CodingRow


@dataclass(frozen=True, slots=True)
class CodingFilter:
    document_id: int | None = None
    code_ids: tuple[int, ...] | None = None
    coder_ids: tuple[int, ...] | None = None


def query(session: Session, where: CodingFilter = CodingFilter()) -> list[Coding]:
    stmt = select(CodingRow)
    if where.document_id is not None:
        stmt = stmt.where(CodingRow.document_id == where.document_id)
    if where.code_ids is not None:
        stmt = stmt.where(CodingRow.code_id.in_(where.code_ids))
    if where.coder_ids is not None:
        stmt = stmt.where(CodingRow.coder_id.in_(where.coder_ids))
    stmt = stmt.order_by(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.id)
    return [convert.coding(r) for r in session.scalars(stmt)]


def all_codings(session: Session) -> list[Coding]:
    return query(session)


def get_row(session: Session, coding_id: int) -> CodingRow | None:
    return session.get(CodingRow, coding_id)


def insert_state(session: Session, state: dict) -> CodingRow:
    """Recreate a coding exactly as the audit log saw it (undo of a delete, redo of an add)."""
    values = dict(state)
    if isinstance(values.get("created"), str):
        values["created"] = datetime.fromisoformat(values["created"])
    session.execute(insert(CodingRow), [values])
    return session.get(CodingRow, values["id"])


def coder_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(CoderRow.id, CoderRow.name)).all())
