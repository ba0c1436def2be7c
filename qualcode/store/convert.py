"""ORM rows to domain values: the only place that knows both shapes.

Each function reads attributes only, so a row read by qualcode.store.quick (plain sqlite3, no ORM)
converts through the same code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.domain import (
    Code,
    Coder,
    Coding,
    Document,
    DocumentKind,
    Memo,
    MemoTarget,
    Participant,
    Provenance,
    Segment,
    SegmentKind,
    Valence,
)

if TYPE_CHECKING:
    from qualcode.store import orm


def document(row: orm.DocumentRow) -> Document:
    return Document(
        id=row.id,
        title=row.title,
        kind=DocumentKind(row.kind),
        text=row.text,
        source_name=row.source_name,
        sha256=row.sha256,
        date=row.date,
        meta=dict(row.meta or {}),
        guid=row.guid,
        created=row.created,
    )


def segment(row: orm.SegmentRow) -> Segment:
    return Segment(
        id=row.id,
        document_id=row.document_id,
        index=row.idx,
        start=row.start,
        end=row.end,
        kind=SegmentKind(row.kind),
        speaker=row.speaker,
        participant_id=row.participant_id,
        meta=dict(row.meta or {}),
    )


def participant(row: orm.ParticipantRow, *, with_names: bool = True) -> Participant:
    """with_names=False for a team-mode coder, whose role may not read names or aliases."""
    return Participant(
        id=row.id,
        label=row.label,
        role=row.role,
        name=row.name if with_names else None,
        aliases=tuple(row.aliases or ()) if with_names else (),
        attributes={str(k): str(v) for k, v in (row.attributes or {}).items()},
        guid=row.guid,
    )


def code(row: orm.CodeRow, path: str) -> Code:
    return Code(
        id=row.id,
        guid=row.guid,
        name=row.name,
        path=path,
        parent_id=row.parent_id,
        description=row.description or "",
        inclusion=row.inclusion or "",
        exclusion=row.exclusion or "",
        examples=tuple(row.examples or ()),
        keywords=tuple(row.keywords or ()),
        colour=row.colour,
        valence=Valence(row.valence or "none"),
        position=row.position or 0,
    )


def coder(row: orm.CoderRow) -> Coder:
    return Coder(id=row.id, name=row.name, guid=row.guid)


def coding(row: orm.CodingRow) -> Coding:
    return Coding(
        id=row.id,
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        code_id=row.code_id,
        coder_id=row.coder_id,
        created=row.created,
        provenance=Provenance(row.provenance),
        codebook_version=row.codebook_version,
        memo=row.memo,
        candidate_quote=bool(row.candidate_quote),
        guid=row.guid,
    )


def coding_state(row: orm.CodingRow) -> dict:
    """A coding as plain JSON for the audit log, enough to recreate it on undo."""
    return {
        "id": row.id,
        "guid": row.guid,
        "document_id": row.document_id,
        "start": row.start,
        "end": row.end,
        "code_id": row.code_id,
        "coder_id": row.coder_id,
        "created": row.created.isoformat() if row.created else None,
        "provenance": row.provenance,
        "codebook_version": row.codebook_version,
        "memo": row.memo,
        "candidate_quote": bool(row.candidate_quote),
    }


def memo(row: orm.MemoRow) -> Memo:
    return Memo(
        id=row.id,
        target=MemoTarget(row.target),
        target_id=row.target_id,
        text=row.text,
        coder_id=row.coder_id,
        title=row.title,
        created=row.created,
        guid=row.guid,
    )
