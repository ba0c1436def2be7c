"""Documents and their segments: add from a parsed import, find by id or title, list summaries."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qualcode.domain import Document, DocumentSummary, Segment
from qualcode.errors import Ambiguous, NotFound
from qualcode.importers.base import ParsedDocument
from qualcode.store import audit, convert
from qualcode.store.orm import CodingRow, DocumentParticipantRow, DocumentRow, ParticipantRow, SegmentRow


_SEGMENT_BATCH = 2000
_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Words counted without building the list of them (text.split() took 11x a 10 MB transcript's size)."""
    return sum(1 for _ in _WORD.finditer(text))


def by_sha(session: Session, sha256: str) -> Document | None:
    row = session.scalar(select(DocumentRow).where(DocumentRow.sha256 == sha256))
    return convert.document(row) if row else None


def title_taken(session: Session, title: str) -> bool:
    return session.scalar(select(DocumentRow.id).where(DocumentRow.title == title)) is not None


def add_parsed(
    session: Session,
    parsed: ParsedDocument,
    participant_ids: list[int | None],
    *,
    coder: str | None = None,
    guid: str | None = None,
) -> int:
    """Insert a document and its segments; participant_ids[i] links segment i to a participant."""
    row = DocumentRow(
        guid=guid or str(uuid.uuid4()),
        title=parsed.title,
        kind=str(parsed.kind),
        text=parsed.text,
        source_name=parsed.source_name,
        sha256=parsed.sha256,
        date=parsed.date,
        meta=parsed.meta,
        word_count=word_count(parsed.text),
    )
    session.add(row)
    session.flush()
    # Core bulk insert (the ORM unit of work is ~10x slower for thousands of segments), in batches so a
    # long transcript never holds a second copy of all its text as parameter dicts at once.
    for first in range(0, len(parsed.segments), _SEGMENT_BATCH):
        session.execute(
            insert(SegmentRow),
            [
                {
                    "document_id": row.id,
                    "idx": i,
                    "start": seg.start,
                    "end": seg.end,
                    "kind": str(seg.kind),
                    "speaker": seg.speaker,
                    "participant_id": participant_ids[i] if i < len(participant_ids) else None,
                    "text": parsed.text[seg.start : seg.end],
                    "meta": seg.meta,
                }
                for i, seg in enumerate(parsed.segments[first : first + _SEGMENT_BATCH], first)
            ],
        )
    linked = sorted({pid for pid in participant_ids if pid is not None})
    if linked:
        session.execute(insert(DocumentParticipantRow), [{"document_id": row.id, "participant_id": p} for p in linked])
    audit.record(
        session,
        "import",
        "document",
        row.id,
        coder=coder,
        after={"title": row.title, "kind": row.kind, "sha256": row.sha256, "segments": len(parsed.segments)},
    )
    return row.id


def get(session: Session, document_id: int) -> Document:
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFound(f"no document with id {document_id}")
    return convert.document(row)


def resolve(session: Session, ref: str | int) -> Document:
    """DOC accepts an id or a title (exact, then case-insensitive, then a unique prefix)."""
    text = str(ref).strip()
    if text.isdigit():
        row = session.get(DocumentRow, int(text))
        if row is not None:
            return convert.document(row)
    row = session.scalar(select(DocumentRow).where(DocumentRow.title == text))
    if row is None:
        rows = list(session.scalars(select(DocumentRow).where(func.lower(DocumentRow.title) == text.lower())))
        if not rows:
            rows = list(
                session.scalars(select(DocumentRow).where(func.lower(DocumentRow.title).startswith(text.lower())).limit(6))
            )
        if len(rows) > 1:
            names = ", ".join(r.title for r in rows[:5])
            raise Ambiguous(f"'{text}' matches several documents: {names}")
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(f"no document '{text}'; see 'qualcode docs list'")
    return convert.document(row)


def title_of(session: Session, document_id: int) -> str | None:
    row = session.get(DocumentRow, document_id)
    return row.title if row is not None else None


def text_of(session: Session, document_id: int) -> str:
    return session.get_one(DocumentRow, document_id).text


def segments(session: Session, document_id: int) -> list[Segment]:
    rows = session.scalars(select(SegmentRow).where(SegmentRow.document_id == document_id).order_by(SegmentRow.idx))
    return [convert.segment(r) for r in rows]


def all_segments(session: Session) -> list[Segment]:
    rows = session.scalars(select(SegmentRow).order_by(SegmentRow.document_id, SegmentRow.idx))
    return [convert.segment(r) for r in rows]


def list_all(session: Session) -> list[Document]:
    return [convert.document(r) for r in session.scalars(select(DocumentRow).order_by(DocumentRow.id))]


def participant_labels(session: Session, document_id: int) -> list[str]:
    query = (
        select(ParticipantRow.label)
        .join(DocumentParticipantRow, DocumentParticipantRow.participant_id == ParticipantRow.id)
        .where(DocumentParticipantRow.document_id == document_id)
        .order_by(ParticipantRow.label)
    )
    return list(session.scalars(query))


def summaries(session: Session) -> list[DocumentSummary]:
    seg_counts = dict(session.execute(select(SegmentRow.document_id, func.count()).group_by(SegmentRow.document_id)).all())
    coding_counts = dict(session.execute(select(CodingRow.document_id, func.count()).group_by(CodingRow.document_id)).all())
    labels: dict[int, list[str]] = {}
    query = select(DocumentParticipantRow.document_id, ParticipantRow.label).join(
        ParticipantRow, DocumentParticipantRow.participant_id == ParticipantRow.id
    )
    for doc_id, label in session.execute(query):
        labels.setdefault(doc_id, []).append(label)
    rows = session.execute(
        select(DocumentRow.id, DocumentRow.title, DocumentRow.kind, DocumentRow.word_count).order_by(DocumentRow.id)
    )
    return [
        DocumentSummary(
            id=i,
            title=t,
            kind=k,
            words=w,
            segments=seg_counts.get(i, 0),
            participants=tuple(sorted(labels.get(i, []))),
            codings=coding_counts.get(i, 0),
        )
        for i, t, k, w in rows
    ]
