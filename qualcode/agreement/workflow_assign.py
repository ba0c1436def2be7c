"""Double coding set-up: assign documents or a seeded sample of segments to coders; blind mode and reveal."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcode.errors import InvalidInput, PermissionDenied
from qualcode.store import audit, meta
from qualcode.store import coders as coder_repo
from qualcode.store import documents as doc_repo
from qualcode.store.engine import Database
from qualcode.store.orm import AssignmentRow, CoderRow, DocumentRow, SegmentRow


@dataclass(frozen=True, slots=True)
class AssignmentPlan:
    """What `assign` wrote: coders, and per document title the sampled segment indexes (None = whole)."""

    coders: tuple[str, ...]
    documents: dict[str, list[int] | None]
    seed: int | None = None
    new_coders: tuple[str, ...] = field(default=())

    @property
    def n_segments(self) -> int | None:
        counts = [len(ix) for ix in self.documents.values() if ix is not None]
        return sum(counts) if counts else None


def _names(values: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not names:
        raise InvalidInput("name at least one coder, e.g. --coders alex,sam")
    return names


def assign(
    db: Database, coders: Sequence[str], *, documents: Sequence[str] | None = None, sample_segments: int | None = None,
    seed: int | None = None, replace_existing: bool = False, actor: str | None = None,
) -> AssignmentPlan:
    """Give every named coder the same documents, or the same seeded random sample of segments (drawn from the
    named documents, or from the whole project), for double coding. A coder named for the first time is added."""
    names = _names(coders)
    if not documents and sample_segments is None:
        raise InvalidInput("say what to assign: --docs D1,D2 or --sample-segments N")
    if sample_segments is not None and sample_segments < 1:
        raise InvalidInput("--sample-segments must be 1 or more")
    with db.transaction() as session:
        _check_owner(session, actor, "assign coding")
        known = {c.name for c in coder_repo.list_all(session)}
        people = [coder_repo.get_or_add(session, name) for name in names]
        doc_ids = [doc_repo.resolve(session, ref).id for ref in dict.fromkeys(documents or ())]
        if sample_segments is not None:
            seed = secrets.randbelow(2**31) if seed is None else seed
            plan = _sample(session, doc_ids, sample_segments, seed)
        else:
            plan, seed = {doc_id: None for doc_id in doc_ids}, None
        if replace_existing:
            session.execute(delete(AssignmentRow).where(AssignmentRow.coder_id.in_([p.id for p in people])))
        for person in people:
            for doc_id, indexes in plan.items():
                row = session.get(AssignmentRow, (person.id, doc_id))
                if row is None:
                    session.add(AssignmentRow(coder_id=person.id, document_id=doc_id, segment_indexes=indexes))
                else:
                    row.segment_indexes = indexes
        titles = dict(session.execute(select(DocumentRow.id, DocumentRow.title).where(DocumentRow.id.in_(plan))).all())
        result = AssignmentPlan(tuple(names), {titles[d]: ix for d, ix in plan.items()}, seed,
                                tuple(n for n in names if n not in known))
        audit.record(session, "assign", "assignment", None, coder=actor,
                     after={"coders": names, "documents": result.documents, "seed": seed, "replace": replace_existing})
        return result


def _sample(session: Session, doc_ids: Sequence[int], n: int, seed: int) -> dict[int, list[int]]:
    stmt = select(SegmentRow.document_id, SegmentRow.idx).where(SegmentRow.end > SegmentRow.start)
    if doc_ids:
        stmt = stmt.where(SegmentRow.document_id.in_(doc_ids))
    return sample_plan([tuple(r) for r in session.execute(stmt).all()], n, seed)


def sample_plan(population: Sequence[tuple[int, int]], n: int, seed: int) -> dict[int, list[int]]:
    """n distinct (document id, segment index) pairs drawn with ``seed``, as document id -> sorted indexes.
    The population is sorted first, so the same project and seed always give the same sample."""
    ordered = sorted(set(population))
    if n > len(ordered):
        raise InvalidInput(f"cannot sample {n} segments: only {len(ordered)} in scope")
    picked = np.random.default_rng(seed).choice(len(ordered), size=n, replace=False)
    plan: dict[int, list[int]] = {}
    for i in sorted(picked.tolist()):
        doc_id, idx = ordered[i]
        plan.setdefault(doc_id, []).append(idx)
    return plan


def list_assignments(session: Session) -> list[dict]:
    """Every assignment: coder, document, and the sampled segment indexes or None for the whole document."""
    rows = session.execute(
        select(CoderRow.name, DocumentRow.title, AssignmentRow.segment_indexes)
        .join(CoderRow, CoderRow.id == AssignmentRow.coder_id)
        .join(DocumentRow, DocumentRow.id == AssignmentRow.document_id)
        .order_by(CoderRow.name, DocumentRow.title)
    ).all()
    return [{"coder": c, "document": d, "segments": ix} for c, d, ix in rows]


def clear_assignments(db: Database, coders: Sequence[str], actor: str | None = None) -> int:
    """Remove every assignment of the named coders; returns how many rows went."""
    names = _names(coders)
    with db.transaction() as session:
        _check_owner(session, actor, "change assignments")
        ids = [coder_repo.find(session, name).id for name in names]
        gone = session.execute(delete(AssignmentRow).where(AssignmentRow.coder_id.in_(ids))).rowcount or 0
        audit.record(session, "unassign", "assignment", None, coder=actor, after={"coders": names, "removed": gone})
        return gone


def project_owner(session: Session) -> str | None:
    """project_meta "owner", else the first coder ever added (the rule the workbench uses)."""
    owner = meta.get(session, "owner")
    if owner:
        return owner
    first = session.scalar(select(CoderRow.name).order_by(CoderRow.id).limit(1))
    return first


def _check_owner(session: Session, actor: str | None, what: str) -> None:
    from qualcode.store.team import require_owner

    # In team mode the database role decides, whatever name is claimed; the database refuses too.
    require_owner(session, what)
    # Identity is only known when the caller names a coder; then only the owner may change the study design.
    if actor is None:
        return
    owner = project_owner(session)
    if owner is not None and owner != actor:
        raise PermissionDenied(f"only the project owner ({owner}) can {what}")


def blind_state(session: Session) -> dict[str, bool]:
    blind = meta.get(session, "blind_mode") == "on"
    revealed = meta.get(session, "revealed") == "on"
    return {"blind_mode": blind, "revealed": revealed, "hidden": blind and not revealed}


def set_blind(db: Database, on: bool, actor: str | None = None) -> dict[str, bool]:
    """Blind mode on hides other coders' codings in the workbench until reveal; turning it on starts unrevealed."""
    with db.transaction() as session:
        _check_owner(session, actor, "change blind mode")
        changes = {"blind_mode": "on" if on else "off"}
        if on:
            changes["revealed"] = "off"
        for key, value in changes.items():
            meta.put(session, key, value)
        audit.record(session, "update", "project", None, coder=actor, after=changes)
        session.flush()
        return blind_state(session)


def reveal(db: Database, actor: str | None = None) -> dict[str, bool]:
    """Let every coder see everyone's codings (the end of a blind round)."""
    with db.transaction() as session:
        _check_owner(session, actor, "reveal coders' work")
        meta.put(session, "revealed", "on")
        audit.record(session, "update", "project", None, coder=actor, after={"revealed": "on"})
        session.flush()
        return blind_state(session)


def require_revealed(session: Session, what: str) -> None:
    """Showing one coder's codes to another breaks blinding: refuse while blind mode hides them."""
    if blind_state(session)["hidden"]:
        raise PermissionDenied(f"blind mode is on: {what} would show coders each other's codes; "
                               "run 'qualcode agreement reveal' first")
