"""Writes and look-ups for projects exchanged with other tools: rows that keep the other tool's GUIDs,
times and coders, inserted in bulk (used by the REFI-QDA import)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from qualcode.store import audit
from qualcode.store.orm import (
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentParticipantRow,
    DocumentRow,
    MemoRow,
    ParticipantRow,
    utcnow,
)

_GuidRow = CoderRow | CodingRow | DocumentRow | MemoRow | ParticipantRow | CodeRow
_GUID_TABLES: dict[str, type[_GuidRow]] = {
    "coder": CoderRow, "coding": CodingRow, "document": DocumentRow, "memo": MemoRow,
    "participant": ParticipantRow, "code": CodeRow,
}


def holds_project(session: Session) -> bool:
    """True when the database already has a document or a code."""
    return bool(session.scalar(select(DocumentRow.id).limit(1)) or session.scalar(select(CodeRow.id).limit(1)))


def ids_by_guid(session: Session, kind: str) -> dict[str, int]:
    """{lower-cased GUID: id} for one table ("coder", "coding", "document", "memo", "participant", "code")."""
    table = _GUID_TABLES[kind]
    return {g.lower(): i for g, i in session.execute(select(table.guid, table.id)) if g}


def coder_id(session: Session, name: str) -> int | None:
    return session.scalar(select(CoderRow.id).where(CoderRow.name == name))


def document_shas(session: Session) -> dict[str, int]:
    """{sha256 of the text: document id}."""
    return {sha: i for i, sha in session.execute(select(DocumentRow.id, DocumentRow.sha256)) if sha}


def document_titles(session: Session) -> set[str]:
    return {t.lower() for t in session.scalars(select(DocumentRow.title))}


def participant_labels(session: Session) -> set[str]:
    return {label.lower() for label in session.scalars(select(ParticipantRow.label))}


def document_links(session: Session) -> list[tuple[int, int]]:
    """(document_id, participant_id) pairs."""
    query = select(DocumentParticipantRow.document_id, DocumentParticipantRow.participant_id)
    return [(d, p) for d, p in session.execute(query)]


def link_documents(session: Session, pairs: set[tuple[int, int]]) -> None:
    """Link documents to participants; pairs already linked are left as they are."""
    new = sorted(pairs - set(document_links(session)))
    if new:
        session.execute(insert(DocumentParticipantRow), [{"document_id": d, "participant_id": p} for d, p in new])


def adopt_participant_guid(session: Session, participant_id: int, guid: str) -> None:
    """Give a freshly created participant the GUID it had in the other tool."""
    row = session.get(ParticipantRow, participant_id)
    if row is not None:
        row.guid = guid


def set_document_created(session: Session, document_id: int, created: datetime) -> None:
    row = session.get(DocumentRow, document_id)
    if row is not None:
        row.created = created


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
    return {(d, s, e, c, k): i for d, s, e, c, k, i in session.execute(query)}


def coding_memos(session: Session, coding_ids: set[int]) -> dict[int, tuple[str, str | None]]:
    """{coding id: (guid, memo)} for the given codings."""
    query = select(CodingRow.id, CodingRow.guid, CodingRow.memo).where(CodingRow.id.in_(coding_ids))
    return {i: (g, m) for i, g, m in session.execute(query)}


def set_coding_memo(session: Session, coding_id: int, text: str) -> None:
    """Set a coding's own memo (imported with the coding; the import's audit entry covers it)."""
    row = session.get(CodingRow, coding_id)
    if row is not None:
        row.memo = text
