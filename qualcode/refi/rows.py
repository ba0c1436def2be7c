"""The project data REFI-QDA needs that the store has no repository for yet: sets, links, raw inserts (memos via store.memos)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.domain import Memo, MemoTarget
from qualcode.store import audit
from qualcode.store import memos as memo_repo
from qualcode.store.orm import CodeRow, CodingRow, DocumentParticipantRow, SetRow, utcnow


@dataclass(frozen=True, slots=True)
class DocumentSet:
    id: int
    guid: str
    name: str
    description: str
    members: tuple[tuple[str, int], ...]  # ("document"|"code", id)


def memos(session: Session) -> list[Memo]:
    return memo_repo.list_all(session)


def sets(session: Session) -> list[DocumentSet]:
    result = []
    for row in session.scalars(select(SetRow).order_by(SetRow.id)):
        members = tuple(
            (str(m.get("type")), int(m.get("id"))) for m in (row.members or []) if m.get("type") in ("document", "code")
        )
        result.append(DocumentSet(row.id, row.guid, row.name, row.description or "", members))
    return result


def document_links(session: Session) -> list[tuple[int, int]]:
    """(document_id, participant_id) pairs."""
    query = select(DocumentParticipantRow.document_id, DocumentParticipantRow.participant_id)
    return [(d, p) for d, p in session.execute(query)]


def guids(session: Session, column) -> set[str]:
    return {g.lower() for g in session.scalars(select(column)) if g}


def add_memo(
    session: Session, *, target: MemoTarget, target_id: int | None, text: str, title: str | None,
    coder_id: int | None, created: datetime | None, guid: str, coder: str | None,
) -> int:
    memo = memo_repo.add(
        session, target=target, target_id=target_id, text=text, title=title, coder_id=coder_id,
        created=created, guid=guid, action="import", coder=coder,
    )
    return memo.id


def add_set(session: Session, *, guid: str, name: str, description: str, members: list[dict[str, Any]], coder: str | None) -> int:
    row = SetRow(guid=guid, name=name, description=description, members=members)
    session.add(row)
    session.flush()
    audit.record(session, "import", "set", row.id, coder=coder, after={"name": name, "members": len(members)})
    return row.id


def link_documents(session: Session, pairs: set[tuple[int, int]]) -> None:
    existing = set(document_links(session))
    new = sorted(pairs - existing)
    if new:
        session.execute(insert(DocumentParticipantRow), [{"document_id": d, "participant_id": p} for d, p in new])


def add_codings(session: Session, values: list[dict[str, Any]], coder: str | None) -> None:
    """Insert imported codings in bulk (one audit entry): the coding service acts for one coder at a
    time, an import carries many coders and their own timestamps."""
    if not values:
        return
    for value in values:
        value.setdefault("created", utcnow())
    session.execute(insert(CodingRow), values)
    audit.record(session, "import", "coding", None, coder=coder, after={"codings": len(values)})


def coding_ids(session: Session, document_ids: set[int]) -> dict[tuple[int, int, int, int, int], int]:
    """(document, start, end, code, coder) -> coding id, for the given documents."""
    query = select(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.code_id, CodingRow.coder_id,
                   CodingRow.id).where(CodingRow.document_id.in_(document_ids))
    return {tuple(row[:5]): row[5] for row in session.execute(query)}


def adopt_guid(session: Session, table, row_id: int, guid: str) -> None:
    """Give a freshly created participant or document the GUID it had in the other tool."""
    session.get(table, row_id).guid = guid


def set_created(session: Session, table, row_id: int, created: datetime) -> None:
    session.get(table, row_id).created = created


def add_code(session: Session, *, name: str, parent_id: int | None, guid: str, fields: dict[str, Any],
             position: int, coder: str | None) -> int:
    """Insert one code of an imported tree whose parent is known by id (names already made unique)."""
    values = {
        "description": str(fields.get("description") or ""),
        "inclusion": str(fields.get("inclusion") or ""),
        "exclusion": str(fields.get("exclusion") or ""),
        "examples": [str(v) for v in fields.get("examples") or []],
        "keywords": [str(v) for v in fields.get("keywords") or []],
        "colour": fields.get("colour"),
        "valence": str(fields.get("valence") or "none"),
    }
    row = CodeRow(guid=guid, parent_id=parent_id, name=name, position=position, **values)
    session.add(row)
    session.flush()
    audit.record(session, "import", "code", row.id, coder=coder, after={"name": name, "parent_id": parent_id, "guid": guid})
    return row.id
