"""Coding rows: insert, fetch, filter, delete; the coding service in qualcode.coding owns the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


SPAN_KEY = ("document_id", "start", "end", "code_id", "coder_id")


def insert_unless_present(session: Session, values: dict) -> tuple[CodingRow, bool]:
    """Insert a coding, or return the one already there for the same span, code and coder.

    ON CONFLICT DO NOTHING against the unique index, so processes racing to add the same coding
    end with one row and no error; the flag says whether this call created it.
    """
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(CodingRow).values(**values).on_conflict_do_nothing(index_elements=list(SPAN_KEY))
    new_id = session.execute(stmt.returning(CodingRow.id)).scalar()
    if new_id is not None:
        return session.get(CodingRow, new_id), True
    existing = session.scalar(select(CodingRow).where(*(getattr(CodingRow, k) == values[k] for k in SPAN_KEY)))
    return existing, False


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


def count_by_code(session: Session) -> dict[int, int]:
    """code id -> number of codings (every coder's)."""
    return {code_id: count for code_id, count in session.execute(select(CodingRow.code_id, func.count()).group_by(CodingRow.code_id))}


def count_by_code_and_coder(session: Session) -> list[tuple[int, int, int]]:
    """(code id, coder id, number of codings) for every pair that has codings."""
    rows = session.execute(
        select(CodingRow.code_id, CodingRow.coder_id, func.count()).group_by(CodingRow.code_id, CodingRow.coder_id)
    )
    return [(code_id, coder_id, count) for code_id, coder_id, count in rows]


def progress_by_coder(session: Session) -> list[tuple[int, int, int]]:
    """(coder id, codings, documents touched) per coder."""
    rows = session.execute(
        select(CodingRow.coder_id, func.count(), func.count(func.distinct(CodingRow.document_id))).group_by(CodingRow.coder_id)
    )
    return [(coder_id, count, docs) for coder_id, count, docs in rows]


def count_by_document(session: Session, coder_id: int | None = None) -> dict[int, int]:
    """document id -> number of codings (one coder's, when given)."""
    stmt = select(CodingRow.document_id, func.count()).group_by(CodingRow.document_id)
    if coder_id is not None:
        stmt = stmt.where(CodingRow.coder_id == coder_id)
    return {document_id: count for document_id, count in session.execute(stmt)}


def count_by_coder(session: Session) -> dict[int, int]:
    """coder id -> number of codings."""
    return {coder_id: count for coder_id, count in session.execute(select(CodingRow.coder_id, func.count()).group_by(CodingRow.coder_id))}


def coder_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(CoderRow.id, CoderRow.name)).all())


def delete_row(session: Session, row: CodingRow) -> None:
    session.delete(row)


def change_row(session: Session, row: CodingRow, changes: dict) -> None:
    for key, value in changes.items():
        setattr(row, key, value)
    session.flush()


def delete_own(session: Session, coding_id: int, coder_id: int) -> int:
    """Delete the coding if this coder's (a row policy may hide it): the number of rows removed."""
    row = session.get(CodingRow, coding_id)
    gone = session.execute(delete(CodingRow).where(CodingRow.id == coding_id, CodingRow.coder_id == coder_id)).rowcount
    if row is not None and gone:
        session.expunge(row)
    return gone


def update_own(session: Session, coding_id: int, coder_id: int, changes: dict) -> int:
    """Change the coding if this coder's: the number of rows changed."""
    return session.execute(
        update(CodingRow).where(CodingRow.id == coding_id, CodingRow.coder_id == coder_id).values(**changes)
        .execution_options(synchronize_session="fetch")
    ).rowcount

