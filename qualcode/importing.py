"""Import files into a project: each file is parsed, then written in one transaction or not at all."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.domain import DocumentKind
from qualcode.errors import ImportRefused, QualcodeError, ValueRefused
from qualcode.importers import ParsedImport, parse_file
from qualcode.importers.base import ParsedParticipant
from qualcode.importers.vet import vet, vet_participant
from qualcode.store import documents as doc_repo
from qualcode.store import participants as participant_repo
from qualcode.store.engine import Database


@dataclass(slots=True)
class FileOutcome:
    path: str
    status: str  # imported | unchanged | failed
    documents: list[int] = field(default_factory=list)
    message: str = ""
    warnings: list[str] = field(default_factory=list)


def load_sidecar(path: Path) -> list[ParsedParticipant]:
    from qualcode.importers.participants import load_participants

    return load_participants(Path(path))


def import_participants(
    db: Database, people: list[ParsedParticipant], coder: str | None = None, source: str = "participants"
) -> int:
    try:
        for person in people:
            vet_participant(person, source)
    except QualcodeError as exc:
        raise ImportRefused(str(exc)) from None
    with db.transaction() as session:
        for person in people:
            participant_repo.upsert(session, person, coder=coder)
    return len(people)


def import_files(
    db: Database,
    paths: Iterable[Path],
    *,
    kind: DocumentKind | None = None,
    participants_file: Path | None = None,
    coder: str | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    **options,
) -> list[FileOutcome]:
    """Import each file atomically; a bad file is reported and leaves nothing behind."""
    _return_large_buffers_to_os()
    if participants_file is not None:
        import_participants(db, load_sidecar(participants_file), coder, Path(participants_file).name)
    outcomes = []
    for path in paths:
        outcome = import_one(db, Path(path), kind=kind, coder=coder, **options)
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number


@functools.cache
def _return_large_buffers_to_os() -> None:
    """Have glibc map each buffer over 128 KB on its own, so a freed copy of a long file leaves the process.

    By default glibc raises that threshold to the largest block freed so far: once a file's bytes are
    freed, its later copies (decoded text, the store's parameters) stay in the heap when freed, and a
    10 MB transcript peaked at 5.3x its size instead of 4.1x (bench/import_memory_bench.py).
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, 128 * 1024)
    except (OSError, AttributeError):
        pass  # not glibc: imports work the same, only their peak memory is higher


def import_one(db: Database, path: Path, *, kind: DocumentKind | None = None, coder: str | None = None, **options) -> FileOutcome:
    try:
        parsed = vet(parse_file(path, kind=kind, **options), path.name)
    except QualcodeError as exc:
        return FileOutcome(str(path), "failed", message=str(exc))
    except Exception as exc:  # noqa: BLE001 - an importer bug must not leave a traceback or a partial write
        return FileOutcome(str(path), "failed", message=f"{path.name}: could not be read ({type(exc).__name__}: {exc})")
    try:
        return _store(db, path, parsed, coder)
    except ValueRefused as exc:
        return FileOutcome(str(path), "failed", message=f"{path.name}: {exc}")
    except QualcodeError as exc:
        return FileOutcome(str(path), "failed", message=str(exc))


def _store(db: Database, path: Path, parsed: ParsedImport, coder: str | None) -> FileOutcome:
    outcome = FileOutcome(str(path), "unchanged", warnings=list(parsed.warnings))
    with db.transaction() as session:
        for person in parsed.participants:
            participant_repo.upsert(session, person, coder=coder)
        session.flush()
        known = participant_repo.list_all(session)
        label_to_id = {p.label: p.id for p in known}
        linker = _speaker_linker(known)
        for document in parsed.documents:
            if document.sha256 and doc_repo.by_sha(session, document.sha256) is not None:
                continue  # re-importing the same file is a no-op
            if doc_repo.title_taken(session, document.title):
                raise ImportRefused(
                    f"{path.name}: a different document titled '{document.title}' is already in the project; rename the file"
                )
            if document.participant_label:
                ids = [label_to_id.get(document.participant_label)] * len(document.segments)
            else:
                ids = [label_to_id.get(linker(seg.speaker)) if seg.speaker else None for seg in document.segments]
            outcome.documents.append(doc_repo.add_parsed(session, document, ids, coder=coder))
    if outcome.documents:
        outcome.status = "imported"
    return outcome


def _speaker_linker(known) -> Callable[[str], str | None]:
    """Map speaker strings to participant labels, caching because a transcript repeats its speakers."""
    people = participant_repo.as_parsed(known)
    if not people:
        return lambda _speaker: None
    from qualcode.importers.participants import link_speaker

    cache: dict[str, str | None] = {}

    def link(speaker: str) -> str | None:
        if speaker not in cache:
            cache[speaker] = link_speaker(speaker, people)
        return cache[speaker]

    return link
