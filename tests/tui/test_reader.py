"""Pilot tests of the reader: open, move, select, code by palette and by number key, adjust, memo, quote, undo/redo."""

from __future__ import annotations

from tests.tui.conftest import TURNS, code_id, codings_in
from tests.tui.helpers import make_app, open_reader


def _turn_start(n: int) -> int:
    """Offset where the words of turn n begin (after "Speaker: ")."""
    at = 0
    for i, (speaker, words) in enumerate(TURNS):
        if i == n:
            return at + len(speaker) + 2
        at += len(speaker) + 2 + len(words) + 2
    raise IndexError(n)


async def test_overview_enter_opens_a_document(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "overview"
        assert app.screen.query_one("#documents").row_count == 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "reader"
        assert app.screen.view.doc is not None


async def test_turn_and_sentence_moves_and_selection(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot, start=_turn_start(0))
        view = reader.view
        await pilot.press("right_curly_bracket")
        assert view.cursor == _turn_start(1)
        await pilot.press("S")
        start, end = view.selection
        assert view.text[start:end] == "We use it in our strategy meetings."
        await pilot.press("right_parenthesis")
        assert view.selection is None
        assert view.text[view.cursor:].startswith("The community ambition")
        await pilot.press("T")
        assert view.selection == (_turn_start(1), _turn_start(1) + len(TURNS[1][1]))
        await pilot.press("escape", "w")
        assert view.text[view.cursor:].startswith("Interviewer: What gets")


async def test_shift_arrows_and_mark_select(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        view = (await open_reader(pilot, start=_turn_start(1))).view
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert view.text[slice(*view.selection)] == "We "
        await pilot.press("escape", "m", "w", "w")
        assert view.marking
        assert view.text[slice(*view.selection)] == "use it "


async def test_code_via_palette_commits_immediately(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot, start=_turn_start(3))
        await pilot.press("S", "c")
        await pilot.press(*"turnover")
        await pilot.press("enter")
        await pilot.pause()
        # another connection sees it at once: nothing waits for a save or a clean exit
        saved = codings_in(open_db(), "alex")
        assert [(c.start, c.end) for c in saved] == [(_turn_start(3), _turn_start(3) + len("Staff turnover, mostly."))]
        assert saved[0].code_id == code_id(open_db(), "barriers/staff turnover")
        assert reader.view.codings_at(_turn_start(3) + 2)[0].id == saved[0].id


async def test_number_key_applies_pinned_code_to_current_sentence(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reader(pilot, start=_turn_start(1) + 3)
        await pilot.press("1")
        await pilot.pause()
    saved = codings_in(open_db())
    first_leaf = code_id(open_db(), "community/site")
    assert [(c.code_id, c.start) for c in saved] == [(first_leaf, _turn_start(1))]


async def test_remove_adjust_memo_quote_on_the_coding_under_the_caret(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot, start=_turn_start(1))
        await pilot.press("S", "2")
        await pilot.pause()
        await pilot.press("T", "a")
        await pilot.pause()
        (coding,) = codings_in(open_db())
        assert (coding.start, coding.end) == (_turn_start(1), _turn_start(1) + len(TURNS[1][1]))
        await pilot.press("n", *"owner unclear", "enter", "q")
        await pilot.pause()
        (coding,) = codings_in(open_db())
        assert coding.memo == "owner unclear" and coding.candidate_quote
        assert "owner unclear" in str(reader.query_one("#code-definition").render())
        await pilot.press("x")
        await pilot.pause()
        assert codings_in(open_db()) == []


async def test_undo_redo_survive_a_restart(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reader(pilot, start=_turn_start(1))
        await pilot.press("S", "1")
        await pilot.pause()
        await pilot.press("right_curly_bracket", "S", "2")
        await pilot.pause()
    assert len(codings_in(open_db())) == 2
    again = make_app(project_url)
    async with again.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert len(codings_in(open_db())) == 1
        assert len(reader.view.codings) == 1
        await pilot.press("u", "U")
        await pilot.pause()
        assert len(codings_in(open_db())) == 1
    third = make_app(project_url)
    async with third.run_test(size=(100, 30)) as pilot:
        await open_reader(pilot)
        await pilot.press("U")
        await pilot.pause()
    assert len(codings_in(open_db())) == 2


async def test_errors_become_notifications(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reader(pilot)
        await pilot.press("x", "a")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "no coding under the caret" in messages
        assert app.screen.is_current


async def test_mouse_drag_selects(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        view = (await open_reader(pilot)).view
        left = view.text_left
        await pilot.mouse_down(view, offset=(left, 0))
        await pilot.hover(view, offset=(left + 5, 0))
        await pilot.pause()
        await pilot.mouse_up(view, offset=(left + 5, 0))
        await pilot.pause()
        assert view.selection is not None
        assert view.selection[0] == 0


async def test_narrow_terminal_still_shows_caret_codings(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(pilot, start=_turn_start(3))
        await pilot.press("S", "c", *"turnover", "enter")
        await pilot.pause()
        bar = reader.query_one("#cursor-bar").text
        assert "staff turnover" in bar
        side = reader.query_one("#side")
        assert not side.display  # at 80 columns the transcript keeps the width; the panel is one key away
        await pilot.press("i")
        await pilot.pause()
        assert side.display


async def test_nudge_keys_move_a_codings_boundaries_by_words(project_url, open_db):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        view = (await open_reader(pilot, start=_turn_start(3))).view
        await pilot.press("S", "1")  # "Staff turnover, mostly."
        await pilot.pause()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        (coding,) = codings_in(open_db())
        assert view.text[coding.start:coding.end] == "Staff turnover, mostly. And"
        await pilot.press("less_than_sign", "less_than_sign")
        await pilot.pause()
        (coding,) = codings_in(open_db())
        assert view.text[coding.start:coding.end] == "Staff turnover,"
        await pilot.press("full_stop")
        await pilot.pause()
        (coding,) = codings_in(open_db())
        assert view.text[coding.start:coding.end] == "turnover,"
        await pilot.press("comma")
        await pilot.pause()
        (coding,) = codings_in(open_db())
        assert view.text[coding.start:coding.end] == "Staff turnover,"


async def test_empty_project_reader_says_what_to_do(tmp_path):
    from qualcode.store import Database

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Database(url, create=True).dispose()
    app = make_app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert "no documents yet" in app.screen.query_one("#cursor-bar").text
        await pilot.press("c", "u")
        await pilot.pause()
        assert any("nothing to undo" in n.message for n in app._notifications)


async def test_document_memo_is_saved_and_shown(project_url, open_db):
    from qualcode.store.orm import MemoRow
    from sqlalchemy import select

    app = make_app(project_url)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_reader(pilot)
        await pilot.press("N", *"strategy talk only", "enter")
        await pilot.pause()
        assert "strategy talk only" in str(reader.query_one("#document-memo").render())
    with open_db().reading() as s:
        (memo,) = s.scalars(select(MemoRow)).all()
    assert (memo.target, memo.text) == ("document", "strategy talk only")
    again = make_app(project_url)
    async with again.run_test(size=(120, 30)) as pilot:
        reader = await open_reader(pilot)
        assert "strategy talk only" in str(reader.query_one("#document-memo").render())
