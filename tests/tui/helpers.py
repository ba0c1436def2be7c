"""Pilot helpers shared by the workbench tests."""

from __future__ import annotations

from qualcode.tui.app import QualcodeApp


def make_app(url: str, coder: str | None = "alex") -> QualcodeApp:
    app = QualcodeApp(url, coder=coder)
    app.frozen_clock = True  # no wall-clock text on screen, so snapshots are stable
    return app


async def open_reader(pilot, title: str = "interview-01", start: int = 0):
    app = pilot.app
    from qualcode.store import documents

    with app.workbench.db.reading() as s:
        doc_id = documents.resolve(s, title).id
    app.open_document(doc_id, start)
    await pilot.pause()
    await pilot.pause()
    assert app.current_mode == "reader"
    return app.screen
