"""Pilot tests of identity and visibility: start screen, remembered coder, switching coder, blind mode and reveal."""

from __future__ import annotations

import json

from qualcode.store import Database, meta
from tests.tui.conftest import codings_in
from tests.tui.helpers import make_app, open_reader


def _badge(app) -> str:
    return str(app.screen.query_one(".coder-badge").render())


async def test_start_screen_creates_project_and_remembers_coder(tmp_path):
    url = f"sqlite:///{tmp_path / 'new-study.db'}"
    app = make_app(url, coder=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.current_mode == "start"
        await pilot.press("enter")  # the project path is prefilled
        await pilot.press(*"noor", "enter")
        await pilot.pause()
        assert app.current_mode == "overview"
        assert "coder: noor" in _badge(app)
    assert (tmp_path / "new-study.db").exists()
    saved = json.loads((tmp_path / "home" / "tui.json").read_text())
    assert saved["projects"][url]["coder"] == "noor"
    again = make_app(url, coder=None)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.current_mode == "overview"
        assert again.workbench.coder == "noor"


async def test_existing_project_without_coder_types_straight_into_the_coder_field(project_url):
    app = make_app(project_url, coder=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_mode == "start"
        await pilot.press(*"noor", "enter")  # no click or tab first: every keystroke lands in the coder field
        await pilot.pause()
        assert app.current_mode == "overview"
        assert app.workbench.coder == "noor"


async def test_enter_on_a_listed_coder_starts_at_once(project_url):
    from qualcode.store import coders

    db = Database(project_url)
    with db.transaction() as s:
        coders.add(s, "ines")
        coders.add(s, "pavel")
    db.dispose()
    app = make_app(project_url, coder=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#coders")
        listed = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert len(listed) == 2
        await pilot.press("down", "down", "enter")  # into the list, to the second coder, start
        await pilot.pause()
        assert app.current_mode == "overview"
        assert app.workbench.coder == listed[1]


async def test_switching_coder_is_explicit_and_changes_who_codes(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        reader.view.go_to(reader.view.text.index("Staff"))
        await pilot.press("S", "1")
        await pilot.press("C", *"new", "enter")
        await pilot.pause()
        await pilot.press(*"sam", "enter")
        await pilot.pause()
        assert "coder: sam" in _badge(app)
        reader.view.go_to(reader.view.text.index("Nobody"))
        await pilot.press("S", "2")
        await pilot.pause()
    assert len(codings_in(open_db(), "alex")) == 1
    assert len(codings_in(open_db(), "sam")) == 1


async def test_blind_mode_hides_other_coders_until_owner_reveals(project_url, open_db):
    # alex opens first, so alex owns the project; sam codes too
    first = make_app(project_url, coder="alex")
    async with first.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        reader.view.go_to(reader.view.text.index("Staff"))
        await pilot.press("S", "1")
        await pilot.press("ctrl+b")  # owner switches blind mode on
        await pilot.pause()
        assert "blind" in _badge(first)
    db = open_db()
    with db.reading() as s:
        assert meta.get(s, "blind_mode") == "on"

    sam = make_app(project_url, coder="sam")
    async with sam.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        assert reader.view.codings == []  # alex's coding is hidden from sam
        reader.view.go_to(reader.view.text.index("Staff"))
        await pilot.press("S", "2")
        await pilot.pause()
        assert [c.coder_id for c in reader.view.codings] == [sam.workbench.coder_id]
        await pilot.press("ctrl+r")  # sam is not the owner
        await pilot.pause()
        assert any("only the project owner" in n.message for n in sam._notifications)
        await pilot.press("K")
        await pilot.pause()
        labels = [str(n.label) for n in sam.screen.query_one("Tree").root.children[1].children]
        assert any("0/–" in label for label in labels)
        await pilot.press("E", "c", *"turnover", "enter")
        await sam.workers.wait_for_complete()
        await pilot.pause()
        assert sam.screen.excerpts == []  # alex's excerpt stays hidden in retrieve as well

    owner = make_app(project_url, coder="alex")
    async with owner.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
    sam_again = make_app(project_url, coder="sam")
    async with sam_again.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        assert len(reader.view.codings) == 2
        assert "blind" not in _badge(sam_again)


async def test_owner_from_project_meta(project_url):
    db = Database(project_url)
    with db.transaction() as s:
        meta.put(s, "owner", "sam")
        meta.put(s, "blind_mode", "on")
    db.dispose()
    app = make_app(project_url, coder="alex")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert any("only the project owner (sam)" in n.message for n in app._notifications)
