"""Autocode: run the suggester over segments and queue proposals for review; nothing is applied unreviewed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from qualcode.domain import Coding, Provenance
from qualcode.errors import Conflict, InvalidInput
from qualcode.nlp.suggest import feedback
from qualcode.nlp.suggest.service import ProjectSuggester
from qualcode.store import audit
from qualcode.store import documents as doc_repo
from qualcode.store.engine import Database


@dataclass(slots=True)
class AutocodeRun:
    run: str
    threshold: float
    segments: int = 0
    queued: int = 0
    already_coded: int = 0
    already_pending: int = 0
    proposal_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ReviewResult:
    accepted: list[Coding] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)


def autocode(
    db: Database, suggester: ProjectSuggester, threshold: float, coder: str, document: str | int | None = None, top_k: int = 5
) -> AutocodeRun:
    """Queue a proposal for every (segment, code) whose confidence reaches `threshold`, unless already coded or queued."""
    if not 0 < threshold <= 1:
        raise InvalidInput(f"--threshold must be in (0, 1], not {threshold}")
    corpus = suggester.corpus
    segments = corpus.segments
    if document is not None:
        with db.reading() as session:
            doc_id = doc_repo.resolve(session, document).id
        segments = [s for s in segments if s.document_id == doc_id]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    result = AutocodeRun(run=f"{stamp}-{uuid.uuid4().hex[:6]}", threshold=threshold, segments=len(segments))
    ranked = suggester.suggest_many(segments, top_k=top_k)
    with db.transaction() as session:
        pending = feedback.pending_keys(session)
        items = []
        for segment, suggestions in zip(segments, ranked, strict=True):
            for s in suggestions:
                if s.confidence < threshold:
                    continue
                key = (segment.document_id, segment.start, segment.end, s.code_id)
                if s.code_id in segment.codes:
                    result.already_coded += 1
                elif key in pending:
                    result.already_pending += 1
                else:
                    items.append(
                        {"document_id": segment.document_id, "start": segment.start, "end": segment.end,
                         "code_id": s.code_id, "score": s.confidence, "explanation": explanation(s, segment.segment_index)}
                    )
                    pending.add(key)
        result.proposal_ids = feedback.queue(session, result.run, items)
        result.queued = len(items)
        audit.record(session, "autocode", "proposal_run", None, coder=coder,
                     after={"run": result.run, "threshold": threshold, "queued": result.queued})
    return result


def explanation(suggestion, segment_index: int | None) -> dict:
    """What a reviewer sees next to a proposal (stored in the proposal's JSON column)."""
    return {
        "code_path": suggestion.code_path,
        "segment": segment_index,
        "keywords": list(suggestion.keywords),
        "features": list(suggestion.features),
        "similar": [{"document_id": e.document_id, "segment": e.segment_index} for e in suggestion.similar],
        "components": dict(suggestion.components),
        "summary": suggestion.explanation(),
    }


def review(
    db: Database, coder: str, accept: list[int] = (), reject: list[int] = (), accept_all: bool = False
) -> ReviewResult:
    """Accept proposals (a coding with provenance AUTOCODE via the coding service) or reject them (learned)."""
    from qualcode.coding import CodingService

    accept, reject = list(accept), list(reject)
    if set(accept) & set(reject):
        raise InvalidInput("a proposal cannot be both accepted and rejected: " + ", ".join(map(str, sorted(set(accept) & set(reject)))))
    if not (accept or reject or accept_all):
        raise InvalidInput("nothing to review: give --accept ID, --reject ID or --accept-all")
    with db.reading() as session:
        if accept_all:
            accept = sorted({p.id for p in feedback.proposals(session, "pending")} - set(reject))
        wanted = accept + reject
        found = {p.id: p for p in feedback.proposals(session, None, ids=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInput("no proposal with id " + ", ".join(map(str, missing)) + "; see 'qualcode suggest proposals'")
    done = [i for i in wanted if found[i].status != "pending"]
    if done:
        raise Conflict("already reviewed: proposal " + ", ".join(f"{i} ({found[i].status})" for i in done))
    service = CodingService(db, coder)
    result = ReviewResult()
    for pid in accept:
        p = found[pid]
        result.accepted.append(service.apply(p.document_id, p.start, p.end, p.code_id, provenance=Provenance.AUTOCODE))
        with db.transaction() as session:
            feedback.set_status(session, pid, "accepted", coder)
            feedback.record(session, feedback.Feedback(p.document_id, p.start, p.end, p.code_id, service.coder.id, "accepted", p.score), coder)
    if reject:
        with db.transaction() as session:
            for pid in reject:
                p = found[pid]
                feedback.set_status(session, pid, "rejected", coder)
                feedback.record(session, feedback.Feedback(p.document_id, p.start, p.end, p.code_id, service.coder.id, "dismissed", p.score), coder)
                result.rejected.append(pid)
    return result
