"""Hostile and broken input: parsers only ever raise QualcodeError, and a refused file writes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from qualcode.errors import QualcodeError
from qualcode.importing import import_one
from qualcode.store.orm import AuditRow, DocumentRow, SegmentRow
from tests.harness.fuzz import REFI_QDE, REFI_TEXT, run_fuzz, run_import_fuzz


def test_fuzzed_files_raise_only_clear_errors(tmp_path):
    result = run_fuzz(tmp_path, budget=1200, seed=20261123)
    assert result.inputs == 1200
    assert result.crashes == [], result.crashes[:3]
    assert result.refused > 0 and result.accepted > 0  # both paths were exercised
    for target in (".qdc", ".qdpx", ".participants.csv", ".participants.yaml"):
        accepted, refused = result.by_target[target]
        assert refused > 0 and accepted > 0, (target, accepted, refused)


def test_fuzzed_imports_change_counts_only_for_accepted_files(sqlite_db, tmp_path):
    result = run_import_fuzz(sqlite_db, tmp_path, budget=60, seed=7)
    assert result.crashes == [], result.crashes[:3]
    assert result.accepted > 0 and result.refused > 0


def test_refused_file_leaves_no_partial_document(sqlite_db, tmp_path):
    bad = [
        ("binary.txt", bytes(range(256)) * 50),
        ("empty.txt", b""),
        ("latin.txt", "P1: caf\xe9 society".encode("latin-1")),
        ("one-line.txt", b"P1: " + b"x" * 1_100_000),
        ("fake.docx", b"PK\x03\x04 not really a zip"),
    ]
    for name, data in bad:
        path = tmp_path / name
        path.write_bytes(data)
        outcome = import_one(sqlite_db, path)
        assert outcome.status == "failed", name
        assert "\n" not in outcome.message and name.split(".")[0] in outcome.message
    with sqlite_db.reading() as s:
        for table in (DocumentRow, SegmentRow, AuditRow):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def _damaged_deflate_qdpx() -> bytes:
    """A .qdpx whose project.qde member has a corrupt deflate stream (the zip directory itself is fine)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", REFI_QDE.encode() * 20)
        archive.writestr("sources/talk.txt", REFI_TEXT)
    data = bytearray(buffer.getvalue())
    start = 30 + len("project.qde")  # first local header, then the compressed bytes
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    return bytes(data)


def test_qdpx_with_corrupt_compressed_member_is_refused(tmp_path):
    from qualcode.refi.reader import read_refi

    path = tmp_path / "damaged.qdpx"
    path.write_bytes(_damaged_deflate_qdpx())
    with pytest.raises(QualcodeError):
        read_refi(path)


def test_deeply_nested_participants_yaml_is_refused(tmp_path):
    from qualcode.importers.participants import load_participants

    path = tmp_path / "people.participants.yaml"
    path.write_text("participants:\n" + "".join("  " * i + "- \n" for i in range(3000)), encoding="utf-8")
    with pytest.raises(QualcodeError):
        load_participants(path)


def _future_zip_version(package: bytes) -> bytes:
    """The same package claiming it needs zip version 11.3 to extract (zipfile raises NotImplementedError)."""
    data = bytearray(package)
    at = data.find(b"PK\x01\x02")
    data[at + 6:at + 8] = (113).to_bytes(2, "little")
    return bytes(data)


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".qdpx"])
def test_package_needing_an_unknown_zip_version_is_refused(tmp_path, suffix):
    from qualcode.importers import parse_file
    from qualcode.refi.reader import read_refi
    from tests.harness.fuzz import _docx_seed, _qdpx, _xlsx_seed

    package = {".xlsx": _xlsx_seed, ".docx": _docx_seed, ".qdpx": lambda: _qdpx(REFI_QDE.encode(), REFI_TEXT)}[suffix]()
    path = tmp_path / f"future{suffix}"
    path.write_bytes(_future_zip_version(package))
    with pytest.raises(QualcodeError):
        (read_refi if suffix == ".qdpx" else parse_file)(path)


def test_a_value_the_database_refuses_is_one_line_without_the_value(db):
    from qualcode.errors import ValueRefused
    from qualcode.store.orm import CoderRow

    if db.dialect != "postgresql":
        pytest.skip("SQLite stores any length; the length checks refuse before writing on both backends")
    secret = "Marta Quillfeather said " + "x" * 300  # longer than the coders.name column holds
    with pytest.raises(ValueRefused) as caught:
        with db.transaction() as session:
            session.add(CoderRow(guid="g-long", name=secret))
    message = str(caught.value)
    assert "refused a value" in message and "Quillfeather" not in message and "\n" not in message
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(CoderRow)) == 0  # nothing was written
