"""Pilot tests: a locked database during coding is a notification and a log entry, and the app lives on."""

from __future__ import annotations

import sqlite3

from qualcode.tui.failures import one_line
from tests.tui.conftest import codings_in
from tests.tui.helpers import make_app, open_reader


async def test_locked_database_while_coding_is_a_notification(project_url, tmp_path, monkeypatch, open_db):
    import qualcode.store.engine as engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)  # give up on the lock quickly instead of waiting seconds
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(pilot)
        code_id = app.workbench.codes()[0].id
        db = open_db()
        before = len(codings_in(db))
        blocker = sqlite3.connect(str(tmp_path / "study.db"), timeout=0.05)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            reader.apply(code_id)
            await pilot.pause()
        finally:
            blocker.rollback()
            blocker.close()
        messages = [n.message for n in app._notifications]
        assert any("database is locked" in m for m in messages), messages
        assert app.is_running and app.return_code is None
        assert len(codings_in(db)) == before
        log = tmp_path / "home" / "logs" / "tui-errors.log"
        assert "Traceback" in log.read_text()
        # The lock is gone: the same action now succeeds, so the app was not left half-broken.
        reader.apply(code_id)
        await pilot.pause()
        assert len(codings_in(db)) == before + 1


async def test_failure_in_a_worker_does_not_end_the_app(project_url, tmp_path):
    from sqlalchemy.exc import OperationalError

    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen

        def failing() -> None:
            raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

        screen.run_worker(failing, thread=True)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("disk I/O error" in n.message for n in app._notifications)
        assert app.is_running and app.return_code is None
        await pilot.press("question_mark")
        assert app.screen is not screen


def test_one_line_drops_the_sql_dump():
    from sqlalchemy.exc import OperationalError

    error = OperationalError("INSERT INTO codings VALUES (?)", {}, sqlite3.OperationalError("database is locked"))
    assert one_line(error) == "database is locked"
    assert one_line(OSError(28, "No space left on device")) == "[Errno 28] No space left on device"
