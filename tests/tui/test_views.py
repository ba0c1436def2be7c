"""Pilot tests of the codebook, retrieve and search views, and jumping from them into the reader."""

from __future__ import annotations

from qualcode.store import codes as code_repo
from tests.tui.conftest import code_id, codings_in
from tests.tui.helpers import make_app, open_reader


async def _code_sentence(pilot, reader, needle: str, code_query: str) -> None:
    reader.view.go_to(reader.view.text.index(needle))
    await pilot.press("S", "c", *code_query, "enter")
    await pilot.pause()


async def test_codebook_add_rename_move_merge_without_leaving(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("K")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CodebookScreen"
        assert screen.selected.path == "community"
        await pilot.press("a", *"shared ways", "enter")
        await pilot.pause()
        assert screen.selected.path == "community/shared ways"
        await pilot.press("r")
        await pilot.press("end", *" of dying", "enter")
        await pilot.pause()
        assert screen.selected.path == "community/shared ways of dying"
        await pilot.press("m", *"barriers", "enter")
        await pilot.pause()
        assert screen.selected.path == "barriers/shared ways of dying"
        await pilot.press("g", *"resources", "enter")
        await pilot.pause()
        assert app.current_mode == "codebook"
    with open_db().reading() as s:
        paths = [c.path for c in code_repo.list_all(s)]
    assert "barriers/shared ways of dying" not in paths and "barriers/resources" in paths


async def test_codebook_counts_and_definition_follow_codings(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_reader(pilot)
        await _code_sentence(pilot, reader, "Staff turnover", "turnover")
        await pilot.press("K")
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one("Tree")
        node = next(n for n in tree.root.children[1].children if n.data.name == "staff turnover")
        tree.move_cursor(node)
        await pilot.pause()
        assert "1/1" in str(node.label)
        assert "1 mine" in str(screen.query_one("#code-info").render())


async def test_edit_inclusion_and_pin(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("K")
        await pilot.pause()
        await pilot.press("down", "down", "i", "end", *" and places", "enter")
        await pilot.pause()
        with open_db().reading() as s:
            site = code_repo.resolve(s, "community/belonging")
        assert site.inclusion.endswith(" and places")
        await pilot.press("p")  # leaf codes are on 1-9 by default, so the first press unpins it
        await pilot.pause()
        assert site.id not in app.prefs.pinned
        await pilot.press("p")
        await pilot.pause()
        assert app.prefs.pinned[-1] == site.id
    again = make_app(project_url)  # pins are remembered per user and project
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.prefs.pinned[-1] == site.id


async def test_retrieve_or_and_filters_and_jump(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        await _code_sentence(pilot, reader, "Staff turnover", "turnover")
        await _code_sentence(pilot, reader, "Staff turnover", "resources")
        await _code_sentence(pilot, reader, "We lack time", "resources")
        await pilot.press("E", "c", *"turnover", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert [e.text for e in screen.excerpts] == ["Staff turnover, mostly."]
        await pilot.press("c", *"resources", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.excerpts) == 2  # OR: the shared sentence once, plus the resources-only one
        await pilot.press("ctrl+a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [e.text for e in screen.excerpts] == ["Staff turnover, mostly."]
        assert screen.excerpts[0].participant == "P01"
        screen.query_one("#attribute").value = "role=volunteer"
        screen.run_query()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.excerpts == []
        screen.query_one("#attribute").value = "region=north"
        screen.run_query()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.excerpts) == 1
        screen.query_one("#results").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "reader"
        view = app.screen.view
        assert view.text[slice(*view.selection)] == "Staff turnover, mostly."


async def test_codebook_enter_excerpts(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        await _code_sentence(pilot, reader, "Staff turnover", "turnover")
        await pilot.press("K")
        await pilot.pause()
        tree = app.screen.query_one("Tree")
        tree.move_cursor(next(n for n in tree.root.children[1].children if n.data.name == "staff turnover"))
        await pilot.press("e")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "retrieve"
        assert len(app.screen.excerpts) == 1


async def test_search_plain_and_fuzzy_then_jump(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"chapel", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert [h.title for h in screen.hits] == ["focus-group-a"]
        screen.query_one("#query").value = "voluntears"
        await pilot.press("ctrl+f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [h.title for h in screen.hits] == ["interview-01"]
        await pilot.press("escape", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "reader"
        view = app.screen.view
        assert view.text[slice(*view.selection)].lower().startswith("volunteer")


async def test_search_error_is_a_notification(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "minus", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("at least one word" in n.message for n in app._notifications)
