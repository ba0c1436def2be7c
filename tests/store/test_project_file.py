"""A closed project is one file: after the CLI or the workbench exits, a copy of the .db alone holds every coding."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from qualcode.store.engine import leftover_wal

REPO = Path(__file__).resolve().parents[2]


def _qualcode(project: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "qualcode", "--project", str(project), *args],
                          capture_output=True, text=True, env=env, cwd=project.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _codings_in_copy(project: Path) -> int:
    copy = project.with_name("copy.db")
    shutil.copyfile(project, copy)  # the .db alone, as a user copies or mails it
    with sqlite3.connect(copy) as connection:
        return connection.execute("SELECT count(*) FROM codings").fetchone()[0]


def _wal_is_gone_or_empty(project: Path) -> bool:
    wal = project.with_name(project.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def test_the_cli_leaves_one_self_contained_file(tmp_path):
    project = tmp_path / "study.db"
    (tmp_path / "int-01.txt").write_text("Interviewer: Why?\n\nP01: We walk to the chapel in Wexbury every week.\n",
                                         encoding="utf-8")
    _qualcode(project, "init")
    _qualcode(project, "docs", "import", str(tmp_path / "int-01.txt"))
    _qualcode(project, "codes", "add", "place")
    _qualcode(project, "coders", "add", "alex")
    for start in (0, 10, 20):
        _qualcode(project, "codings", "add", "--doc", "int-01", "--start", str(start), "--end", str(start + 5),
                  "--code", "place", "--coder", "alex")
    assert _wal_is_gone_or_empty(project)
    assert _codings_in_copy(project) == 3
    assert leftover_wal(f"sqlite:///{project}") is None


def test_quitting_the_workbench_folds_its_codings_into_the_file(tmp_path):
    import asyncio

    from tests.tui.conftest import TURNS, build_project
    from tests.tui.helpers import make_app, open_reader

    project = tmp_path / "study.db"
    url = build_project(project)
    app = make_app(url)

    async def code_one_sentence_and_quit():
        async with app.run_test(size=(100, 30)) as pilot:
            await open_reader(pilot, start=len(TURNS[0][0]) + 2 + len(TURNS[0][1]) + 2 + len("Maren: ") + 3)
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("ctrl+q")
            await pilot.pause()

    asyncio.run(code_one_sentence_and_quit())
    assert _wal_is_gone_or_empty(project)
    assert _codings_in_copy(project) == 1


def test_a_leftover_wal_is_reported_until_the_project_is_closed(tmp_path):
    from qualcode.store import Database, codes

    project = tmp_path / "study.db"
    url = f"sqlite:///{project}"
    db = Database(url, create=True)
    with db.transaction() as s:
        codes.add(s, "place")
    # a second process still has the project open (or crashed): the WAL holds its last write
    assert leftover_wal(url) is not None and "study.db-wal" in leftover_wal(url)
    db.dispose()
    assert leftover_wal(url) is None
    assert _codings_in_copy(project) == 0


def test_project_check_reports_a_leftover_wal(tmp_path):
    from typer.testing import CliRunner

    from qualcode.cli import app
    from qualcode.store import Database, codes

    project = tmp_path / "study.db"
    db = Database(f"sqlite:///{project}", create=True)
    with db.transaction() as s:
        codes.add(s, "place")
    result = CliRunner().invoke(app, ["--project", str(project), "project", "check"])
    assert result.exit_code == 1 and "study.db-wal" in result.output and "did not close cleanly" in result.output
    db.dispose()
    assert CliRunner().invoke(app, ["--project", str(project), "project", "check"]).exit_code == 0


def test_a_write_burst_reaches_the_file_while_the_project_stays_open(tmp_path):
    import time

    from qualcode.store import Database, codes

    project = tmp_path / "study.db"
    db = Database(f"sqlite:///{project}", create=True)
    try:
        for name in ("place", "time", "people"):
            with db.transaction() as s:
                codes.add(s, name)
        # once the burst is over the WAL is folded in: the .db alone, copied now, has all three
        deadline = time.monotonic() + 60  # generous: only a stalled machine waits this long
        while time.monotonic() < deadline:
            shutil.copyfile(project, tmp_path / "open-copy.db")
            try:
                with sqlite3.connect(tmp_path / "open-copy.db") as connection:
                    found = connection.execute("SELECT count(*) FROM codes").fetchone()[0]
            except sqlite3.OperationalError:  # not even the schema is in the file yet
                found = 0
            if found == 3:
                break
            time.sleep(0.2)
        assert found == 3
    finally:
        db.dispose()
