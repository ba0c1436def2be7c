"""Pilot tests of the agreement view (G) and the disagreement review (D), plugged in through the registry."""

from __future__ import annotations

import pytest

from qualcode.agreement.workflow_assign import set_blind
from qualcode.domain import Provenance
from qualcode.store import Database
from qualcode.store import codes as code_repo
from qualcode.tui import registry
from qualcode.tui.screens.agreement import CodeRow, sort_rows
from tests.agreement.test_workflow_project import build_project
from tests.tui.conftest import codings_in
from tests.tui.helpers import make_app


@pytest.fixture
def study(tmp_path):
    url = f"sqlite:///{tmp_path / 'double.db'}"
    db = Database(url, create=True)
    build_project(db)
    yield url, db
    db.dispose()


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_views_are_registered():
    registry.discover()
    ids = {view.id: view.key for view in registry.views()}
    assert ids["agreement"] == "G" and ids["disagreements"] == "D"


def test_sort_puts_lowest_first_and_undefined_last():
    def row(path, alpha):
        return CodeRow(1, path, 8, 0.1, 0.9, alpha, (None, None), alpha, 0.5, None)

    rows = [row("b", 0.9), row("a", None), row("c", -0.1), row("d", 0.4)]
    assert [r.path for r in sort_rows(rows, "alpha")] == ["c", "d", "b", "a"]
    assert [r.path for r in sort_rows(rows, "alpha", reverse=True)] == ["b", "d", "c", "a"]


async def test_agreement_table_lowest_first_and_enter_reviews_the_code(study):
    url, db = study
    app = make_app(url, coder="alex")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "AgreementScreen"
        table = screen.query_one("#agreement-table")
        values = [r.alpha for r in sort_rows(screen.rows, "alpha")]
        defined = [v for v in values if v is not None]
        assert defined == sorted(defined) and table.row_count == len(screen.rows) == 5
        first = table.get_row_at(0)
        assert first[0] == "community/public"  # the most disputed code heads the table
        assert "independently coded" in str(screen.query_one("#agreement-sentence").render())
        await pilot.press("s")  # sort by AC1
        await pilot.pause()
        assert screen.sort_key == "ac1"
        await pilot.press("s", "s", "s", "s")  # back round to alpha
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert type(review).__name__ == "DisagreementScreen"
        with db.reading() as s:
            public = code_repo.resolve(s, "community/public").id
        assert review.code_id == public
        assert len(review.review.items) == 2
        assert all(public in item.disputed for item in review.review.items)


async def test_review_shows_coders_side_by_side_and_resolves_into_consensus(study):
    url, db = study
    app = make_app(url, coder="alex")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert len(screen.review.items) == 2
        columns = list(screen.query(".review-coder"))
        assert [c.border_title for c in columns] == ["1 alex", "2 sam", "kim"]
        assert "not assigned" in str(columns[2].render())  # kim coded only the third interview
        item = screen.current()
        await pilot.press("2")  # sam's codes stand
        await settle(pilot)
        consensus = codings_in(db, "consensus")
        assert {c.provenance for c in consensus} == {Provenance.CONSENSUS}
        assert sorted(c.code_id for c in consensus) == sorted(item.codes_by_coder[max(item.codes_by_coder)])
        assert all((c.start, c.end) == (item.start, item.end) for c in consensus)
        assert "consensus:" in str(screen.query_one("#review-status").render())
        await pilot.press("n", *"public means not staff", "enter")
        await pilot.pause()
        with db.reading() as s:
            from qualcode.agreement.workflow_review import code_notes

            noted = [code_notes(s, c) for c in item.disputed]
        assert all(n and n[-1]["text"] == "public means not staff" for n in noted)


async def test_review_is_refused_while_blind(study):
    url, db = study
    set_blind(db, True)
    app = make_app(url, coder="alex")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert app.screen.review is None
        assert "reveal" in str(app.screen.query_one("#review-summary").render())
        await pilot.press("1")
        await pilot.pause()
    assert codings_in(db, "alex") and not [c for c in codings_in(db) if c.provenance == Provenance.CONSENSUS]


async def test_agreement_view_saves_a_round_and_changes_unit(study):
    from qualcode.agreement.workflow import stored_audits

    url, db = study
    app = make_app(url, coder="alex")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert screen.unit == "character" and str(screen.report.unit) == "character"
        assert "character units" in str(screen.query_one("#agreement-summary").render())
    with db.reading() as s:
        saved = stored_audits(s)
    assert [r["unit"] for r in saved] == ["segment"]
    assert set(saved[0]["coders"]) == {"alex", "sam", "kim"}


async def test_agreement_table_fits_80_columns_with_alpha_interval_in_view(study):
    url, db = study
    app = make_app(url, coder="alex")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        table = app.screen.query_one("#agreement-table")
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[-1] == "95% CI" and "AC1" not in labels
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 78
        assert all(len(str(table.get_row_at(i)[0])) <= 24 for i in range(table.row_count))
