"""Suggestion feedback and the autocode proposal queue, stored in the suggestion_feedback and proposals tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import InvalidInput
from qualcode.store import audit
from qualcode.store.orm import ProposalRow, SuggestionFeedbackRow

ACTIONS = ("accepted", "dismissed")
STATUSES = ("pending", "accepted", "rejected")


@dataclass(frozen=True, slots=True)
class Feedback:
    document_id: int
    start: int
    end: int
    code_id: int
    coder_id: int | None
    action: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """A code proposed by autocode for [start, end) of a document, waiting for a person's review."""

    id: int
    run: str
    document_id: int
    start: int
    end: int
    code_id: int
    score: float
    explanation: dict[str, Any]
    status: str
    created: datetime | None = None


def record(session: Session, item: Feedback, coder: str | None = None) -> int:
    """Store an analyst's answer to a suggestion, audited in the same transaction."""
    if item.action not in ACTIONS:
        raise InvalidInput(f"feedback action must be one of {', '.join(ACTIONS)}, not '{item.action}'")
    row = SuggestionFeedbackRow(
        document_id=item.document_id, start=item.start, end=item.end, code_id=item.code_id,
        coder_id=item.coder_id, action=item.action, score=item.score,
    )
    session.add(row)
    session.flush()
    audit.record(session, item.action, "suggestion", row.id, coder=coder,
                 after={"document_id": item.document_id, "start": item.start, "end": item.end, "code_id": item.code_id})
    return row.id


def dismissed(session: Session, coder_id: int | None = None) -> list[Feedback]:
    """Dismissed (excerpt, code) pairs, oldest first; a later acceptance of the same pair cancels one."""
    stmt = select(SuggestionFeedbackRow).order_by(SuggestionFeedbackRow.id)
    if coder_id is not None:
        stmt = stmt.where(SuggestionFeedbackRow.coder_id == coder_id)
    latest: dict[tuple[int, int, int, int], Feedback] = {}
    for r in session.scalars(stmt):
        latest[(r.document_id, r.start, r.end, r.code_id)] = Feedback(
            r.document_id, r.start, r.end, r.code_id, r.coder_id, r.action, r.score
        )
    return [f for f in latest.values() if f.action == "dismissed"]


def all_feedback(session: Session) -> list[Feedback]:
    rows = session.scalars(select(SuggestionFeedbackRow).order_by(SuggestionFeedbackRow.id))
    return [Feedback(r.document_id, r.start, r.end, r.code_id, r.coder_id, r.action, r.score) for r in rows]


def queue(session: Session, run: str, items: list[dict[str, Any]]) -> list[int]:
    """Add pending proposals of one autocode run; returns their ids."""
    rows = [ProposalRow(run=run, status="pending", **item) for item in items]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def proposals(session: Session, status: str | None = "pending", ids: list[int] | None = None) -> list[Proposal]:
    stmt = select(ProposalRow).order_by(ProposalRow.document_id, ProposalRow.start, ProposalRow.id)
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not '{status}'")
        stmt = stmt.where(ProposalRow.status == status)
    if ids is not None:
        stmt = stmt.where(ProposalRow.id.in_(ids))
    return [_proposal(r) for r in session.scalars(stmt)]


def set_status(session: Session, proposal_id: int, status: str, coder: str | None = None) -> Proposal:
    row = session.get(ProposalRow, proposal_id)
    if row is None:
        raise InvalidInput(f"no proposal with id {proposal_id}; see 'qualcode suggest proposals'")
    before = row.status
    row.status = status
    audit.record(session, "review", "proposal", row.id, coder=coder, before={"status": before}, after={"status": status})
    return _proposal(row)


def pending_keys(session: Session) -> set[tuple[int, int, int, int]]:
    """(document, start, end, code) of proposals still waiting, so a second run does not queue them twice."""
    rows = session.execute(
        select(ProposalRow.document_id, ProposalRow.start, ProposalRow.end, ProposalRow.code_id).where(ProposalRow.status == "pending")
    )
    return {tuple(r) for r in rows}


def _proposal(r: ProposalRow) -> Proposal:
    return Proposal(r.id, r.run, r.document_id, r.start, r.end, r.code_id, r.score, dict(r.explanation or {}), r.status, r.created)
