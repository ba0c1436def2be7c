"""`project check` during others' writes, a blocked undo, and migration 0003's removal of duplicate codings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from qualcode.coding import CodingService, HistoryStep
from qualcode.errors import Conflict
from qualcode.store.project_ops import check_project
from qualcode.store import Database
from qualcode.store.migrate import alembic_config
from qualcode.store.orm import AuditRow, CodingRow, QuoteRow
from tests.harness.seed import seed_project

WORKER = Path(__file__).resolve().parent.parent / "harness" / "coder_worker.py"
REPO = WORKER.parents[2]


def test_check_during_concurrent_coding_reports_no_false_failure(backend_url, tmp_path):
    seed_project(backend_url).dispose()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, str(WORKER), backend_url, f"coder{i}", "150", str(tmp_path / f"{i}.log"), str(i)],
                              env=env, stderr=subprocess.PIPE) for i in range(4)]
    db = Database(backend_url)
    reports = []
    while any(p.poll() is None for p in procs) or not reports:
        reports.append(check_project(db))
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
    final = check_project(db)
    db.dispose()
    problems = [p for r in reports for p in r.problems]
    assert problems == [], problems[:5]
    assert final.ok and final.checked["codings"] == 600
    # Checks that ran mid-way saw a consistent part of the work, not an impossible mixture.
    assert all(0 <= r.checked["codings"] <= 600 for r in reports)


def _alex_and_sam(db):
    alex = CodingService(db, "alex")
    coding = alex.apply(1, 0, 12, "code-0")
    with db.reading() as s:
        step_id = s.scalar(select(AuditRow.id).where(AuditRow.entity == "coding", AuditRow.entity_id == coding.id))
    return alex, CodingService(db, "sam"), coding, step_id


def _audit_count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(AuditRow))


def test_an_undo_of_another_coder_s_step_commits_nothing(backend_url):
    db = seed_project(backend_url)
    _, sam, coding, step_id = _alex_and_sam(db)
    before = _audit_count(db)
    with pytest.raises(Conflict):
        sam._replay(HistoryStep(step_id, "add", coding.id), "undo")
    assert _audit_count(db) == before
    with db.reading() as s:
        assert s.get(CodingRow, coding.id) is not None
    db.dispose()


def test_an_undo_the_row_check_blocks_commits_no_undo_entry(backend_url):
    db = seed_project(backend_url)
    alex, sam, _, _ = _alex_and_sam(db)
    mine = sam.apply(2, 5, 25, "code-1")
    # The coding sam's history points at has since become alex's (the owner merged or reassigned it).
    with db.transaction() as s:
        s.get(CodingRow, mine.id).coder_id = alex.coder.id
    before = _audit_count(db)
    with pytest.raises(Conflict):
        sam.undo()
    assert _audit_count(db) == before
    with db.reading() as s:
        assert s.get(CodingRow, mine.id).coder_id == alex.coder.id
        assert not s.scalars(select(AuditRow).where(AuditRow.action == "undo")).all()
    db.dispose()


def test_migration_0003_keeps_the_lowest_id_of_each_duplicate(backend_url):
    engine = sa.create_engine(backend_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
        run = connection.exec_driver_sql
        run("INSERT INTO documents (guid, title, kind, text, meta, word_count, created) "
            "VALUES ('d', 'doc', 'interview', 'the words we coded twice', '{}', 5, '2026-01-01')")
        run("INSERT INTO codes (guid, name, description, inclusion, exclusion, examples, keywords, valence, position) "
            "VALUES ('c', 'trust', '', '', '', '[]', '[]', 'none', 0)")
        run("INSERT INTO coders (guid, name) VALUES ('k', 'alex')")
        for n in range(4):  # three copies of one coding, then one other
            start = 0 if n < 3 else 4
            run("INSERT INTO codings (guid, document_id, start, \"end\", code_id, coder_id, created, provenance, "
                f"codebook_version, candidate_quote) VALUES ('g{n}', 1, {start}, 9, 1, 1, '2026-01-01', 'manual', 1, false)")
            run("INSERT INTO audit_log (at, coder, action, entity, entity_id, after) "
                f"VALUES ('2026-01-01', 'alex', 'add', 'coding', {n + 1}, '{{}}')")
        run("INSERT INTO quotes (bank, document_id, start, \"end\", coding_id, masked_text, attribution, redactions, "
            "status, rank, created) VALUES ('default', 1, 0, 9, 3, 'the words', 'P', '[]', 'unreviewed', 0, '2026-01-01')")
    engine.dispose()
    db = Database(backend_url, has_backup=True)  # opening upgrades to head (a PostgreSQL one asks for a backup)
    with db.reading() as s:
        assert sorted(s.scalars(select(CodingRow.id))) == [1, 4]
        assert s.scalar(select(QuoteRow.coding_id)) == 1
    assert check_project(db).ok, check_project(db).problems
    with pytest.raises(sa.exc.IntegrityError), db.transaction() as s:
        s.execute(sa.text("INSERT INTO codings (guid, document_id, start, \"end\", code_id, coder_id, created, provenance, "
                          "codebook_version, candidate_quote) VALUES ('again', 1, 0, 9, 1, 1, '2026-01-01', 'manual', 1, false)"))
    db.dispose()


def test_check_still_finds_a_damaged_search_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'damaged.db'}"
    db = seed_project(url)
    with db.transaction() as s:  # change the words behind the index's back
        s.execute(sa.text("DROP TRIGGER segments_fts_au"))
        s.execute(sa.text("UPDATE segments SET text = 'nothing like what was indexed' WHERE id = 1"))
    report = check_project(db)
    db.dispose()
    assert any(p.startswith("search index:") for p in report.problems), report.problems
