"""Write a project as a REFI-QDA .qdpx (project) or .qdc (codebook): same data, same bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from qualcode.files import write_atomically, write_bytes
from qualcode.refi.snapshot import read_snapshot
from qualcode.refi.xml_out import codebook_xml, project_xml
from qualcode.store.engine import Database

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # no wall clock in the archive: every member gets the same stamp


def export_codebook(db: Database, out: Path) -> Path:
    """Write the codebook as a .qdc file."""
    return _write_atomically(Path(out), codebook_xml(read_snapshot(db)))


def export_project(db: Database, out: Path, anonymise: bool = False) -> Path:
    """Write the whole project as a .qdpx archive (project.qde plus sources/<guid>.txt).

    With `anonymise`, texts, titles and memos are masked by the project's share policy first.
    """
    snapshot = read_snapshot(db)
    if anonymise:
        from qualcode.anonymise.share import open_policy
        from qualcode.refi.anonymised import anonymised

        policy = open_policy(db)
        snapshot = anonymised(snapshot, policy)
        policy.save(db)
    members = [("project.qde", project_xml(snapshot))]
    members += [(f"sources/{d.guid}.txt", d.text.encode("utf-8")) for d in snapshot.documents]
    return _write_atomically(Path(out), members)


def _write_atomically(out: Path, content: list[tuple[str, bytes]] | bytes) -> Path:
    """A .qdc (bytes) or a .qdpx (entries, in name order with fixed times) written atomically."""
    if isinstance(content, bytes):
        return write_bytes(out, content, make_folder=False)

    def write(partial: Path) -> None:
        with zipfile.ZipFile(partial, "w") as archive:
            for name, data in sorted(content):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                archive.writestr(info, data, compresslevel=6)

    return write_atomically(out, write, make_folder=False)
