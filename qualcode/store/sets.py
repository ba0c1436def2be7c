"""Sets repository: named sets of documents and codes, listed as domain DocumentSets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.sets import DocumentSet
from qualcode.store import audit
from qualcode.store.orm import SetRow

MEMBER_KINDS = ("document", "code")


def list_all(session: Session) -> list[DocumentSet]:
    """Every set, oldest first; members of a kind qualcode does not know are left out."""
    result = []
    for row in session.scalars(select(SetRow).order_by(SetRow.id)):
        members = tuple(
            (str(m.get("type")), int(m.get("id"))) for m in (row.members or []) if m.get("type") in MEMBER_KINDS
        )
        result.append(DocumentSet(row.id, row.guid, row.name, row.description or "", members))
    return result


def guids(session: Session) -> set[str]:
    """The GUIDs of every set, lower-cased."""
    return {g.lower() for g in session.scalars(select(SetRow.guid)) if g}


def add(
    session: Session, *, guid: str, name: str, description: str, members: list[tuple[str, int]],
    action: str = "add", coder: str | None = None,
) -> DocumentSet:
    """Add a set (audited as `action` by `coder`); members are ("document" | "code", id) pairs."""
    stored: list[dict[str, Any]] = [{"type": kind, "id": int(i)} for kind, i in members if kind in MEMBER_KINDS]
    row = SetRow(guid=guid, name=name, description=description, members=stored)
    session.add(row)
    session.flush()
    audit.record(session, action, "set", row.id, coder=coder, after={"name": name, "members": len(stored)})
    return DocumentSet(row.id, row.guid, row.name, row.description or "", tuple((m["type"], m["id"]) for m in stored))
