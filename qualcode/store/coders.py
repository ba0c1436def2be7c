"""Coders: who made each coding."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    # Several processes may meet a new coder name at once: the loser of the race reads the winner's row.
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(CoderRow).values(name=name, guid=guid or str(uuid.uuid4()), db_user=db_user)
    new_id = session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]).returning(CoderRow.id)).scalar()
    if new_id is None:
        return convert.coder(session.scalars(select(CoderRow).where(CoderRow.name == name)).one())
    audit.record(session, "add", "coder", new_id, coder=name, after={"name": name})
    return convert.coder(session.get_one(CoderRow, new_id))


def get_or_add(session: Session, name: str) -> Coder:
    return add(session, name)
