"""The reader's suggestions panel with Pilot: suggestions at the caret, accept (provenance suggestion) and dismiss."""

from __future__ import annotations

import asyncio

import pytest

from qualcode.nlp.suggest import feedback
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo



@pytest.fixture
def project(tmp_path):
    from qualcode.store import Database

    from tests.nlp.conftest import build_fixture_project

    url = f"sqlite:///{tmp_path / 'tui.db'}"
    db = Database(url, create=True)
    info = build_fixture_project(db)
    yield url, db, info
    db.dispose()


async def _settle(pilot, panel):
    for _ in range(200):  # the first suggestion trains the model in a worker thread
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if panel.suggestions:
            return
    raise AssertionError("no suggestions arrived")


def test_panel_suggests_at_the_caret_then_accepts_and_dismisses(project):
    asyncio.run(_accept_and_dismiss(project))


async def _accept_and_dismiss(project):
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.widgets.suggestions_panel import SuggestionsPanel

    url, db, info = project
    app = QualcodeApp(url, coder="ana")
    async with app.run_test(size=(160, 40)) as pilot:
        with db.reading() as session:
            segments = doc_repo.segments(session, info["uncoded"])
        app.open_document(info["uncoded"], segments[1].start + 2)
        await pilot.pause()
        await pilot.pause()
        panel = app.screen.query_one(SuggestionsPanel)
        await pilot.press("w")  # move the caret: the reader tells its panels
        await _settle(pilot, panel)
        assert panel.span.start == segments[1].start and panel.span.end == segments[1].end
        gold = set(info["uncoded_items"][1]["codes"])
        assert {s.code_path for s in panel.suggestions} & gold
        shown = str(app.screen.query_one("#suggestions-list").render())
        assert panel.suggestions[0].code_path in shown and not panel.has_class("-idle")

        panel.focus()
        await pilot.pause()
        await pilot.press("down", "up")  # choose the first again
        first = panel.suggestions[0]
        await pilot.press("enter")
        await pilot.pause()
        with db.reading() as session:
            mine = [c for c in coding_repo.all_codings(session) if c.document_id == info["uncoded"]]
        assert [(c.code_id, c.start, c.end, str(c.provenance)) for c in mine] == [
            (first.code_id, segments[1].start, segments[1].end, "suggestion")
        ]
        assert first.code_id not in {s.code_id for s in panel.suggestions}

        second = panel.suggestions[panel.chosen]
        await pilot.press("d")
        await pilot.pause()
        with db.reading() as session:
            answers = [(f.action, f.code_id) for f in feedback.all_feedback(session)]
        assert answers == [("accepted", first.code_id), ("dismissed", second.code_id)]
        assert second.code_id not in {s.code_id for s in panel.suggestions}


def test_panel_stays_hidden_and_idle_in_deterministic_rendering(project):
    asyncio.run(_hidden_when_frozen(project))


async def _hidden_when_frozen(project):
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.widgets.suggestions_panel import SuggestionsPanel

    url, db, info = project
    app = QualcodeApp(url, coder="ana")
    app.frozen_clock = True
    async with app.run_test(size=(160, 40)) as pilot:
        app.open_document(info["uncoded"], 0)
        await pilot.pause()
        panel = app.screen.query_one(SuggestionsPanel)
        await pilot.press("w")
        await pilot.pause()
        assert panel.has_class("-idle") and panel.suggester is None


def test_panel_explains_in_place_when_the_project_has_no_codes(tmp_path):
    asyncio.run(_no_codes(tmp_path))


async def _no_codes(tmp_path):
    from qualcode.store import Database
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.widgets.suggestions_panel import SuggestionsPanel

    from tests.nlp.conftest import add_document

    url = f"sqlite:///{tmp_path / 'bare.db'}"
    db = Database(url, create=True)
    doc_id = add_document(db, "notes", ["Money is short this year.", "We talked about funding."])
    db.dispose()
    app = QualcodeApp(url, coder="ana")
    async with app.run_test(size=(160, 40)) as pilot:
        app.open_document(doc_id, 0)
        await pilot.pause()
        panel = app.screen.query_one(SuggestionsPanel)
        await pilot.press("w")
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if panel.problem:
                break
        assert "no codes" in panel.problem
        assert "no codes" in str(app.screen.query_one("#suggestions-list").render())
