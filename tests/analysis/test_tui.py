"""Pilot tests of the analysis view plugged into the workbench (key Y) on the hand-counted fixture project."""

from __future__ import annotations

import pytest

from qualcode.store import Database
from qualcode.tui.app import QualcodeApp
from tests.analysis.conftest import build_fixture


@pytest.fixture
def project_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    db = Database(url, create=True)
    build_fixture(db)
    db.dispose()
    return url


async def open_analysis(pilot):
    await pilot.press("Y")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert type(screen).__name__ == "AnalysisScreen"
    return screen


def cells(table):
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_tallies_rank_and_show_quotes_one_key_away(project_url):
    app = QualcodeApp(project_url, coder="alex")
    app.frozen_clock = True
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#tally-table")
        assert [r[2:] for r in cells(table)] == [["barriers/leadership", "3", "3"], ["barriers/turnover", "3", "3"]]
        table.focus()
        await pilot.press("q")
        await pilot.pause()
        quotes = screen.query_one("#tally-quotes")
        assert quotes.option_count == len(screen.tally_quotes) >= 2
        assert all(q.attribution in {"P01", "P02", "ID:101"} for q in screen.tally_quotes)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "reader"


async def test_grouping_and_valence_keys(project_url):
    app = QualcodeApp(project_url, coder="alex")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("2")
        screen.query_one("#tally-table").focus()
        await pilot.press("g")
        await pilot.pause()
        assert screen.grouping == "kind"
        rows = cells(screen.query_one("#tally-table"))
        assert ["focus_group", "1", "barriers/turnover", "2", "2"] in rows
        await pilot.press("f")
        await pilot.pause()
        assert [r[2] for r in cells(screen.query_one("#tally-table"))] == ["facilitators/champions"]


async def test_crosstab_and_saturation_tabs(project_url):
    app = QualcodeApp(project_url, coder="alex")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("3")
        await pilot.pause()
        rows = screen.query_one("#ct-rows")
        assert rows.value == "code:barriers"
        rows.value = "attr:region"
        screen.query_one("#ct-cols").value = "setting"
        rows.focus()
        await pilot.press("enter")
        await pilot.pause()
        table = cells(screen.query_one("#ct-table"))
        assert table[0] == ["North", "0 (0%)", "1 (33%)", "2 (67%)", "3"]
        assert "participants" in str(screen.query_one("#ct-test").render())
        ct = screen.query_one("#ct-table")
        ct.focus()
        ct.move_cursor(row=0, column=3)  # North x hospice: P01 and ID:102
        await pilot.press("enter")
        await pilot.pause()
        assert {q.attribution for q in screen.cell_quotes} == {"P01", "ID:102"}
        assert screen.query_one("#ct-quotes").has_focus
        rows.focus()
        screen.query_one("#ct-cols").value = "shoe"
        await pilot.press("enter")
        await pilot.pause()
        assert table == cells(screen.query_one("#ct-table"))  # a bad dimension leaves the table as it was
        await pilot.press("escape", "4")
        await pilot.pause()
        sat = cells(screen.query_one("#sat-table"))
        assert sat[0][:2] == ["all", "4"]


async def test_summary_of_a_theme_with_quotes(project_url):
    app = QualcodeApp(project_url, coder="alex")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        screen.with_language = False
        themes = screen.query_one("#theme-list")
        themes.focus()
        themes.highlighted = 1  # barriers/leadership
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(screen.query_one("#summary-text").render())
        assert "barriers/leadership" in text and "3 excerpts (4 codings)" in text
        assert "Often tied to turnover." in text
        # Three excerpts, but "Leadership was absent" is too short to quote.
        assert screen.query_one("#summary-quotes").option_count == 2


async def test_blind_coder_sees_only_own_codings(project_url):
    from qualcode.store import meta

    db = Database(project_url)
    with db.transaction() as s:
        meta.put(s, "blind_mode", "on")
    db.dispose()
    app = QualcodeApp(project_url, coder="sam")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        assert screen.bench.blind
        assert {c.coder_id for c in screen.data.ds.codings} == {screen.bench.coder_id}
        assert {c.path: c.excerpts for c in screen.data.counts}["barriers/leadership"] == 2


async def test_shareable_toggle_masks_the_quotes_behind_a_tally(project_url):
    app = QualcodeApp(project_url, coder="alex")
    app.frozen_clock = True
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("2")
        await pilot.pause()
        screen.query_one("#tally-table").focus()
        await pilot.press("q")
        await pilot.pause()
        coded = [q.text for q in screen.tally_quotes]
        await pilot.press("S")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        from qualcode.analysis.shareable import Sharer
        from qualcode.anonymise.share import open_policy
        from qualcode.store import Database

        db = Database(project_url)
        try:
            expected = [q.text for q in Sharer(screen.data.ds, open_policy(db)).quotes(screen._raw["tally-quotes"])]
        finally:
            db.dispose()
        shown = [q.text for q in screen.tally_quotes]
        assert shown == expected and len(shown) <= len(coded)  # what `tally --quotes` would print
        await pilot.press("S")
        await pilot.pause()
        assert [q.text for q in screen.tally_quotes] == coded


async def test_shareable_summary_masks_a_memo_naming_a_participant(project_url):
    from qualcode.domain.models import MemoTarget
    from qualcode.store import Database
    from qualcode.store import codes as code_repo
    from qualcode.store import memos as memo_repo

    db = Database(project_url)
    with db.transaction() as s:
        code = code_repo.resolve(s, "barriers")
        memo_repo.add(s, target=MemoTarget.CODE, target_id=code.id, text="Orla Fenwick raised this first.", title="origin")
    db.dispose()
    app = QualcodeApp(project_url, coder="alex")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_analysis(pilot)
        themes = screen.query_one("#theme-list")
        themes.highlighted = next(i for i in range(themes.option_count) if "barriers" in str(themes.get_option_at_index(i).prompt))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Orla Fenwick raised" in str(screen.query_one("#summary-text").render())
        await pilot.press("S")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(screen.query_one("#summary-text").render())
        assert "raised this first" in text and "Orla" not in text
