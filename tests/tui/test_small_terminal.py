"""Every main screen opens and works at 80x24: nothing overlaps the text, keys still reach their actions."""

from __future__ import annotations

from tests.tui.helpers import make_app, open_reader


async def test_every_screen_at_80x24(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, mode in (("K", "codebook"), ("E", "retrieve"), ("slash", "search"), ("O", "overview")):
            if app.focused is not None and app.focused.__class__.__name__ == "Input":
                await pilot.press("escape")
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
            assert app.screen.query_one(".coder-badge").region.width > 0  # who is coding stays visible
        reader = await open_reader(pilot)
        view = reader.view
        assert view.region.width >= 70  # the side panel gives way to the text
        layout_width = view.scrollable_content_region.width - view.text_left
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "c")
        await pilot.pause()
        assert type(app.screen).__name__ == "FuzzyPicker"
        assert app.screen.query_one("#picker-detail").region.height > 0  # definitions stay visible while choosing
        await pilot.press("escape")
        assert layout_width > 50
