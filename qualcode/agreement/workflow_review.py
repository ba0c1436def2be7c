"""Adjudication on a stored project: disputed units with each coder's codes, resolved into consensus codings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.agreement.disagreements import Disagreement, disagreements_in
from qualcode.agreement.report import AgreementOptions, build_units, normalised
from qualcode.agreement.units import UnitKind
from qualcode.agreement.workflow import CONSENSUS_CODER, coder_names, load_inputs
from qualcode.agreement.workflow_assign import require_revealed
from qualcode.coding import CodingService
from qualcode.domain.models import Code, Coding, MemoTarget, Provenance
from qualcode.errors import Conflict, InvalidInput, NotFound
from qualcode.store import audit
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store import memos as memo_repo
from qualcode.store.engine import Database
from qualcode.store.orm import AuditRow, CodeRow, CodingRow, DocumentRow, SegmentRow

RESOLUTION_ENTITY = "agreement_unit"
_SPAN = re.compile(r"^D(\d+):(\d+)-(\d+)$")


def unit_ref(item: Disagreement) -> str:
    """A stable id for a unit: S<segment id> for segments, D<document id>:<start>-<end> otherwise."""
    if item.segment_id is not None and item.segment_id >= 0:
        return f"S{item.segment_id}"
    return f"D{item.document_id}:{item.start}-{item.end}"


@dataclass(frozen=True, slots=True)
class Review:
    """Disputed units with the names needed to show them, and the resolutions recorded so far."""

    items: list[Disagreement]
    code_names: dict[int, str]  # code id -> path
    coder_names: dict[int, str]
    titles: dict[int, str]
    resolutions: dict[str, dict]  # unit ref -> latest resolution

    def to_dicts(self) -> list[dict]:
        out = []
        for item in self.items:
            ref = unit_ref(item)
            data = item.to_dict(self.code_names, self.coder_names)
            out.append({"unit_id": ref, "document": self.titles.get(item.document_id), **data,
                        "resolution": self.resolutions.get(ref)})
        return out


def review(
    db: Database, *, unit: UnitKind | str = UnitKind.SEGMENT, coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None, min_overlap: float = 0.0, code: str | None = None,
) -> Review:
    """Every disputed unit (optionally only those where ``code`` is disputed), under the report's unit rules."""
    with db.reading() as session:
        require_revealed(session, "listing disagreements")
        kind = normalised(AgreementOptions(unit=unit)).unit
        kind = UnitKind.CHARACTER if kind is UnitKind.UNITIZED else kind
        inputs = load_inputs(session, unit=kind, coders=coders, codes=codes)
        only = code_repo.resolve(session, code).id if code else None
        names = coder_names(session)
        resolutions = resolution_log(session)
    options = AgreementOptions(unit=kind, min_overlap=min_overlap, segment_assignments=inputs.segment_assignments)
    units = build_units(inputs.codings, inputs.segments, inputs.documents, [c.id for c in inputs.codes],
                        [k.id for k in inputs.coders], options, inputs.assignments)
    items = disagreements_in(units, inputs.documents)
    if only is not None:
        items = [item for item in items if only in item.disputed]
    return Review(items, {c.id: c.path for c in inputs.codes}, names, {d.id: d.title for d in inputs.documents},
                  resolutions)


def resolution_log(session: Session) -> dict[str, dict]:
    """The latest recorded resolution of each unit, from the append-only audit log."""
    rows = session.scalars(select(AuditRow.after).where(AuditRow.entity == RESOLUTION_ENTITY).order_by(AuditRow.id))
    return {after["unit_id"]: after for after in rows if after and "unit_id" in after}


@dataclass(frozen=True, slots=True)
class Resolution:
    unit_id: str
    document_id: int
    start: int
    end: int
    codes: tuple[str, ...]
    added: tuple[Coding, ...]
    removed: tuple[int, ...]
    memo_ids: tuple[int, ...]
    coders: dict[str, list[str]]  # what each coder had applied to the unit


def locate(session: Session, ref: str) -> tuple[int, int, int, int | None]:
    """(document id, start, end, segment id) of a unit id as shown by `agreement disagreements`."""
    text = ref.strip()
    if text.isdigit() or (text[:1] in "Ss" and text[1:].isdigit()):
        segment_id = int(text.lstrip("Ss"))
        row = session.execute(select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
                              .where(SegmentRow.id == segment_id)).first()
        if row is None:
            raise NotFound(f"no segment {segment_id}; unit ids are listed by 'qualcode agreement disagreements'")
        return row.document_id, row.start, row.end, segment_id
    match = _SPAN.match(text)
    if not match:
        raise InvalidInput(f"unit id {ref!r} is neither S<segment> nor D<document>:<start>-<end>")
    doc_id, start, end = (int(g) for g in match.groups())
    length = session.scalar(select(DocumentRow.text).where(DocumentRow.id == doc_id))
    if length is None:
        raise NotFound(f"no document {doc_id}")
    if not 0 <= start < end <= len(length):
        raise InvalidInput(f"span {start}-{end} is outside document {doc_id} (0-{len(length)})")
    return doc_id, start, end, None


def coders_on_unit(session: Session, doc_id: int, start: int, end: int) -> dict[str, list[str]]:
    """What each coder (not the consensus coder) applied over the unit: codings overlapping it by any amount."""
    rows = session.execute(
        select(CodingRow.coder_id, CodeRow.id).join(CodeRow, CodeRow.id == CodingRow.code_id).where(
            CodingRow.document_id == doc_id, CodingRow.start < end, CodingRow.end > start)
    ).all()
    names = coder_names(session)
    paths = {c.id: c.path for c in code_repo.list_all(session)}
    out: dict[str, list[str]] = {}
    for coder_id, code_id in rows:
        name = names[coder_id]
        if name != CONSENSUS_CODER:
            out.setdefault(name, [])
            if paths[code_id] not in out[name]:
                out[name].append(paths[code_id])
    return {name: sorted(paths_) for name, paths_ in sorted(out.items())}


def resolve(
    db: Database, unit_id: str, codes: Sequence[str], *, note: str | None = None,
    note_codes: Sequence[str] | None = None, reviewer: str | None = None,
) -> Resolution:
    """Settle one unit: the consensus coder's codings over it become exactly ``codes`` (provenance consensus),
    the decision is logged, and ``note`` becomes a memo on the disputed codes (or ``note_codes``) for the codebook."""
    with db.reading() as session:
        require_revealed(session, "adjudicating")
        doc_id, start, end, _ = locate(session, unit_id)
        chosen: list[Code] = list({c.id: c for c in (code_repo.resolve(session, r) for r in codes if r.strip())}.values())
        before = coders_on_unit(session, doc_id, start, end)
        # a codebook note belongs on the codes the coders disagreed about, unless the reviewer names others
        noted = [code_repo.resolve(session, r) for r in (note_codes or _disputed(before)) if r.strip()] or chosen
        if reviewer is not None:
            coder_repo.find(session, reviewer)
    if note and not noted:
        raise InvalidInput("a note needs a code to attach to: name one with --note-code")
    ref = unit_id.strip().upper() if not unit_id.strip().isdigit() else f"S{unit_id.strip()}"
    _require_disputed(db, ref)
    service = CodingService(db, CONSENSUS_CODER)
    memo = "adjudicated from " + ("; ".join(f"{k}: {', '.join(v) or '(none)'}" for k, v in before.items()) or "no codings")
    if note:
        memo += f". Note: {note}"
    with db.reading() as session:
        existing = session.execute(
            select(CodingRow.id, CodingRow.code_id).where(
                CodingRow.coder_id == service.coder.id, CodingRow.document_id == doc_id, CodingRow.start == start,
                CodingRow.end == end)
        ).all()
    keep = {c.id for c in chosen}
    removed = tuple(service.remove(cid).id for cid, code_id in existing if code_id not in keep)
    have = {code_id for _, code_id in existing}
    added = tuple(service.apply(doc_id, start, end, c.id, provenance=Provenance.CONSENSUS, memo=memo)
                  for c in chosen if c.id not in have)
    with db.transaction() as session:
        memo_ids = tuple(_code_memo(session, code, note, ref, reviewer or CONSENSUS_CODER) for code in noted) if note else ()
        audit.record(session, "resolve", RESOLUTION_ENTITY, None, coder=reviewer or CONSENSUS_CODER,
                     after={"unit_id": ref, "document_id": doc_id, "start": start, "end": end,
                            "codes": [c.path for c in chosen], "coders": before, "note": note, "reviewer": reviewer})
    return Resolution(ref, doc_id, start, end, tuple(c.path for c in chosen), added, removed, memo_ids, before)


def _require_disputed(db: Database, ref: str) -> None:
    """Only a unit the coders disagree on (or one already resolved) can be adjudicated."""
    with db.reading() as session:
        if ref in resolution_log(session):
            return
    kinds = (UnitKind.SEGMENT,) if ref.startswith("S") else (UnitKind.CHARACTER, UnitKind.DOCUMENT)
    for kind in kinds:
        if any(unit_ref(item) == ref for item in review(db, unit=kind).items):
            return
    raise Conflict(f"{ref} is not a disputed unit: its coders agree on it, or fewer than two coded it "
                   "(disputed units are listed by 'qualcode agreement disagreements')")


def _disputed(before: dict[str, list[str]]) -> list[str]:
    sets = [set(v) for v in before.values()]
    if len(sets) < 2:
        return []
    return sorted(set.union(*sets) - set.intersection(*sets))


def _code_memo(session: Session, code: Code, note: str, ref: str, author: str) -> int:
    author_id = next((c.id for c in coder_repo.list_all(session) if c.name == author), None)
    memo = memo_repo.add(
        session, target=MemoTarget.CODE, target_id=code.id, title=f"Adjudication note ({ref})", text=note,
        coder_id=author_id, coder=author, audit_text=True,
    )
    return memo.id


def code_notes(session: Session, code_id: int) -> list[dict]:
    """Memos on a code (codebook notes), oldest first."""
    return [
        {"id": m.id, "title": m.title, "text": m.text, "created": m.created}
        for m in memo_repo.for_target(session, MemoTarget.CODE, code_id)
    ]


def add_code_notes(db: Database, unit_id: str, note: str, code_refs: Sequence[str | int], author: str | None = None) -> list[int]:
    """Attach a codebook note to codes (memos with target "code"), naming the unit it came from."""
    if not note.strip():
        raise InvalidInput("the note is empty")
    with db.transaction() as session:
        codes = [code_repo.resolve(session, ref) for ref in code_refs]
        if not codes:
            raise InvalidInput("a note needs a code to attach to")
        return [_code_memo(session, code, note.strip(), unit_id, author or CONSENSUS_CODER) for code in codes]
