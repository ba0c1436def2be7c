"""Whole-project operations: copy between backends, online backup, and an integrity check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from qualcode.errors import Conflict, InvalidInput
from qualcode.store.engine import Database, backup_to
from qualcode.store.locate import sqlite_path
from qualcode.store.orm import AuditRow, Base, CodingRow, DocumentRow, SegmentRow

# Rows are copied in foreign-key order; ids are kept so GUIDs, offsets and the audit log still agree.
COPY_BATCH = 5000


@dataclass(slots=True)
class CopyResult:
    tables: dict[str, int]


def copy_project(source: Database, target_url: str) -> CopyResult:
    """Copy every table into an empty project at target_url (SQLite <-> PostgreSQL), losslessly."""
    target = Database(target_url, create=True)
    try:
        with target.reading() as session:
            if session.scalar(select(func.count()).select_from(DocumentRow)) or session.scalar(
                select(func.count()).select_from(CodingRow)
            ):
                raise Conflict(f"the target project is not empty: {target_url}")
        counts: dict[str, int] = {}
        tables = [t for t in Base.metadata.sorted_tables]
        with source.reading() as src, target.transaction() as dst:
            # The new schema seeded project_meta; the source's settings replace it.
            dst.execute(Base.metadata.tables["project_meta"].delete())
            for table in tables:
                rows = src.execute(select(table)).mappings()
                batch, total = [], 0
                for row in rows:
                    batch.append(dict(row))
                    if len(batch) >= COPY_BATCH:
                        dst.execute(table.insert(), batch)
                        total += len(batch)
                        batch = []
                if batch:
                    dst.execute(table.insert(), batch)
                    total += len(batch)
                counts[table.name] = total
            if target.dialect == "postgresql":
                _reset_sequences(dst, tables)
        return CopyResult(counts)
    finally:
        target.dispose()


def _reset_sequences(session, tables) -> None:
    for table in tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def backup_project(db: Database, to: Path | None = None) -> Path:
    """SQLite online backup (safe while coders keep working); PostgreSQL teams use pg_dump."""
    path = sqlite_path(db.url)
    if path is None:
        raise InvalidInput(
            "backups of a PostgreSQL project are made with pg_dump, e.g. "
            "pg_dump --format=custom --file=study.dump DBNAME (restore with pg_restore)"
        )
    if to is None:
        backup = db.backup_sqlite("backup")
        assert backup is not None
        return backup
    target = Path(to)
    if target.exists():
        raise Conflict(f"{target} exists; choose a new file name")
    backup_to(path, target)
    return target


@dataclass(slots=True)
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_project(db: Database) -> CheckReport:
    """Integrity, orphans, offsets within text, search index, and the audit log against the codings."""
    report = CheckReport()
    if db.dialect == "sqlite":
        _check_search_index(db, report)
    with db.reading() as session:
        _snapshot(session)
        if db.dialect == "sqlite":
            result = session.execute(text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                report.problems.extend(f"integrity: {r}" for r in result[:20])
            for row in session.execute(text("PRAGMA foreign_key_check")).all()[:20]:
                report.problems.append(f"foreign key: {tuple(row)}")
        lengths: dict[int, int] = dict(session.execute(select(DocumentRow.id, func.length(DocumentRow.text))).all())
        report.checked["documents"] = len(lengths)
        bad_segments = 0
        for doc_id, start, end in session.execute(select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)):
            if not (0 <= start < end <= lengths.get(doc_id, -1)):
                bad_segments += 1
        if bad_segments:
            report.problems.append(f"{bad_segments} segment(s) with offsets outside their document")
        imported = {
            entity_id: (after or {}).get("segments")
            for entity_id, after in session.execute(
                select(AuditRow.entity_id, AuditRow.after).where(AuditRow.entity == "document", AuditRow.action == "import")
            )
        }
        counts = dict(session.execute(select(SegmentRow.document_id, func.count()).group_by(SegmentRow.document_id)).all())
        half = [d for d in lengths if imported.get(d) is not None and counts.get(d, 0) != imported[d]]
        if half:
            report.problems.append(f"{len(half)} document(s) with fewer segments than were imported, e.g. {half[:5]}")
        codings = session.execute(select(CodingRow.id, CodingRow.document_id, CodingRow.start, CodingRow.end)).all()
        report.checked["codings"] = len(codings)
        bad = [c.id for c in codings if not (0 <= c.start < c.end <= lengths.get(c.document_id, -1))]
        if bad:
            report.problems.append(f"{len(bad)} coding(s) with offsets outside their document, e.g. {bad[:5]}")
        expected = audited_coding_ids(session)
        present = {c.id for c in codings}
        if present - expected:
            report.problems.append(f"{len(present - expected)} coding(s) missing from the audit log, e.g. {sorted(present - expected)[:5]}")
        if expected - present:
            report.problems.append(f"{len(expected - present)} audited coding(s) missing, e.g. {sorted(expected - present)[:5]}")
    return report


def _snapshot(session) -> None:
    """Every query of the check sees one moment, so others' commits mid-check cannot look like damage.

    SQLite: the read transaction (BEGIN) fixes its WAL snapshot at the first read. PostgreSQL:
    REPEATABLE READ, read only; the default READ COMMITTED would read codings and the audit log at
    different moments.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        session.execute(text("SET TRANSACTION READ ONLY"))


def _check_search_index(db: Database, report: CheckReport) -> None:
    """FTS5's integrity-check is a write statement: run it in its own write transaction, which waits
    for the write lock like any writer, not inside the read snapshot (which SQLite cannot upgrade
    once others have committed: 'database is locked')."""
    try:
        with db.transaction() as session:
            # rank 1: also compare the index with the segments it was built from (external content).
            session.execute(text("INSERT INTO segments_fts(segments_fts, rank) VALUES ('integrity-check', 1)"))
    except DBAPIError as exc:  # a damaged index raises; reported, not raised
        message = str(exc.orig)
        if "locked" in message or "busy" in message:
            report.problems.append(f"search index not checked: the project stayed busy ({message})")
        else:
            report.problems.append(f"search index: {message}")


def audited_coding_ids(session) -> set[int]:
    """Replay the audit log: which codings should exist now."""
    alive: set[int] = set()
    rows = session.execute(
        select(AuditRow.action, AuditRow.entity_id, AuditRow.after).where(AuditRow.entity == "coding").order_by(AuditRow.id)
    )
    for action, entity_id, after in rows:
        if action == "add":
            alive.add(entity_id)
        elif action == "delete":
            alive.discard(entity_id)
        elif action in ("undo", "redo"):
            if (after or {}).get("state") is None:
                alive.discard(entity_id)
            else:
                alive.add(entity_id)
    return alive
