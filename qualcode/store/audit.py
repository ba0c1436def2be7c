"""The append-only audit log: every change to the project is recorded here, in the same transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from qualcode.store.orm import AuditRow


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    coder: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Through the database's own function: in team mode it, not the caller, names the coder.
        session.flush()
        session.execute(APPEND, {
            "action": action, "entity": entity, "entity_id": entity_id, "coder": coder,
            "before": None if before is None else json.dumps(before),
            "after": None if after is None else json.dumps(after),
        })
        return
    session.add(AuditRow(action=action, entity=entity, entity_id=entity_id, coder=coder, before=before, after=after))


APPEND = text(
    "SELECT qualcode_audit_append(:action, :entity, :entity_id, :coder, CAST(:before AS json), CAST(:after AS json))"
)


def entries(session: Session, *, entity: str | None = None, limit: int | None = None, newest_first: bool = True):
    query = select(AuditRow)
    if entity:
        query = query.where(AuditRow.entity == entity)
    query = query.order_by(AuditRow.id.desc() if newest_first else AuditRow.id)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class CodingStep:
    """One audit entry about a coding, as undo and redo read it."""

    id: int
    action: str
    coding_id: int | None
    coder: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _step(row: AuditRow) -> CodingStep:
    return CodingStep(row.id, row.action, row.entity_id, row.coder, row.before, row.after)


def coding_steps(session: Session, coder: str, limit: int) -> list[CodingStep]:
    """A coder's most recent audit entries about codings, newest first."""
    rows = session.scalars(
        select(AuditRow).where(AuditRow.entity == "coding", AuditRow.coder == coder).order_by(AuditRow.id.desc()).limit(limit)
    )
    return [_step(r) for r in rows]


def coding_step(session: Session, audit_id: int) -> CodingStep | None:
    """The audit entry with this id when it is about a coding, else None."""
    row = session.get(AuditRow, audit_id)
    return _step(row) if row is not None and row.entity == "coding" else None

