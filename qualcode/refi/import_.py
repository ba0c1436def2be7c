"""Import a REFI-QDA .qdpx/.qdc into a new project or merge it into an existing one, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportRefused, ProjectExists
from qualcode.refi.apply import Applier
from qualcode.refi.reader import read_refi
from qualcode.store import interchange, meta, staging
from qualcode.store.engine import Database

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


def import_file(path: Path, db: Database, *, merge: bool = False, coder: str | None = None,
                strict: bool = False) -> ImportReport:
    """Read and check the whole file first; then write it into `db` in one transaction. Without
    `merge`, `db` must hold no project yet (a new one from `store.staging.new_project`).
    `strict`: refuse offsets that would need repairing instead of warning."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ImportRefused(f"{path.name}: expected a .qdpx project or .qdc codebook")
    project = read_refi(path, strict=strict)
    report = ImportReport(file=path.name, origin=project.origin, project=staging.label(db.url), merged=merge,
                          utf16_offsets=project.utf16_offsets, warnings=list(project.warnings))
    with db.transaction() as session:
        if not merge:
            if interchange.holds_project(session):
                raise ProjectExists(report.project)
            meta.put(session, "name", project.name)
        Applier(session, project, report, coder).run()
    return report
