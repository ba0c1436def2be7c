"""Pilot tests of the app's shared features: help, command palette, keymap, themes, plug-in views and panels."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Static

from qualcode.tui import registry
from qualcode.tui.commands import screen_actions
from tests.tui.conftest import codings_in
from tests.tui.helpers import make_app, open_reader


async def test_help_lists_bindings_with_ids(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reader(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-table")
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"apply-code", "undo", "redo", "select-turn", "show-codebook"} <= ids
        await pilot.press("escape")
        assert type(app.screen).__name__ == "ReaderScreen"


async def test_command_palette_runs_screen_actions(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        titles = [title for title, *_ in screen_actions(app, reader)]
        assert "Code" in titles and "Codebook" in titles and "Switch coder" in titles
        reader.view.go_to(reader.view.text.index("Staff"))
        await pilot.press("S", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"Pinned 3")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
    assert len(codings_in(open_db())) == 1


async def test_keymap_file_remaps_a_binding(project_url, tmp_path, open_db):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "keymap.toml").write_text('[keys]\napply-code = "k"\n')
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        reader.view.go_to(reader.view.text.index("Staff"))
        await pilot.press("S", "k")
        await pilot.pause()
        assert type(app.screen).__name__ == "FuzzyPicker"
        await pilot.press(*"turnover", "enter")
        await pilot.pause()
    assert len(codings_in(open_db())) == 1


async def test_bad_keymap_is_a_notification(project_url, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "keymap.toml").write_text("[keys\n")
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("cannot read the keymap" in n.message for n in app._notifications)
        assert app.current_mode == "overview"


async def test_theme_toggle_is_remembered(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
    again = make_app(project_url)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.current_theme.dark is not dark


class _Tally(Screen):
    def compose(self):
        yield Static("tally view", id="tally")


class _Panel(Static):
    def reader_context(self, ctx: registry.ReaderContext) -> None:
        self.update(f"caret {ctx.cursor} codings {len(ctx.codings)}")


async def test_registered_view_key_can_be_remapped(project_url, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "keymap.json").write_text('{"view-tally-remap": "f7"}')
    registry.register_view(registry.View("tally-remap", "Tally (remap)", "f8", lambda bench: _Tally()))
    try:
        app = make_app(project_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f8")
            await pilot.pause()
            assert app.current_mode == "overview"
            await pilot.press("f7")
            await pilot.pause()
            assert app.current_mode == "tally-remap"
    finally:
        registry.unregister("tally-remap")


async def test_registered_view_and_reader_panel(project_url):
    registry.register_view(registry.View("tally-test", "Tally (test)", "f9", lambda bench: _Tally()))
    registry.register_panel(registry.Panel("panel-test", "Test panel", lambda bench: _Panel(id="panel-test", classes="reader-panel")))
    try:
        app = make_app(project_url)
        async with app.run_test(size=(140, 30)) as pilot:
            reader = await open_reader(pilot)
            await pilot.press("w")
            await pilot.pause()
            assert str(reader.query_one("#panel-test").render()).startswith(f"caret {reader.view.cursor}")
            await pilot.press("f9")
            await pilot.pause()
            assert app.current_mode == "tally-test"
            assert app.screen.query_one("#tally")
            assert "Tally (test)" in [t for t, *_ in screen_actions(app, app.screen)]
    finally:
        registry.unregister("tally-test")
        registry.unregister("panel-test")


async def test_the_workbench_takes_its_start_up_out_of_the_collectors_reach(project_url):
    import gc

    gc.unfreeze()
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # full collections skip what start-up built: no pause on a key press
    assert gc.get_freeze_count() == 0  # and quitting hands it back, so a process can run the app again
