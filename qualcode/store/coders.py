"""Coders: who made each coding."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain import Coder
from qualcode.errors import InvalidInput, NotFound
from qualcode.sanitise import MAX_CODER, check_name
from qualcode.store import audit, convert
from qualcode.store.orm import CoderRow


def list_all(session: Session) -> list[Coder]:
    return [convert.coder(r) for r in session.scalars(select(CoderRow).order_by(CoderRow.name))]


def find(session: Session, name: str) -> Coder:
    row = session.scalar(select(CoderRow).where(CoderRow.name == name))
    if row is None:
        known = ", ".join(c.name for c in list_all(session)) or "none yet"
        raise NotFound(f"no coder named '{name}' (known: {known}); add one with 'qualcode coders add {name}'")
    return convert.coder(row)


def add(session: Session, name: str, *, guid: str | None = None, db_user: str | None = None) -> Coder:
    name = name.strip()
    if not name:
        raise InvalidInput("a coder needs a name")
    check_name(name, "coder name", MAX_CODER)
    existing = session.scalar(select(CoderRow).where(CoderRow.name == name))
    if existing is not None:
        return convert.coder(existing)
    row = CoderRow(name=name, guid=guid or str(uuid.uuid4()), db_user=db_user)
    session.add(row)
    session.flush()
    audit.record(session, "add", "coder", row.id, coder=name, after={"name": name})
    return convert.coder(row)


def get_or_add(session: Session, name: str) -> Coder:
    return add(session, name)
