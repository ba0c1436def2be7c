"""The three column reads behind excerpt retrieval: the codings of some codes, their documents, their turns.

Column rows, not ORM objects: thousands of excerpts must come back in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store.orm import CodingRow, DocumentRow, SegmentRow


@dataclass(frozen=True, slots=True)
class ExcerptRows:
    codings: dict[int, list[Any]]  # document id -> (document_id, start, end, code_id, coder_id) rows
    documents: dict[int, Any]  # document id -> (id, title, kind, text)
    turns: dict[int, list[Any]]  # document id -> (document_id, start, speaker, participant_id), by start


def excerpt_rows(
    session: Session, code_ids: tuple[int, ...], coder_ids: tuple[int, ...] | None, kinds: tuple[str, ...] | None
) -> ExcerptRows:
    stmt = select(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.code_id, CodingRow.coder_id).where(
        CodingRow.code_id.in_(code_ids)
    )
    if coder_ids is not None:
        stmt = stmt.where(CodingRow.coder_id.in_(coder_ids))
    by_doc: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(stmt):
        by_doc[row.document_id].append(row)
    doc_stmt = select(DocumentRow.id, DocumentRow.title, DocumentRow.kind, DocumentRow.text).where(DocumentRow.id.in_(list(by_doc)))
    if kinds:
        doc_stmt = doc_stmt.where(DocumentRow.kind.in_(kinds))
    docs = {doc.id: doc for doc in session.execute(doc_stmt)}
    turns: dict[int, list[Any]] = defaultdict(list)
    turn_stmt = (
        select(SegmentRow.document_id, SegmentRow.start, SegmentRow.speaker, SegmentRow.participant_id)
        .where(SegmentRow.document_id.in_(list(docs)))
        .order_by(SegmentRow.document_id, SegmentRow.start)
    )
    for turn in session.execute(turn_stmt):
        turns[turn.document_id].append(turn)
    return ExcerptRows(by_doc, docs, turns)
