"""The reader fits its width: the side panel re-wraps the transcript, one tab reaches the suggestions, names never break."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.coding import CodingService
from qualcode.store import Database
from qualcode.store import codes as code_repo
from qualcode.tui.fit import fit_middle, fit_path, wrap_path
from qualcode.tui.widgets.suggestions_panel import SuggestionsPanel
from tests.tui.helpers import make_app, open_reader

LONG = "someone-elses-responsibility-entirely"


def _lines_whole(view) -> int:
    """Every visible line of the transcript is drawn in full (nothing cut at the right edge); returns how many."""
    layout = view._layout
    checked = 0
    for y in range(view.scrollable_content_region.height):
        line = int(view.scroll_offset.y) + y
        if line >= len(layout):
            break
        drawn = view.render_line(y).text
        expected = view.text[layout.starts[line]:layout.ends[line]].rstrip()
        assert expected in drawn, (line, drawn)
        checked += 1
    return checked


async def test_side_panel_at_80_columns_rewraps_the_transcript(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(pilot)
        view = reader.view
        wide = view._layout.width
        await pilot.press("i")
        await pilot.pause()
        side = reader.query_one("#side")
        assert side.region.width > 0 and side.region.x >= view.region.right  # beside the text, not over it
        assert view._layout.width + view.text_left <= view.scrollable_content_region.width
        assert view._layout.width < wide
        assert _lines_whole(view) > 5
        await pilot.press("i")
        await pilot.pause()
        assert view._layout.width == wide and _lines_whole(view) > 5


async def test_one_tab_from_the_transcript_focuses_the_suggestions(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(160, 50)) as pilot:
        reader = await open_reader(pilot)
        assert app.focused is reader.view
        await pilot.press("tab")
        assert isinstance(app.focused, SuggestionsPanel)


async def test_suggestions_get_the_side_panel_when_nothing_is_coded_here(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(160, 50)) as pilot:
        reader = await open_reader(pilot)
        await pilot.pause()
        side = reader.query_one("#side")
        panel = reader.query_one(SuggestionsPanel)
        assert reader.query_one("#coding-panel").region.height <= 3
        assert panel.region.height >= side.region.height * 0.8
        assert "suggestions" in str(panel.query_one("#suggestions-list").render()).lower()  # never a bare title


async def test_long_code_names_are_cut_whole_in_the_side_panel(project_url):
    db = Database(project_url)
    with db.transaction() as s:
        code_repo.add(s, LONG, parent="barriers")
    CodingService(db, "alex").apply("interview-01", 0, 40, f"barriers/{LONG}")
    db.dispose()
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(pilot, start=5)
        await pilot.press("i")
        await pilot.pause()
        box = reader.query_one("#codings-at-cursor")
        width = box.content_region.width
        drawn = [strip.text for strip in box.render_lines(box.outer_size.region)]
        line = next(t for t in drawn if "…" in t or LONG in t)
        assert LONG in line or "…" in line and line.rstrip().endswith("alex")
        assert all(len(t.rstrip()) <= width for t in drawn)
        assert not any(t.strip() and LONG.endswith(t.strip()) and t.strip() != LONG for t in drawn)  # no wrapped tail


segment = st.text(alphabet="abcdefghij-", min_size=1, max_size=30)


@given(st.lists(segment, min_size=1, max_size=4).map("/".join), st.integers(min_value=4, max_value=60))
def test_fitted_paths_keep_their_ends_and_the_width(path, width):
    fitted = fit_path(path, width)
    assert len(fitted) <= width
    if len(path) <= width:
        assert fitted == path
    else:
        assert "…" in fitted and fitted[0] == path[0] and fitted[-1] == path[-1]


@given(st.lists(segment, min_size=1, max_size=5).map("/".join), st.integers(min_value=8, max_value=60))
def test_wrapped_paths_break_only_after_a_slash(path, width):
    lines = wrap_path(path, width)
    assert all(len(line) <= width for line in lines)
    assert all(line.endswith("/") or "…" in line for line in lines[:-1])
    if all(len(part) + 1 <= width for part in path.split("/")):
        assert "".join(lines) == path


def test_fit_middle_keeps_both_ends():
    assert fit_middle("focus-group-service-managers", 16) == "focus…e-managers"
