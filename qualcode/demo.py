"""Build the demo project from corpora/demo and codebooks/: import, code, done; built once."""

from __future__ import annotations

import csv
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook.loader import load_codebook
from qualcode.codebook.operations import import_spec
from qualcode.domain import Provenance
from qualcode.errors import QualcodeError
from qualcode.importing import import_files
from qualcode.nlp.suggest.seen import mark_coded
from qualcode.store import audit, coders, convert, meta
from qualcode.store import codes as code_repo
from qualcode.store import documents as doc_repo
from qualcode.store.engine import Database
from qualcode.store.orm import CodingRow

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = REPO_ROOT / "corpora" / "demo"
DEFAULT_CODEBOOK = REPO_ROOT / "codebooks" / "ambitions-framework.yaml"
TRANSCRIPT_SUFFIXES = {".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".xlsx"}


@dataclass(slots=True)
class DemoBuild:
    path: Path
    built: bool
    documents: int = 0
    codings: int = 0
    unanchored: list[str] = field(default_factory=list)


def default_demo_path() -> Path:
    home = Path(os.environ.get("QUALCODE_HOME") or Path.home() / ".qualcode")
    return home / "demo.db"


def build_demo(path: Path | None = None, *, corpus: Path = DEMO_CORPUS, codebook: Path = DEFAULT_CODEBOOK) -> DemoBuild:
    """Build the demo project at `path` unless it is already there; the file appears only when complete."""
    path = Path(path or default_demo_path()).expanduser().resolve()
    if path.exists():
        return DemoBuild(path, built=False)
    if not corpus.is_dir():
        raise QualcodeError(f"the demo corpus is not at {corpus}; install qualcode from its repository (pip install -e .)")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".building-{uuid.uuid4().hex[:8]}")
    try:
        result = _build(partial, corpus, codebook)
        os.replace(partial, path)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    result.path = path
    return result


def _build(target: Path, corpus: Path, codebook: Path) -> DemoBuild:
    db = Database(f"sqlite:///{target}", create=True)
    try:
        with db.transaction() as session:
            import_spec(session, load_codebook(codebook))
            meta.put(session, "name", "Ambitions framework demo")
        files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in TRANSCRIPT_SUFFIXES and p.name != "codings.csv")
        participants = corpus / "participants.yaml"
        outcomes = import_files(db, files, participants_file=participants if participants.exists() else None)
        failed = [o.message for o in outcomes if o.status == "failed"]
        if failed:
            raise QualcodeError("demo corpus did not import: " + "; ".join(failed))
        result = DemoBuild(target, built=True, documents=sum(len(o.documents) for o in outcomes))
        if participants.exists():
            from qualcode.quotes.roster import import_roster

            # Colleagues, places and organisations named in the talk: the anonymiser's roster.
            with db.transaction() as session:
                import_roster(session, participants)
        codings_file = corpus / "codings.csv"
        if codings_file.exists():
            result.codings, result.unanchored = _apply_quote_codings(db, codings_file)
        # Hand the file over as a single self-contained database (no WAL beside it).
        with db.engine.connect() as connection:
            # Straight to the driver: a checkpoint cannot run inside the BEGIN IMMEDIATE we issue.
            connection.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return result
    finally:
        db.dispose()


def _apply_quote_codings(db: Database, path: Path) -> tuple[int, list[str]]:
    """Codings anchored by quote text, so the corpus can be edited without recomputing offsets."""
    unanchored: list[str] = []
    count = 0
    coder_names: set[str] = set()
    with path.open(newline="", encoding="utf-8") as handle, db.transaction() as session:
        version = meta.codebook_version(session)
        # resolve() loads the whole code tree; the file names the same few codes hundreds of times.
        codes = {c.path: c for c in code_repo.list_all(session)}
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                doc = doc_repo.resolve(session, row["document"])
                code = codes.get(row["code"]) or code_repo.resolve(session, row["code"])
            except QualcodeError as exc:
                unanchored.append(f"{path.name}:{line}: {exc}")
                continue
            start = _nth(doc.text, row["quote"], int(row.get("occurrence") or 1))
            if start < 0:
                unanchored.append(f"{path.name}:{line}: quote not found in {doc.title}")
                continue
            coder = coders.get_or_add(session, row["coder"])
            coder_names.add(coder.name)
            coding = CodingRow(
                guid=str(uuid.uuid4()), document_id=doc.id, start=start, end=start + len(row["quote"]),
                code_id=code.id, coder_id=coder.id, provenance=str(Provenance.IMPORT), codebook_version=version,
                memo=(row.get("memo") or None), candidate_quote=(row.get("candidate_quote", "").lower() == "yes"),
            )
            session.add(coding)
            session.flush()
            audit.record(session, "add", "coding", coding.id, coder=coder.name, after=convert.coding_state(coding))
            count += 1
        # The demo's documents are read through by every coder in the file; saying so lets suggestion
        # training count their uncoded segments as negatives (imported gaps alone are unknowns).
        everything = [d.id for d in doc_repo.list_all(session)]
        for name in sorted(coder_names):
            mark_coded(session, name, everything)
    return count, unanchored


def _nth(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(max(n, 1)):
        at = text.find(needle, at + 1)
        if at < 0:
            return -1
    return at
