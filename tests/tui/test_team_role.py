"""The workbench run through a coder's own PostgreSQL role in team mode: every view opens, blind mode and names hold."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from qualcode.store import team
from qualcode.agreement.workflow_assign import set_blind
from qualcode.coding import CodingService
from qualcode.store import Database, meta
from qualcode.store import participants as participant_repo
from qualcode.store.orm import AuditRow, CoderRow, CodingRow
from qualcode.importers.base import ParsedParticipant
from qualcode.tui import registry
from qualcode.tui.app import BUILTIN_MODES
from tests.conftest import PG_URL, REQUIRE_PG, _drop_pg, _pg_database
from tests.tui.conftest import TURNS, build_project_at
from tests.tui.helpers import make_app, open_reader

REAL_NAME = "Maren Oakhollow"


def _turn_start(n: int) -> int:
    at = 0
    for speaker, words in TURNS[:n]:
        at += len(speaker) + 2 + len(words) + 2
    return at + len(TURNS[n][0]) + 2


def _as_role(url: str, role: str) -> str:
    return sa.engine.make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


@pytest.fixture
def team_urls():
    """A team-mode project: alex has coded two turns, blind mode is on; yields (owner db, alex url, sam url)."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("QUALCODE_REQUIRE_PG=1 but QUALCODE_TEST_PG_URL is not set")
        pytest.skip("the workbench under a coder's role needs a real PostgreSQL server (set QUALCODE_TEST_PG_URL)")
    admin, name, url = _pg_database()
    suffix = uuid.uuid4().hex[:8]
    roles = {"alex": f"qc_tui_alex_{suffix}", "sam": f"qc_tui_sam_{suffix}"}
    with admin.connect() as c:
        for role in roles.values():
            c.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    owner = None
    try:
        build_project_at(url)
        owner = Database(url)
        with owner.transaction() as s:
            participant_repo.upsert(s, ParsedParticipant("P01", name=REAL_NAME, aliases=["Maren O"]))
        team.enable(owner)
        for coder, role in roles.items():
            team.bind_coder(owner, coder, role)
        alex_url, sam_url = _as_role(url, roles["alex"]), _as_role(url, roles["sam"])
        as_alex = Database(alex_url)
        alex = CodingService(as_alex, "alex")
        alex.apply(1, _turn_start(1), _turn_start(1) + 20, "community/site")
        alex.apply(1, _turn_start(3), _turn_start(3) + 14, "barriers/staff turnover")
        as_alex.dispose()
        set_blind(owner, True)
        yield owner, alex_url, sam_url
    finally:
        if owner is not None:
            owner.dispose()
        _drop_pg(admin, name)
        cleanup = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with cleanup.connect() as c:
            for role in roles.values():
                c.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        cleanup.dispose()


def _errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def _codings_by(owner: Database, coder: str) -> list[tuple[int, int, int]]:
    with owner.reading() as s:
        coder_id = s.scalar(select(CoderRow.id).where(CoderRow.name == coder))
        return [tuple(r) for r in s.execute(select(CodingRow.document_id, CodingRow.start, CodingRow.end)
                                            .where(CodingRow.coder_id == coder_id).order_by(CodingRow.start))]


async def test_every_view_opens_through_a_coder_role_without_a_failure_or_a_real_name(team_urls):
    _owner, _alex_url, sam_url = team_urls
    app = make_app(sam_url, coder="sam")
    modes = [*BUILTIN_MODES, *(view.id for view in registry.views())]
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert app.current_mode == "overview", _errors(app)
        for mode in modes:
            app.action_show(mode)
            await pilot.pause()
            await pilot.pause()
            assert app.current_mode == mode
            assert _errors(app) == [], f"{mode}: {_errors(app)}"
            assert REAL_NAME not in app.export_screenshot(), mode
    assert len(modes) >= 8  # the built-in views and the registered ones (analysis, agreement, quotes, ...)


async def test_while_blind_a_coder_sees_only_their_own_codings_and_codes_as_themselves(team_urls):
    owner, _alex_url, sam_url = team_urls
    alex_before = _codings_by(owner, "alex")
    app = make_app(sam_url, coder="sam")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(pilot, start=_turn_start(1) + 3)
        assert reader.view.codings == []  # alex's two codings exist but are not sam's to see
        await pilot.press("1")
        await pilot.pause()
        assert [c.coder_id for c in reader.view.codings] == [app.workbench.coder_id]
        assert _errors(app) == []
    assert _codings_by(owner, "alex") == alex_before
    (mine,) = _codings_by(owner, "sam")
    assert mine[1] == _turn_start(1)
    with owner.reading() as s:
        entry = s.scalars(select(AuditRow).where(AuditRow.entity == "coding").order_by(AuditRow.id.desc())).first()
    assert entry.coder == "sam" and entry.action == "add"


async def test_a_coder_role_cannot_lift_blind_mode_or_reveal_from_the_workbench(team_urls):
    owner, _alex_url, sam_url = team_urls
    app = make_app(sam_url, coder="sam")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        errors = _errors(app)
        assert len(errors) == 2 and all("owner" in e for e in errors), errors
        assert app.workbench.blind
    with owner.reading() as s:
        assert meta.get(s, "blind_mode") == "on" and meta.get(s, "revealed") == "off"


async def test_a_coder_role_claiming_another_coder_is_refused_in_one_line(team_urls):
    owner, _alex_url, sam_url = team_urls
    app = make_app(sam_url, coder="alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.workbench is None or app.workbench.coder != "alex"
        errors = _errors(app)
        assert errors and "cannot code as 'alex'" in errors[0] and "\n" not in errors[0]
        await pilot.press("C")  # no project is open under the wrong name: nothing to switch
        await pilot.pause()
    assert len(_codings_by(owner, "alex")) == 2
