"""Deleting a code with codings: the store says how many (a typed error), the CLI asks or names --yes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.coding import CodingService
from qualcode.errors import NeedsConfirmation
from qualcode.importing import import_one
from qualcode.store import codes

runner = CliRunner()


@pytest.fixture
def coded(tmp_path, sqlite_db):
    doc = tmp_path / "notes.txt"
    doc.write_text("The volunteers at Wrenfield Library run the reading group.\n", encoding="utf-8")
    import_one(sqlite_db, doc)
    with sqlite_db.transaction() as s:
        codes.add(s, "volunteers")
    service = CodingService(sqlite_db, "mira")
    service.apply("notes", 4, 14, "volunteers")
    service.apply("notes", 18, 34, "volunteers")
    return sqlite_db


def test_the_store_refuses_with_the_count_and_no_cli_words(coded):
    with pytest.raises(NeedsConfirmation) as refused, coded.transaction() as s:
        codes.delete(s, "volunteers")
    assert refused.value.count == 2
    assert "--" not in str(refused.value)


def test_the_cli_asks_and_names_yes_when_refused(coded):
    project = ["--db", coded.url]
    declined = runner.invoke(app, [*project, "codes", "delete", "volunteers"], input="n\n")
    assert declined.exit_code == 1
    assert "2 codings" in declined.output and "confirm with --yes" in declined.output
    with coded.reading() as s:
        assert [c.path for c in codes.list_all(s)] == ["volunteers"]
    accepted = runner.invoke(app, [*project, "codes", "delete", "volunteers"], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "deleted volunteers and 2 coding(s)" in accepted.output
