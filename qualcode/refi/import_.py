"""Import a REFI-QDA .qdpx/.qdc into a new project or merge it into an existing one, all or nothing."""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import make_url, select

from qualcode.errors import Conflict, ImportRefused
from qualcode.refi.apply import Applier
from qualcode.refi.reader import read_refi
from qualcode.store import meta
from qualcode.store.engine import Database, sqlite_path
from qualcode.store.orm import CodeRow, DocumentRow

SUFFIXES = (".qdpx", ".qdc", ".qde")


@dataclass(slots=True)
class ImportReport:
    file: str
    origin: str
    project: str
    merged: bool
    codes_added: int = 0
    codes_matched: int = 0
    documents_added: int = 0
    documents_matched: int = 0
    codings_added: int = 0
    codings_skipped: int = 0
    coders_added: int = 0
    participants_added: int = 0
    memos_added: int = 0  # memo rows: project, document, code and coding memos
    coding_memos_added: int = 0  # a coding's own memo, or a memo row on a coding
    document_memos_added: int = 0
    sets_added: int = 0
    utf16_offsets: bool = False
    warnings: list[str] = field(default_factory=list)


def import_file(path: Path, *, url: str, merge: bool = False, coder: str | None = None, strict: bool = False) -> ImportReport:
    """Read and check the whole file first; then write it in one transaction (a new project appears
    only when complete). `strict`: refuse offsets that would need repairing instead of warning."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ImportRefused(f"{path.name}: expected a .qdpx project or .qdc codebook")
    project = read_refi(path, strict=strict)
    report = ImportReport(file=path.name, origin=project.origin, project=_label(url), merged=merge,
                          utf16_offsets=project.utf16_offsets, warnings=list(project.warnings))
    if merge:
        db = Database(url)
        try:
            with db.transaction() as session:
                Applier(session, project, report, coder).run()
        finally:
            db.dispose()
        return report
    _import_new(url, project, report, coder)
    return report


def _import_new(url: str, project, report: ImportReport, coder: str | None) -> None:
    target = sqlite_path(url)
    if target is None:
        db = Database(url, create=True)
        try:
            with db.transaction() as session:
                if session.scalar(select(DocumentRow.id).limit(1)) or session.scalar(select(CodeRow.id).limit(1)):
                    raise Conflict("that database already holds a project; add --merge to merge into it")
                _fill(session, project, report, coder)
        finally:
            db.dispose()
        return
    if target.exists():
        raise Conflict(f"{target} already exists; add --merge to merge into it, or choose a new --project path")
    if not target.parent.is_dir():
        raise ImportRefused(f"folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.importing")
    db = Database(f"sqlite:///{partial}", create=True)
    try:
        with db.transaction() as session:
            _fill(session, project, report, coder)
        db.dispose()
        _checkpoint(partial)
        _place(partial, target)
    finally:
        db.dispose()
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)


def _fill(session, project, report: ImportReport, coder: str | None) -> None:
    meta.put(session, "name", project.name)
    Applier(session, project, report, coder).run()


def _place(partial: Path, target: Path) -> None:
    """Move the finished project into place without ever replacing a file that appeared meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise Conflict(f"{target} appeared while importing; nothing was written to it") from None
    except OSError:  # a filesystem without hard links
        if target.exists():
            raise Conflict(f"{target} appeared while importing; nothing was written to it") from None
        os.replace(partial, target)


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file so the renamed project is one self-contained database."""
    connection = sqlite3.connect(str(path))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _label(url: str) -> str:
    """Where the import went, fit to print: a file path, or a database URL without its password."""
    target = sqlite_path(url)
    if target is not None:
        return str(target)
    return make_url(url).render_as_string(hide_password=True)
