"""Team mode under attack: coder sam's own database role, raw SQL, against a real PostgreSQL server; alex's work stays intact."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text
from typer.testing import CliRunner

from qualcode.store import team
from qualcode.cli import app
from qualcode.coding import CodingService
from qualcode.errors import InvalidInput, PermissionDenied
from qualcode.importers.base import ParsedParticipant
from qualcode.store.project_ops import check_project
from qualcode.store import Database
from qualcode.store import participants as participant_repo
from qualcode.store.orm import AuditRow, CoderRow, CodingRow, MemoRow, PseudonymRow
from tests.conftest import PG_URL, REQUIRE_PG, _drop_pg, _pg_database
from tests.harness.seed import seed_project

RACE = Path(__file__).resolve().parent.parent / "harness" / "race_worker.py"
REPO = RACE.parents[2]
runner = CliRunner()


def _need_pg() -> None:
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("QUALCODE_REQUIRE_PG=1 but QUALCODE_TEST_PG_URL is not set")
        pytest.skip("team-mode attacks need a real PostgreSQL server (set QUALCODE_TEST_PG_URL)")


def _as_role(url: str, role: str) -> str:
    user = sa.engine.make_url(url)
    return user.set(username=role, password=None).render_as_string(hide_password=False)


@dataclass
class Team:
    url: str
    owner: Database
    alex_url: str
    sam_url: str
    sam: sa.Engine  # raw SQL through sam's role: what psql -U sam_role could do

    def alex_work(self) -> tuple:
        """alex's codings, memos and audit entries as the owner sees them."""
        with self.owner.reading() as s:
            alex = s.scalar(select(CoderRow.id).where(CoderRow.name == "alex"))
            codings = s.execute(select(CodingRow.id, CodingRow.document_id, CodingRow.start, CodingRow.end,
                                       CodingRow.code_id).where(CodingRow.coder_id == alex).order_by(CodingRow.id)).all()
            memos = s.execute(select(MemoRow.id, MemoRow.text).where(MemoRow.coder_id == alex)).all()
            audits = s.execute(select(AuditRow.id, AuditRow.action, AuditRow.entity_id).where(AuditRow.coder == "alex")).all()
            docs = s.execute(text("SELECT count(*) FROM documents")).scalar()
            coders = s.execute(select(CoderRow.name, CoderRow.db_user).order_by(CoderRow.id)).all()
        return tuple(codings), tuple(memos), tuple(audits), docs, tuple(coders)

    def sql_as_sam(self, statement: str, params: dict | None = None):
        with self.sam.begin() as c:
            return c.execute(text(statement), params or {})

    def cli_as_sam(self, *args):
        return runner.invoke(app, ["--db", self.sam_url, *args])

    def blind(self, on: bool) -> None:
        from qualcode.agreement.workflow_assign import set_blind

        set_blind(self.owner, on)


@pytest.fixture
def team_project():
    _need_pg()
    admin, name, url = _pg_database()
    suffix = uuid.uuid4().hex[:8]
    role_a, role_b = f"qc_alex_{suffix}", f"qc_sam_{suffix}"
    with admin.connect() as c:
        for role in (role_a, role_b):
            c.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    engines = []
    try:
        owner = seed_project(url)
        with owner.transaction() as s:
            participant_repo.upsert(s, ParsedParticipant(label="P01", role="nurse", name="Marta Quillfeather",
                                                         aliases=["Marta Q"], attributes={"region": "North"}))
            participant_repo.upsert(s, ParsedParticipant(label="P01", name="Marta Quillfeather", aliases=["Mo"]))
            s.add(PseudonymRow(entity_type="place", real="Brackley Vale", pseudonym="[TOWN A]"))
        team.enable(owner)
        team.bind_coder(owner, "alex", role_a)
        team.bind_coder(owner, "sam", role_b)
        alex_url, sam_url = _as_role(url, role_a), _as_role(url, role_b)
        as_alex = Database(alex_url)
        alex = CodingService(as_alex, "alex")
        for i in range(6):
            alex.apply(1 + i % 3, 20 * i, 20 * i + 15, f"code-{i % 4}")
        with as_alex.transaction() as s:
            s.add(MemoRow(guid=str(uuid.uuid4()), target="document", target_id=1, text="alex's private hunch",
                          coder_id=alex.coder.id))
        as_alex.dispose()
        as_sam = Database(sam_url)
        CodingService(as_sam, "sam").apply(2, 100, 130, "code-1")
        as_sam.dispose()
        sam = sa.create_engine(sam_url)
        engines.append(sam)
        project = Team(url, owner, alex_url, sam_url, sam)
        engines.append(owner)
        yield project
    finally:
        for engine in engines:
            engine.dispose()
        _drop_pg(admin, name)
        cleanup = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with cleanup.connect() as c:
            for role in (role_a, role_b):
                c.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        cleanup.dispose()


def refused(team_project: Team, statement: str, params: dict | None = None) -> str:
    """Run statement as sam; it must fail (by privilege or row policy). Returns the database's message."""
    with pytest.raises(sa.exc.DBAPIError) as caught:
        team_project.sql_as_sam(statement, params)
    return str(caught.value.orig)


def assert_intact(team_project: Team, before: tuple) -> None:
    assert team_project.alex_work() == before
    report = check_project(team_project.owner)
    assert report.ok, report.problems


# 1. take over alex's codings and leave a clean audit trail


def test_sam_cannot_rebind_alex_to_his_own_role(team_project):
    before = team_project.alex_work()
    sam_role = team_project.sql_as_sam("SELECT current_user").scalar()
    assert "permission denied" in refused(team_project, "UPDATE coders SET db_user = :r WHERE name = 'alex'", {"r": sam_role})
    refused(team_project, "INSERT INTO coders (guid, name, db_user) VALUES ('g', 'alex2', :r)", {"r": sam_role})
    refused(team_project, "DELETE FROM coders WHERE name = 'alex'")
    assert_intact(team_project, before)


def test_sam_cannot_forge_an_audit_entry(team_project):
    before = team_project.alex_work()
    refused(team_project, "INSERT INTO audit_log (at, coder, action, entity, entity_id) "
                          "VALUES (now(), 'alex', 'delete', 'coding', 1)")
    # The audit function refuses an entry about alex's coding, whatever name it is handed.
    alex_coding = before[0][0][0]
    assert "cannot record" in refused(
        team_project, "SELECT qualcode_audit_append('delete', 'coding', :i, 'alex', NULL, NULL)", {"i": alex_coding})
    refused(team_project, "SELECT qualcode_audit_append('add', 'participant', 1, 'alex', NULL, NULL)")
    assert_intact(team_project, before)


def test_the_audit_function_names_the_role_s_coder_not_the_claimed_one(team_project):
    with team_project.sam.begin() as c:
        sam_id = c.execute(text("SELECT id FROM coders WHERE name = 'sam'")).scalar()
        new = c.execute(text("INSERT INTO codings (guid, document_id, start, \"end\", code_id, coder_id, created, "
                             "provenance, codebook_version, candidate_quote) VALUES "
                             "('g-sam', 3, 1, 9, 1, :c, now(), 'manual', 1, false) RETURNING id"), {"c": sam_id}).scalar()
        audit_id = c.execute(text("SELECT qualcode_audit_append('add', 'coding', :i, 'alex', NULL, NULL)"),
                             {"i": new}).scalar()
    with team_project.owner.reading() as s:
        assert s.get(AuditRow, audit_id).coder == "sam"


def test_the_whole_takeover_of_issue_18_fails_step_by_step(team_project):
    before = team_project.alex_work()
    sam_role = team_project.sql_as_sam("SELECT current_user").scalar()
    ids = [row[0] for row in before[0]]
    refused(team_project, "UPDATE coders SET db_user = :r WHERE name = 'alex'", {"r": sam_role})
    refused(team_project, "INSERT INTO audit_log (at, coder, action, entity, entity_id) VALUES (now(), 'alex', 'delete', 'coding', :i)",
            {"i": ids[0]})
    # Alex's rows are invisible to sam's writes: nothing matches, nothing changes.
    assert team_project.sql_as_sam("DELETE FROM codings WHERE id = ANY(:ids)", {"ids": ids}).rowcount == 0
    assert team_project.sql_as_sam("UPDATE codings SET start = 0 WHERE id = ANY(:ids)", {"ids": ids}).rowcount == 0
    refused(team_project, "UPDATE codings SET coder_id = (SELECT id FROM coders WHERE name = 'alex') "
                          "WHERE coder_id = (SELECT id FROM coders WHERE name = 'sam')")
    assert_intact(team_project, before)


# 2. the foreign-key cascade from documents


def test_sam_cannot_delete_documents_or_touch_the_codebook(team_project):
    before = team_project.alex_work()
    refused(team_project, "DELETE FROM documents")
    refused(team_project, "DELETE FROM segments")
    refused(team_project, "UPDATE documents SET text = ''")
    refused(team_project, "DELETE FROM codes WHERE id = 1")
    refused(team_project, "UPDATE codes SET name = 'renamed'")
    refused(team_project, "TRUNCATE codings")
    assert_intact(team_project, before)


# 3. real names, aliases and the pseudonym key


def test_sam_reads_labels_but_no_names_aliases_or_pseudonym_key(team_project):
    assert team_project.sql_as_sam("SELECT label, role, attributes FROM participants").all()[0][0] == "P01"
    for statement in ("SELECT label, name, aliases FROM participants", "SELECT name FROM participants",
                      "SELECT aliases FROM participants", "SELECT * FROM participants", "SELECT * FROM pseudonym_keys"):
        assert "permission denied" in refused(team_project, statement)
    # The owner's participant audit entries carry names: sam's role does not see them.
    rows = team_project.sql_as_sam("SELECT before::text, after::text FROM audit_log").all()
    assert rows and not any("Quillfeather" in (b or "") + (a or "") for b, a in rows)
    refused(team_project, "UPDATE participants SET label = 'P99'")
    # The application, connected as sam, works with labels and never asks for a name.
    as_sam = Database(team_project.sam_url)
    with as_sam.reading() as s:
        people = participant_repo.list_all(s)
    as_sam.dispose()
    assert [(p.label, p.name, p.aliases) for p in people] == [("P01", None, ())]
    with team_project.owner.reading() as s:
        assert participant_repo.resolve(s, "P01").name == "Marta Quillfeather"


# 4. blind mode, enforced by the database


def test_while_blind_sam_reads_only_his_own_codings_memos_and_audit(team_project):
    team_project.blind(True)
    counts = team_project.sql_as_sam(
        "SELECT count(*), count(*) FILTER (WHERE coder_id <> (SELECT id FROM coders WHERE name = 'sam')) FROM codings").one()
    assert counts == (1, 0)
    assert team_project.sql_as_sam("SELECT count(*) FROM memos").scalar() == 0
    audit_coders = set(team_project.sql_as_sam("SELECT coder FROM audit_log WHERE entity = 'coding'").scalars())
    assert audit_coders == {"sam"}
    listed = team_project.cli_as_sam("codings", "list", "--coder", "alex", "--json")
    assert "alex" not in listed.output.replace("--coder", "")
    team_project.blind(False)
    assert team_project.sql_as_sam("SELECT count(*) FROM codings").scalar() == 7


def test_export_through_sam_s_role_while_blind_holds_only_his_codings(team_project, tmp_path):
    team_project.blind(True)
    result = team_project.cli_as_sam("codings", "export", str(tmp_path / "out.csv"))
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 1 and ",sam," in rows[0]


def test_sam_cannot_end_blind_mode_or_reveal(team_project):
    team_project.blind(True)
    refused(team_project, "UPDATE project_meta SET value = 'on' WHERE key = 'revealed'")
    refused(team_project, "UPDATE project_meta SET value = 'off' WHERE key = 'blind_mode'")
    refused(team_project, "DELETE FROM project_meta WHERE key = 'blind_mode'")
    refused(team_project, "INSERT INTO project_meta (key, value) VALUES ('owner', 'sam')")
    for args in (("agreement", "blind", "off"), ("agreement", "reveal", "--coder", "alex"), ("agreement", "reveal"),
                 ("agreement", "blind", "off", "--coder", "alex")):
        result = team_project.cli_as_sam(*args)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
        assert "owner" in result.output
    with team_project.owner.reading() as s:
        state = dict(s.execute(text("SELECT key, value FROM project_meta")).all())
    assert state["blind_mode"] == "on" and state["revealed"] == "off"
    assert team_project.sql_as_sam("SELECT count(*) FROM codings").scalar() == 1


def test_the_claimed_coder_must_match_the_role(team_project):
    as_sam = Database(team_project.sam_url)
    with pytest.raises(PermissionDenied):
        CodingService(as_sam, "alex")
    with pytest.raises(PermissionDenied):  # a new coder name is the owner's to bind, not sam's to invent
        CodingService(as_sam, "someone-new")
    as_sam.dispose()
    result = team_project.cli_as_sam("codings", "add", "--doc", "1", "--start", "0", "--end", "5", "--code", "code-0",
                                     "--coder", "alex")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output


# 13 (team part): refused changes are one line, not a traceback


def test_importing_or_deleting_another_coder_s_work_is_one_line(team_project, tmp_path):
    before = team_project.alex_work()
    (tmp_path / "theirs.csv").write_text("doc,start,end,code,coder\ndoc-0,0,9,code-0,alex\n", encoding="utf-8")
    for args in (("codings", "import", str(tmp_path / "theirs.csv")), ("codes", "delete", "code-0", "--yes"),
                 ("codes", "merge", "code-0", "code-1")):
        result = team_project.cli_as_sam(*args)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert_intact(team_project, before)


# 5. races: the same coding by 8 processes, a new coder name by 4


def _race(mode: str, url: str, tmp_path: Path, processes: int, *names: str) -> None:
    start = tmp_path / f"start-{mode}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, str(RACE), mode, url, str(start), *names], env=env,
                              stderr=subprocess.PIPE) for _ in range(processes)]
    start.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]


def test_eight_processes_adding_the_same_coding_as_sam_leave_one_each(team_project, tmp_path):
    before = team_project.alex_work()
    _race("same-coding", team_project.sam_url, tmp_path, 8, "sam")
    with team_project.owner.reading() as s:
        sam = s.scalar(select(CoderRow.id).where(CoderRow.name == "sam"))
        spans = s.execute(select(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.code_id)
                          .where(CodingRow.coder_id == sam)).all()
        added = s.scalar(select(sa.func.count()).select_from(AuditRow).where(AuditRow.coder == "sam", AuditRow.action == "add",
                                                                      AuditRow.entity == "coding"))
    assert len(spans) == len(set(spans)) == 13  # twelve raced codings and the fixture's one, none twice
    assert added == 13  # an add that found its coding already there writes no audit entry
    assert_intact(team_project, before)


def test_a_duplicate_coding_is_refused_by_the_database_itself(team_project):
    with pytest.raises(sa.exc.IntegrityError):
        team_project.sql_as_sam("INSERT INTO codings (guid, document_id, start, \"end\", code_id, coder_id, created, provenance, "
                                "codebook_version, candidate_quote) SELECT 'dup', document_id, start, \"end\", code_id, coder_id, "
                                "now(), 'manual', 1, false FROM codings WHERE coder_id = (SELECT id FROM coders WHERE name = 'sam')")


def test_four_processes_meeting_new_coder_names_never_crash(backend_url, tmp_path):
    seed_project(backend_url).dispose()
    names = [f"newcomer-{i}" for i in range(10)]
    _race("new-coder", backend_url, tmp_path, 4, *names)
    db = Database(backend_url)
    with db.reading() as s:
        stored = list(s.scalars(select(CoderRow.name).where(CoderRow.name.like("newcomer-%"))))
        added = s.scalar(select(sa.func.count()).select_from(AuditRow).where(AuditRow.entity == "coder"))
    db.dispose()
    assert sorted(stored) == sorted(names) and added == len(names)


def test_eight_processes_adding_the_same_coding_leave_one(backend_url, tmp_path):
    seed_project(backend_url).dispose()
    _race("same-coding", backend_url, tmp_path, 8, "riley")
    db = Database(backend_url)
    with db.reading() as s:
        total = s.scalar(select(sa.func.count()).select_from(CodingRow))
    assert total == 12
    assert check_project(db).ok
    db.dispose()


def test_only_the_owner_role_can_enable_team_mode_or_bind(team_project):
    as_sam = Database(team_project.sam_url)
    sam_role = team_project.sql_as_sam("SELECT current_user").scalar()
    with pytest.raises(PermissionDenied):
        team.enable(as_sam)
    with pytest.raises(PermissionDenied):
        team.bind_coder(as_sam, "alex", sam_role)
    as_sam.dispose()
    with pytest.raises(InvalidInput):  # one role, one coder
        team.bind_coder(team_project.owner, "alex", sam_role)


def test_a_team_project_of_the_first_release_gets_the_rules_on_upgrade(team_project):
    """The first release granted coder roles write on every table; migration 0003 takes that back."""
    from alembic import command

    from qualcode.store.migrate import alembic_config

    sam_role = team_project.sql_as_sam("SELECT current_user").scalar()
    before = team_project.alex_work()
    with team_project.owner.engine.begin() as c:
        c.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON coders, audit_log, documents, project_meta, "
                          f"participants, pseudonym_keys TO {sam_role}")
        command.downgrade(alembic_config(c), "0002")
    team_project.owner.dispose()
    reopened = Database(team_project.url, has_backup=True)  # opening upgrades to head, as the owner with a backup
    team_project.owner = reopened
    refused(team_project, "UPDATE coders SET db_user = :r WHERE name = 'alex'", {"r": sam_role})
    refused(team_project, "SELECT name FROM participants")
    refused(team_project, "DELETE FROM documents")
    assert_intact(team_project, before)


def test_a_coder_s_everyday_commands_work_through_their_own_role(team_project, tmp_path):
    """Least privilege must still leave a coder able to code, undo, read and analyse by labels."""
    before = team_project.alex_work()
    for args in (("docs", "list"), ("codes", "list"), ("coders", "list"), ("participants", "list"),
                 ("codings", "add", "--doc", "doc-1", "--start", "3", "--end", "30", "--code", "code-2", "--coder", "sam"),
                 ("codings", "add", "--doc", "doc-1", "--start", "3", "--end", "30", "--code", "code-2", "--coder", "sam"),
                 ("codings", "undo", "--coder", "sam"), ("codings", "redo", "--coder", "sam"),
                 ("codings", "list", "--coder", "sam"), ("search", "community"), ("summary", "--unmasked"),
                 ("report", "--format", "md", "--out", str(tmp_path / "report.md"), "--unmasked"),
                 ("codings", "export", str(tmp_path / "mine.csv"))):
        result = team_project.cli_as_sam(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Quillfeather" not in result.output
    # Anonymised output reads the roster and the key, which are the owner's: the coder is told so.
    for args in (("summary",), ("report", "--format", "md", "--out", str(tmp_path / "shared.md"))):
        result = team_project.cli_as_sam(*args)
        assert result.exit_code == 1 and "only the project owner's role" in result.output, (args, result.output)
        assert "Quillfeather" not in result.output
    assert not (tmp_path / "shared.md").exists()
    assert_intact(team_project, before)


def test_a_coder_role_opening_an_older_project_is_told_to_ask_the_owner(team_project):
    from alembic import command

    from qualcode.store.migrate import alembic_config

    with team_project.owner.engine.begin() as c:
        command.downgrade(alembic_config(c), "0002")
    with pytest.raises(PermissionDenied, match="owner"):
        Database(team_project.sam_url)
    Database(team_project.url, has_backup=True).dispose()  # the owner (with a backup) upgrades it; then the coder gets in
    Database(team_project.sam_url).dispose()
