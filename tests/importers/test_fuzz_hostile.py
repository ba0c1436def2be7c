"""Hostile files (issue 18) through the real import paths: one-line refusals, no partial writes, exports that work."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.store import Database
from tests.importers import hostile

runner = CliRunner()


@pytest.fixture
def project(tmp_path, backend_url):
    db = Database(backend_url, create=True)
    hostile.prepare(db)
    yield db, backend_url, tmp_path
    db.dispose()


def test_a_fixed_set_of_hostile_files_then_every_export(project):
    db, url, folder = project
    failures = [o for o in (hostile.check(db, folder, case) for case in hostile.generate(seed=18, budget=66)) if not o.ok]
    assert failures == [], [(f.case.name, f.problem) for f in failures]
    for fmt in ("md", "html", "xlsx", "docx"):
        out = folder / f"report.{fmt}"
        result = runner.invoke(app, ["--db", url, "report", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
        if fmt in ("xlsx", "docx"):
            assert zipfile.ZipFile(out).testzip() is None
        else:
            assert "<script>" not in out.read_text(encoding="utf-8")
    for command in (("docs", "list"), ("codes", "list"), ("participants", "list"), ("search", "hospice")):
        output = runner.invoke(app, ["--db", url, *command]).output
        assert "\x1b" not in output and "\x9b" not in output, command


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, len(hostile.GENERATORS) - 1))
def test_generated_hostile_files_are_imported_or_refused_cleanly(tmp_path_factory, seed, which):
    import random

    folder = tmp_path_factory.mktemp("fuzz")
    db = Database(f"sqlite:///{folder / 'p.db'}", create=True)
    try:
        hostile.prepare(db)
        outcome = hostile.check(db, folder, hostile.GENERATORS[which](random.Random(seed)))
        assert outcome.ok, (outcome.case.name, outcome.problem)
    finally:
        db.dispose()
