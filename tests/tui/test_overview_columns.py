"""Overview table at narrow and wide sizes: the title column gets the room, long titles keep their distinguishing end."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import DataTable

from qualcode.tui.screens.overview import fit_middle
from tests.tui.helpers import make_app


@given(st.text(min_size=0, max_size=80), st.integers(min_value=0, max_value=60))
def test_fit_middle_keeps_width_and_both_ends(text, width):
    fitted = fit_middle(text, width)
    assert len(fitted) <= max(width, 0)
    if len(text) <= width:
        assert fitted == text
    elif width >= 4:
        assert "…" in fitted
        tail = fitted.split("…")[-1]
        assert text.endswith(tail) and len(tail) >= (width - 1) // 2


def _titles(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[list(table.columns).index("document")]) for i in range(table.row_count)]


async def test_narrow_overview_drops_people_and_shows_whole_titles(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#documents", DataTable)
        names = [str(c.label) for c in table.columns.values()]
        assert "people" not in names and names[1] == "document"
        assert table.columns["document"].width >= 40
        titles = _titles(table)
        assert len(set(titles)) == table.row_count
        assert all("…" not in t for t in titles)
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.pause()
        assert "people" in [str(c.label) for c in table.columns.values()]
