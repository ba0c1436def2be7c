"""Project copy between backends, online backup, integrity check, team-mode identity."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text

from qualcode.coding import CodingService
from qualcode.errors import Conflict, PermissionDenied
from qualcode.store.project_ops import backup_project, check_project, copy_project
from qualcode.store import Database
from qualcode.store import codings as coding_repo
from qualcode.store.orm import Base
from tests.conftest import PG_URL, _drop_pg, _pg_database
from tests.harness.seed import seed_project


def snapshot(db):
    """Every row of every table, comparable across backends."""
    out = {}
    with db.reading() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
            out[table.name] = [
                {k: (v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v is not None else v) for k, v in r.items()}
                for r in rows
            ]
    return out


def coded_project(url):
    db = seed_project(url)
    service = CodingService(db, "alex")
    first = service.apply(1, 0, 20, "code-1", memo="naïve — “quoted”")
    service.apply(2, 5, 40, "code-2")
    service.adjust(first.id, 1, 21)
    service.undo()
    return db


def test_copy_sqlite_to_other_backend_and_back_is_lossless(backend_url, tmp_path):
    source = coded_project(f"sqlite:///{tmp_path / 'src.db'}")
    copy_project(source, backend_url)
    middle = Database(backend_url)
    back_url = f"sqlite:///{tmp_path / 'back.db'}"
    copy_project(middle, back_url)
    back = Database(back_url)
    assert snapshot(back) == snapshot(source)
    assert check_project(back).ok
    # The copy keeps working: new codings get fresh ids, undo history continues.
    with middle.reading() as s:
        highest = max(c.id for c in coding_repo.all_codings(s))
    service = CodingService(middle, "alex")
    new = service.apply(1, 3, 9, "code-3")
    assert new.id > highest
    assert service.undo().coding_id == new.id
    for db in (source, middle, back):
        db.dispose()


def test_copy_refuses_a_non_empty_target(tmp_path):
    a = coded_project(f"sqlite:///{tmp_path / 'a.db'}")
    b = coded_project(f"sqlite:///{tmp_path / 'b.db'}")
    with pytest.raises(Conflict):
        copy_project(a, b.url)


def test_backup_is_a_complete_openable_copy(tmp_path):
    db = coded_project(f"sqlite:///{tmp_path / 'p.db'}")
    target = backup_project(db, tmp_path / "copy.db")
    copy = Database(f"sqlite:///{target}")
    assert snapshot(copy) == snapshot(db)
    with pytest.raises(Conflict):
        backup_project(db, target)


def test_check_finds_offsets_outside_text_and_unaudited_codings(tmp_path):
    db = coded_project(f"sqlite:///{tmp_path / 'p.db'}")
    assert check_project(db).ok
    with db.transaction() as s:
        s.execute(text("UPDATE codings SET \"end\" = 999999"))
        s.execute(text("INSERT INTO codings (guid, document_id, start, \"end\", code_id, coder_id, created, provenance, "
                       "codebook_version, candidate_quote) VALUES ('x', 1, 0, 5, 1, 1, '2026-01-01', 'manual', 1, 0)"))
    report = check_project(db)
    assert not report.ok
    assert any("outside their document" in p for p in report.problems)
    assert any("missing from the audit log" in p for p in report.problems)


@pytest.mark.skipif(not PG_URL, reason="team mode needs PostgreSQL (QUALCODE_TEST_PG_URL)")
def test_team_mode_stops_a_role_writing_as_another_coder():
    from qualcode.store import team

    admin, name, url = _pg_database()
    role_a, role_b = f"alex_{uuid.uuid4().hex[:6]}", f"sam_{uuid.uuid4().hex[:6]}"
    with admin.connect() as c:
        for role in (role_a, role_b):
            c.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    try:
        owner = seed_project(url)
        team.enable(owner)
        team.bind_coder(owner, "alex", role_a)
        team.bind_coder(owner, "sam", role_b)
        as_alex = Database(url.replace("postgres@", f"{role_a}@"))
        mine = CodingService(as_alex, "alex").apply(1, 0, 10, "code-0")
        with pytest.raises(PermissionDenied):
            CodingService(as_alex, "sam")
        # Even raw SQL through alex's role cannot write a coding for sam.
        with pytest.raises(PermissionDenied), as_alex.transaction() as s:
            s.execute(text("UPDATE codings SET coder_id = (SELECT id FROM coders WHERE name = 'sam') WHERE id = :i"),
                      {"i": mine.id})
        as_sam = Database(url.replace("postgres@", f"{role_b}@"))
        with as_sam.transaction() as s:
            changed = s.execute(text("DELETE FROM codings WHERE id = :i"), {"i": mine.id}).rowcount
        assert changed == 0  # sam's role cannot see alex's rows as writable
        as_alex.dispose()
        as_sam.dispose()
        owner.dispose()
    finally:
        _drop_pg(admin, name)
        admin2 = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin2.connect() as c:
            for role in (role_a, role_b):
                c.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        admin2.dispose()
