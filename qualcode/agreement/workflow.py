"""Agreement on a stored project: load codings column-wise, apply assignments, run and save audits, list rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.agreement.report import AgreementOptions, build_report, normalised
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.rounds import rounds_table
from qualcode.agreement.units import CodingArrays, UnitKind, default_assignments
from qualcode.domain.models import Code, Coder, Document, DocumentKind, Segment, SegmentKind
from qualcode.errors import InvalidInput, NotFound
from qualcode.store import audit, meta
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store.engine import Database
from qualcode.store.orm import AgreementAuditRow, AssignmentRow, CoderRow, CodingRow, DocumentRow, SegmentRow

CONSENSUS_CODER = "consensus"
"""The coder whose codings are adjudicated outcomes; left out of audits unless named."""


@dataclass(frozen=True, slots=True)
class AuditInputs:
    """Everything build_report needs, read from the store, plus where the assignments came from."""

    codings: CodingArrays
    segments: list[Segment]
    documents: list[Document]
    codes: list[Code]
    coders: list[Coder]
    assignments: dict[int, set[int]]
    segment_assignments: dict[int, set[int]] | None
    assignment_notes: tuple[str, ...]
    codebook_version: int


def coders_with_codings(session: Session) -> set[int]:
    return set(session.scalars(select(CodingRow.coder_id).distinct()))


def select_coders(session: Session, names: Sequence[str] | None, with_codings: set[int] | None = None) -> list[Coder]:
    """Named coders in the order given; by default every coder with codings except the consensus coder."""
    if names:
        chosen = [coder_repo.find(session, name.strip()) for name in names if name.strip()]
        if len({c.id for c in chosen}) != len(chosen):
            raise InvalidInput("each coder may be named only once")
    else:
        with_codings = coders_with_codings(session) if with_codings is None else with_codings
        chosen = [c for c in coder_repo.list_all(session) if c.id in with_codings and c.name != CONSENSUS_CODER]
    if len(chosen) < 2:
        found = ", ".join(c.name for c in chosen) or "none"
        raise InvalidInput(f"agreement needs two or more coders with codings (found: {found}); name them with --coders a,b")
    return chosen


def select_codes(session: Session, refs: Sequence[str] | None) -> list[Code]:
    """Named codes (paths or unique names); by default every code of the codebook, in tree order."""
    if not refs:
        codes = code_repo.list_all(session)
        if not codes:
            raise InvalidInput("the project has no codes; import a codebook first")
        return codes
    chosen = list({code.id: code for code in (code_repo.resolve(session, ref) for ref in refs if ref.strip())}.values())
    if not chosen:
        raise InvalidInput("--codes names no code")
    return chosen


def coding_arrays(session: Session, coder_ids: Sequence[int] | None = None) -> CodingArrays:
    """Codings (of the given coders, or all) as five int64 columns: document, start, end, code, coder.

    No ORM objects and no Row wrappers: on SQLite each column arrives as one comma-joined string that numpy
    parses in C (about three times faster than fetching a million tuples); other databases go through the
    driver cursor."""
    columns = (CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.code_id, CodingRow.coder_id)
    where = () if coder_ids is None else (CodingRow.coder_id.in_([int(i) for i in coder_ids]),)
    joined = _joined_columns(session, columns, where)
    if joined is not None:
        return CodingArrays(*(np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)
                              for text in joined))
    stmt = select(*columns).where(*where)
    connection = session.connection()
    # ids are integers we hold, so binding them as literals is safe and keeps the driver call dialect-neutral
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 5)
    return CodingArrays(*(np.ascontiguousarray(table[:, i]) for i in range(5)))


def _joined_columns(session: Session, columns, where=()) -> tuple[str, ...] | None:
    """On SQLite, each column as one comma-joined string (group_concat), or None elsewhere. The aggregates of
    one SELECT walk the same rows in the same order, so the columns stay aligned; the counts are checked."""
    if session.connection().dialect.name != "sqlite":
        return None
    joined = session.execute(select(*(func.group_concat(c) for c in columns)).where(*where)).one()
    if joined[0] is None:
        return tuple("" for _ in columns)
    if len({text.count(",") for text in joined}) != 1:
        return None
    return tuple(joined)


def load_documents(session: Session) -> list[Document]:
    rows = session.execute(select(DocumentRow.id, DocumentRow.title, DocumentRow.kind, DocumentRow.text)).all()
    return [Document(id=i, title=t, kind=DocumentKind(k), text=x) for i, t, k, x in rows]


def load_segments(session: Session) -> list[Segment]:
    columns = (SegmentRow.id, SegmentRow.document_id, SegmentRow.idx, SegmentRow.start, SegmentRow.end, SegmentRow.kind)
    kinds = {k.value: k for k in SegmentKind}
    joined = _joined_columns(session, columns)
    if joined is None:
        rows = session.execute(select(*columns)).all()
    elif not joined[0]:
        return []
    else:
        # segment kinds are enum values (turn, paragraph, answer): no commas to split on
        numbers = [np.fromstring(text, dtype=np.int64, sep=",").tolist() for text in joined[:5]]
        rows = zip(*numbers, joined[5].split(","))
    return [Segment(i, d, x, s, e, kinds[k]) for i, d, x, s, e, k in rows]


def load_assignments(
    session: Session, coders: Sequence[Coder], unit: UnitKind, segments: Sequence[Segment],
    codings: CodingArrays | None = None,
) -> tuple[dict[int, set[int]], dict[int, set[int]] | None, tuple[str, ...]]:
    """Who was asked to code what: the assignments table for coders who have rows in it, otherwise the
    documents in which the coder made at least one coding (of any code; ``codings`` must then hold every
    coding of these coders, or is read here). Returns (documents, segments or None, notes)."""
    ids = [c.id for c in coders]
    rows = session.execute(
        select(AssignmentRow.coder_id, AssignmentRow.document_id, AssignmentRow.segment_indexes).where(
            AssignmentRow.coder_id.in_(ids))
    ).all()
    documents: dict[int, set[int]] = {}
    sampled: dict[int, dict[int, list[int] | None]] = {}
    for coder_id, document_id, indexes in rows:
        documents.setdefault(coder_id, set()).add(document_id)
        sampled.setdefault(coder_id, {})[document_id] = indexes
    from_table = [c.name for c in coders if c.id in documents]
    by_coding = [c for c in coders if c.id not in documents]
    if by_coding:
        coded = default_assignments(codings if codings is not None else coding_arrays(session, [c.id for c in by_coding]))
        for coder in by_coding:
            documents[coder.id] = coded.get(coder.id, set())
    notes = []
    if from_table:
        notes.append(f"assignments from the project's assignment table for {', '.join(from_table)}")
    if by_coding:
        notes.append("no assignments recorded for " + ", ".join(c.name for c in by_coding)
                     + ": each was taken as assigned the documents in which they made at least one coding")
    has_samples = any(ix is not None for per_doc in sampled.values() for ix in per_doc.values())
    if not has_samples:
        return documents, None, tuple(notes)
    if unit is not UnitKind.SEGMENT:
        notes.append(f"segment samples were counted as whole documents for {unit} units")
        return documents, None, tuple(notes)
    by_doc: dict[int, dict[int, int]] = {}
    for seg in segments:
        by_doc.setdefault(seg.document_id, {})[seg.index] = seg.id
    segment_sets: dict[int, set[int]] = {}
    for coder in coders:
        chosen: set[int] = set()
        for document_id in documents.get(coder.id, ()):
            indexes = sampled.get(coder.id, {}).get(document_id)
            in_doc = by_doc.get(document_id, {})
            chosen.update(in_doc.values() if indexes is None else (in_doc[i] for i in indexes if i in in_doc))
        segment_sets[coder.id] = chosen
    return documents, segment_sets, tuple(notes)


def load_inputs(
    session: Session, *, unit: UnitKind | str = UnitKind.SEGMENT, coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> AuditInputs:
    """Read codings, segments, documents, codes, coders and assignments for one audit."""
    unit = normalised(AgreementOptions(unit=unit)).unit
    everyone = coders_with_codings(session)
    chosen_coders = select_coders(session, coders, everyone)
    chosen_codes = select_codes(session, codes)
    segments = load_segments(session) if unit is UnitKind.SEGMENT else []
    # every coding of the chosen coders, whatever the code: a coder's documents count as assigned when they coded
    # anything there; build_report keeps only the chosen codes
    ids = [c.id for c in chosen_coders]
    codings = coding_arrays(session, None if everyone <= set(ids) else ids)
    documents_of, segments_of, notes = load_assignments(session, chosen_coders, unit, segments, codings)
    return AuditInputs(codings, segments, load_documents(session), chosen_codes, chosen_coders, documents_of,
                       segments_of, notes, meta.codebook_version(session))


def run_audit(
    db: Database, *, unit: UnitKind | str = UnitKind.SEGMENT, coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None, min_overlap: float = 0.0, exclude_uncoded: bool = False,
    bootstrap_reps: int | None = None, seed: int | None = None, round_label: str | None = None, save: bool = False,
) -> AgreementReport:
    """Audit agreement on the project's codings; with ``save`` the report is stored as one audit round."""
    with db.reading() as session:
        inputs = load_inputs(session, unit=unit, coders=coders, codes=codes)
    options = AgreementOptions(
        unit=unit, min_overlap=min_overlap, exclude_uncoded=exclude_uncoded, assignments=inputs.assignments,
        segment_assignments=inputs.segment_assignments, codebook_version=inputs.codebook_version,
        round_label=round_label,
    )
    if bootstrap_reps is not None:
        options = replace(options, bootstrap_reps=bootstrap_reps)
    if seed is not None:
        options = replace(options, seed=seed)
    report = build_report(inputs.codings, inputs.segments, inputs.documents, inputs.codes, inputs.coders, options)
    report = with_assignment_notes(report, inputs.assignment_notes)
    if save:
        save_audit(db, report)
    return report


def with_assignment_notes(report: AgreementReport, notes: Sequence[str]) -> AgreementReport:
    """The report saying where its assignments came from (table or documents coded), in Method and Notes."""
    if not notes:
        return report
    return replace(report, options={**report.options, "assignments": "; ".join(notes)}, notes=report.notes + tuple(notes))


def save_audit(db: Database, report: AgreementReport) -> int:
    """Store the report (JSON) with its codebook version and unit; returns the audit id."""
    data = report.to_dict()
    with db.transaction() as session:
        version = report.codebook_version if report.codebook_version is not None else meta.codebook_version(session)
        row = AgreementAuditRow(codebook_version=version, unit=str(report.unit), options=data["options"], report=data)
        session.add(row)
        session.flush()
        audit.record(session, "add", "agreement_audit", row.id,
                     after={"unit": str(report.unit), "codebook_version": version, "coders": list(report.coders),
                            "median": data["summary"]["median"]})
        return row.id


def stored_audits(session: Session, unit: UnitKind | str | None = None) -> list[dict]:
    """Saved reports, oldest first, each with its audit id under "audit_id"."""
    stmt = select(AgreementAuditRow.id, AgreementAuditRow.report).order_by(AgreementAuditRow.id)
    if unit is not None:
        stmt = stmt.where(AgreementAuditRow.unit == str(normalised(AgreementOptions(unit=unit)).unit))
    return [{**report, "audit_id": audit_id} for audit_id, report in session.execute(stmt).all()]


def rounds(db: Database, *, unit: UnitKind | str | None = None, every_audit: bool = False,
           coefficient: str | None = None) -> dict:
    """Agreement per code across saved audits: by default the latest audit of each codebook version, all of one
    unit (the unit of the most recent audit unless given), so the table shows the codebook's refinement."""
    with db.reading() as session:
        saved = stored_audits(session)
    if not saved:
        raise NotFound("no saved agreement audits; run 'qualcode agreement report --save' after each round")
    unit_name = str(normalised(AgreementOptions(unit=unit)).unit) if unit is not None else saved[-1]["unit"]
    saved = [r for r in saved if r["unit"] == unit_name]
    if not saved:
        raise NotFound(f"no saved agreement audits with {unit_name} units")
    if not every_audit:
        latest: dict[object, dict] = {}
        for report in saved:  # oldest first, so the last one of a version wins
            latest[report.get("codebook_version")] = report
        saved = list(latest.values())
    table = rounds_table(saved, coefficient)
    table["unit"] = unit_name
    for column, report in zip(table["rounds"], sorted(saved, key=lambda r: r["timestamp"])):
        column["audit_id"] = report["audit_id"]
        column["coders"] = report["coders"]
    return table


def coder_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(CoderRow.id, CoderRow.name)).all())
