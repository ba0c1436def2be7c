"""The views on the demo project fit their width: titles on every unit, names never broken, bars in view, words that read."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.coding import CodingService
from qualcode.demo import build_demo
from qualcode.store import Database
from qualcode.tui.screens.analysis import _labels
from qualcode.tui.screens.overview import activity_lines
from qualcode.tui.screens.search import excerpt_lines
from tests.tui.helpers import make_app, open_reader


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return f"sqlite:///{path}"


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def lines_of(widget) -> list[str]:
    return [strip.text for strip in widget.render_lines(widget.outer_size.region)]


async def test_disagreement_units_show_titles_and_codes_wrap_after_a_slash(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        items = screen.review.items
        assert items and all(item.document_id in screen.review.titles for item in items)
        units = screen.query_one("#review-units")
        assert units.option_count == len(items)  # one line each: titles are cut to fit, never wrapped
        for index in range(0, len(items), 7):
            units.highlighted = index
            await pilot.pause()
            paths = {screen.review.code_names[c] for codes in items[index].codes_by_coder.values() for c in codes}
            segments = {part for p in paths for part in p.split("/")}
            for box in screen.query(".review-coder"):
                for line in lines_of(box)[1:-1]:  # inside the round border
                    for word in line.strip("│").replace("•", " ").replace("(no code)", "").split():
                        # whole segments only ("stage/", "interpret", "stage/interpret"), or a cut marked with …
                        assert "…" in word or all(part in segments for part in word.rstrip("/").split("/")), (word, line)


async def test_analysis_has_its_bar_and_whole_code_names(demo_url):
    app = make_app(demo_url)
    for size in ((80, 24), (160, 50)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("Y")
            await settle(pilot, 5)
            screen = app.screen
            bar = screen.query_one(".topbar")
            assert bar.region.y == 0 and bar.region.height == 1
            assert "coder: alex" in str(screen.query_one(".coder-badge").render())
            themes = screen.query_one("#theme-list")
            names = {c.path.rsplit("/", 1)[-1] for c in screen.data.counts}
            for line in lines_of(themes):
                body = line.strip("▊▎▔▁ ").rsplit(" (", 1)[0].strip()
                assert not body or body in names or "…" in body, line
            assert screen.query_one("#summary-text").render()  # a theme is summarised at once, not a blank chart
            app = make_app(demo_url)


@given(st.lists(st.text(alphabet="abcdefgh-", min_size=1, max_size=40), min_size=1, max_size=12, unique=True))
def test_chart_labels_keep_their_start_and_stay_distinct(labels):
    short = _labels(labels, 24)
    assert len(set(short)) == len(short) and all(len(s) <= 24 for s in short)
    for label, cut in zip(labels, short):
        assert cut[:6] == label[:6] or len(label) <= 24 and cut[:-1] == label[:-1]


def test_activity_folds_runs_of_the_same_action():
    now = datetime(2026, 1, 5, 10, 0)
    entry = lambda coder, action, entity, m: SimpleNamespace(coder=coder, action=action, entity=entity,  # noqa: E731
                                                             at=now - timedelta(minutes=m))
    entries = [entry("alex", "add", "coding", m) for m in range(10)] + [entry("sam", "remove", "coding", 11),
                                                                        entry("alex", "import", "document", 12)]
    lines = activity_lines(entries, stamp=False)
    assert lines == ["alex added 10 codings", "sam removed a coding", "alex imported a document"]
    assert len(set(lines)) == len(lines)


async def test_undo_toast_says_what_was_undone(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(pilot)
        reader.view.go_to(reader.view.text.index("Staff turnover"))
        await pilot.press("S", "c", *"site", "enter")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("U")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Undid: coding 'community/site' on interview-01" in messages
        assert "Redid: coding 'community/site' on interview-01" in messages


async def test_search_excerpts_use_the_width(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"volunteer", "enter")
        await settle(pilot)
        hits = app.screen.query_one("#hits")
        width = hits.content_region.width
        drawn = [line.strip("▊▎ ") for line in lines_of(hits)[1:-1]]  # inside the tall border
        longest = max(len(line) for line in drawn)
        assert width > 140 and longest > 120, (width, drawn[:6])  # the old snippets stopped at about 90 characters
        assert all(len(line) <= width for line in drawn)


@given(st.text(alphabet="ab c", min_size=1, max_size=400), st.integers(min_value=20, max_value=150), st.data())
def test_excerpts_fit_and_hold_the_match(text, width, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    lines = excerpt_lines(text, start, start + 1, (0, len(text)), width)
    assert 1 <= len(lines) <= 2 and all(len(line) <= width for line in lines)


async def test_quote_bank_view_builds_a_bank_when_there_is_none(project_url):
    db = Database(project_url)
    service = CodingService(db, "alex")
    service.apply("interview-01", 223, 319, "barriers/resources")
    service.apply("focus-group-a", 7, 47, "community/site")
    db.dispose()
    app = make_app(project_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("Q")
        await settle(pilot)
        screen = app.screen
        assert "press b" in str(screen.query_one("#quotes-summary").render())
        await pilot.press("b")
        for _ in range(300):
            await settle(pilot, 1)
            if screen.quotes:
                break
        assert screen.quotes and not screen.building
        assert "unreviewed" in str(screen.query_one("#quotes-summary").render())
