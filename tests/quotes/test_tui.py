"""Pilot tests of the quote-bank review view, plugged into the workbench through the registry."""

from __future__ import annotations

from textual.widgets.text_area import Selection

from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.model import ACCEPTED, UNREVIEWED, BankSettings
from qualcode.tui.app import QualcodeApp


def make_app(db):
    app = QualcodeApp(str(db.engine.url), coder="ana")
    app.frozen_clock = True
    return app


def stored(db, quote_id):
    with db.reading() as s:
        return repo.get(s, quote_id)


async def settle(pilot) -> None:
    """Let the view's loading worker finish and its result reach the screen."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_quotes(pilot, app, fragment):
    await pilot.press("Q")
    await settle(pilot)
    screen = app.screen
    assert type(screen).__name__ == "QuotesScreen"
    row = next(i for i, q in enumerate(screen.quotes) if fragment in q.masked_text)
    screen.query_one("#quotes-table").move_cursor(row=row)
    await settle(pilot)
    assert fragment in screen.current.masked_text
    return screen


async def test_review_view_accepts_redacts_a_selection_and_undoes(project):
    build_bank(project.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    app = make_app(project.db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_quotes(pilot, app, "Funding is the barrier")
        quote_id = screen.current.id
        await pilot.press("a")
        await settle(pilot)
        assert stored(project.db, quote_id).status == ACCEPTED
        await pilot.press("tab")
        source = screen.query_one("#quote-source")
        source.selection = Selection((0, 0), (0, len("Funding")))
        await pilot.press("o")
        await settle(pilot)
        assert stored(project.db, quote_id).masked_text == "[ORG A] is the barrier."
        assert "[ORG A]" in str(screen.query_one("#quote-view").render())
        source = screen.query_one("#quote-source")
        source.focus()
        source.cursor_location = (0, 2)
        await pilot.press("u")
        await settle(pilot)
        after = stored(project.db, quote_id)
        assert after.masked_text == "Funding is the barrier." and after.status == UNREVIEWED


async def test_redactions_are_highlighted_and_a_missing_selection_is_explained(project):
    build_bank(project.db, BankSettings(codes=("community",), use_ner=False))
    app = make_app(project.db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_quotes(pilot, app, "runs the café at [HOSPICE A]")
        view = screen.query_one("#quote-view").render()
        struck = [view.plain[s.start : s.end] for s in view.spans if "strike" in str(s.style)]
        assert struck == ["Mags", "St Wilfrid's Hospice"]
        before = screen.current.masked_text
        await pilot.press("p")  # nothing selected: a notice, no change
        await settle(pilot)
        assert stored(project.db, screen.current.id).masked_text == before
        assert any("select the words" in n.message for n in app._notifications)


async def test_empty_project_says_how_to_build_a_bank(project):
    app = make_app(project.db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("Q")
        await settle(pilot)
        assert "qualcode quotes build" in str(app.screen.query_one("#quotes-summary").render())


async def test_shareable_view_hides_the_real_text_and_marks_what_the_scan_holds_back(project):
    build_bank(project.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    app = make_app(project.db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_quotes(pilot, app, "runs the café at [HOSPICE A]")
        assert "Mags" in screen.query_one("#quote-source").text  # review view: the real text
        await pilot.press("S")
        await settle(pilot)
        view = str(screen.query_one("#quote-view").render())
        assert "Mags" not in view and "runs the café at [HOSPICE A]" in view
        assert screen.query_one("#quote-source").text == "" and not screen.query_one("#quote-source").display
        table = screen.query_one("#quotes-table")
        # The roster's "Bill" is masked at detection: its quote is shown, masked, not held back.
        table.move_cursor(row=next(i for i, q in enumerate(screen.quotes) if "from the ICB" in q.masked_text))
        await settle(pilot)
        view = str(screen.query_one("#quote-view").render())
        assert "Bill" not in view and "withheld" not in view and "from the ICB" in view
        # "I hope ..." shows the roster's Hope as a word: the scan holds it until a reviewer looks.
        table.move_cursor(row=next(i for i, q in enumerate(screen.quotes) if q.masked_text.startswith("I hope")))
        await settle(pilot)
        assert "withheld by the final scan" in str(screen.query_one("#quote-view").render())
        await pilot.press("S")
        await settle(pilot)
        assert "Thornbury Vale" in screen.query_one("#quote-source").text
