"""Opening a project: no schema work when it is current; an old PostgreSQL project is upgraded only after a backup."""

from __future__ import annotations

import sys

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.errors import BackupNeeded
from qualcode.store import Database
from qualcode.store.locate import newest_revision
from qualcode.store.migrate import alembic_config, current_revision, head_revision


def test_the_cheap_head_is_alembics_head():
    assert newest_revision() == head_revision()


def test_a_current_project_opens_without_alembic(tmp_path):
    import subprocess

    url = f"sqlite:///{tmp_path / 'study.db'}"
    Database(url, create=True).dispose()
    probe = (
        "import sys\nfrom qualcode.store import Database\n"
        f"Database({url!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _at_first_revision(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    engine.dispose()


def _revision(url: str) -> str | None:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        revision = current_revision(connection)
    engine.dispose()
    return revision


def test_an_old_postgres_project_waits_for_a_backup(backend_url):
    if backend_url.startswith("sqlite"):
        pytest.skip("SQLite projects are copied aside automatically before an upgrade")
    _at_first_revision(backend_url)
    with pytest.raises(BackupNeeded, match="back it up first") as caught:
        Database(backend_url)
    assert "rerun" not in str(caught.value)  # the store says what is needed; each front end says how
    refused = CliRunner().invoke(app, ["--db", backend_url, "docs", "list"])
    assert refused.exit_code == 1 and "pg_dump" in refused.output and len(refused.output.strip().splitlines()) == 1
    assert "rerun with --i-have-a-backup" in refused.output
    assert _revision(backend_url) == "0001"
    assert CliRunner().invoke(app, ["--db", backend_url, "--i-have-a-backup", "docs", "list"]).exit_code == 0
    assert _revision(backend_url) == head_revision()
    # once current, it opens without the flag
    assert CliRunner().invoke(app, ["--db", backend_url, "docs", "list"]).exit_code == 0


def test_an_old_sqlite_project_is_still_copied_aside_and_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _at_first_revision(url)
    Database(url).dispose()
    assert _revision(url) == head_revision()
    assert len(list(tmp_path.glob("old.before-upgrade-*.db"))) == 1
