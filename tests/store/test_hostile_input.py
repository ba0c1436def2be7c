"""Hostile and broken input: parsers only ever raise QualcodeError, and a refused file writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from qualcode.importing import import_one
from qualcode.store.orm import AuditRow, DocumentRow, SegmentRow
from tests.harness.fuzz import run_fuzz


def test_fuzzed_files_raise_only_clear_errors(tmp_path):
    result = run_fuzz(tmp_path, budget=400, seed=20261123)
    assert result.inputs == 400
    assert result.crashes == [], result.crashes[:3]
    assert result.refused > 0 and result.accepted > 0  # both paths were exercised


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
