"""Snapshot tests of the main screens at 100x30 (fixed data, no clock on screen); SVGs live in __snapshots__."""

from __future__ import annotations

import pytest

from qualcode.coding import CodingService
from qualcode.store import Database
from tests.tui.conftest import build_project
from tests.tui.helpers import make_app

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _builtin_panels_only(monkeypatch):
    """These pictures are of the workbench itself; panels other modules register have their own tests."""
    from qualcode.tui import registry

    monkeypatch.setattr(registry, "panels", lambda: [])


@pytest.fixture
def coded_project(tmp_path):
    url = build_project(tmp_path / "study.db")
    db = Database(url)
    service = CodingService(db, "alex")
    service.apply("interview-01", 121, 178, "community/site", memo="who owns it?")
    service.apply("interview-01", 223, 246, "barriers/staff turnover", candidate_quote=True)
    service.apply("interview-01", 223, 319, "barriers/resources")
    CodingService(db, "sam").apply("focus-group-a", 7, 47, "community/site")
    db.dispose()
    return url


def test_overview_snapshot(coded_project, snap_compare):
    async def settle(pilot):
        # the overview fills itself from a worker started when the screen is first shown
        for _ in range(100):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            if pilot.app.screen.query_one("#documents").row_count:
                break
        await pilot.pause()

    assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=settle)


def test_reader_snapshot(coded_project, snap_compare):
    async def open_interview(pilot):
        pilot.app.open_document(1, 225)
        await pilot.pause()

    assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=open_interview)


def test_reader_narrow_snapshot(coded_project, snap_compare):
    async def open_interview(pilot):
        pilot.app.open_document(1, 153)
        await pilot.pause()
        await pilot.press("S")

    assert snap_compare(make_app(coded_project), terminal_size=(80, 24), run_before=open_interview)


def test_codebook_snapshot(coded_project, snap_compare):
    async def go(pilot):
        await pilot.press("K")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down")
        await pilot.pause()

    assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=go)


def test_retrieve_snapshot(coded_project, snap_compare):
    async def go(pilot):
        pilot.app.retrieve_codes([2])
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(coded_project), terminal_size=SIZE, run_before=go)
