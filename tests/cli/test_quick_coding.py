"""`codings add` on the quick path writes what the full command writes, or leaves the case to it untouched."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.cli.quick import answer
from qualcode.demo import build_demo

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


def _as_main_would(argv, capsys) -> tuple[int, str]:
    """qualcode.cli.main: the quick path first, the full tree when it declines."""
    capsys.readouterr()
    if answer(argv):
        return 0, capsys.readouterr().out
    result = runner.invoke(app, argv)
    return result.exit_code, result.output


def _full(argv) -> tuple[int, str]:
    result = runner.invoke(app, argv)
    return result.exit_code, result.output


def _state(path) -> dict:
    """Every row the command can write, without the values that differ by run (GUIDs, clock times)."""
    with sqlite3.connect(path) as c:
        codings = c.execute('SELECT id, document_id, start, "end", code_id, coder_id, provenance, codebook_version, memo, '
                            "candidate_quote, typeof(created) FROM codings ORDER BY id").fetchall()
        coders = c.execute("SELECT id, name, db_user FROM coders ORDER BY id").fetchall()
        audit = []
        for row in c.execute("SELECT id, coder, action, entity, entity_id, before, after, typeof(at) FROM audit_log ORDER BY id"):
            after = json.loads(row[6]) if row[6] else None
            if isinstance(after, dict):
                after = {k: v for k, v in after.items() if k not in ("guid", "created")}
            audit.append((*row[:6], after, row[7]))
    return {"codings": codings, "coders": coders, "audit": audit}


def _steady(output: str) -> str:
    return "\n".join(line for line in output.splitlines() if '"guid"' not in line and '"created"' not in line)


DOCS = st.sampled_from(["1", "2", "55", "999", "evidence-cafe-1", "EVIDENCE-CAFE-1", "focus-group", "evid",
                        "  3 ", "no-such-doc"])
CODES = st.sampled_from(["stage/understand", "/stage/interpret/", "barriers", "understand", "Stage/Understand", "nope"])
CODERS = st.sampled_from(["alex", "sam", "newbie", " padded ", "bad\x1bname", ""])
SPANS = st.tuples(st.integers(-2, 60), st.integers(0, 80))
EXTRAS = st.sampled_from([[], ["--json"], ["--memo", "why this"], ["--provenance", "suggestion"],
                          ["--provenance", "bogus"], ["--memo=x", "--json"]])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(DOCS, SPANS, CODES, CODERS, EXTRAS), min_size=1, max_size=5))
def test_quick_add_leaves_the_same_rows_and_says_the_same_as_the_full_command(demo, tmp_path_factory, capsys, steps):
    folder = tmp_path_factory.mktemp("add")
    quick_db, full_db = folder / "quick.db", folder / "full.db"
    shutil.copy(demo, quick_db)
    shutil.copy(demo, full_db)
    for doc, (start, end), code, coder, extra in steps:
        tail = ["codings", "add", "--doc", doc, "--start", str(start), "--end", str(end), "--code", code,
                "--coder", coder, *extra]
        quick = _as_main_would(["--project", str(quick_db), *tail], capsys)
        full = _full(["--project", str(full_db), *tail])
        assert quick[0] == full[0], (tail, quick, full)
        assert _steady(quick[1]) == _steady(full[1]), tail
    assert _state(quick_db) == _state(full_db)


def test_quick_add_takes_the_plain_case_itself(demo, tmp_path, capsys):
    db = tmp_path / "study.db"
    shutil.copy(demo, db)
    with sqlite3.connect(db) as c:
        (title,) = c.execute("SELECT title FROM documents WHERE id = 1").fetchone()
    argv = ["-p", str(db), "codings", "add", "--doc", title, "--start", "0", "--end", "9",
            "--code", "stage/understand", "--coder", "newbie"]
    capsys.readouterr()
    assert answer(argv)
    assert capsys.readouterr().out.startswith("coding ")
    assert answer(argv)  # the same coding again: no second row, as the unique index says
    rows = _state(db)
    assert [r for r in rows["codings"] if r[1:4] == (1, 0, 9)] != [] and len(rows["codings"]) == 597
    assert [a[2:4] for a in rows["audit"][-2:]] == [("add", "coder"), ("add", "coding")]


def test_a_quick_add_imports_neither_typer_nor_sqlalchemy_and_leaves_no_wal(demo, tmp_path):
    db = tmp_path / "study.db"
    shutil.copy(demo, db)
    probe = (
        "import sys\n"
        "from qualcode.cli import main\n"
        f"sys.argv = ['qualcode', '-p', {str(db)!r}, 'codings', 'add', '--doc', '2', '--start', '1', '--end', '4',"
        " '--code', 'stage/understand', '--coder', 'alex']\n"
        "main()\n"
        "print('HEAVY', sorted(m for m in ('typer', 'sqlalchemy', 'click') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "added" in out and "HEAVY []" in out
    assert not (tmp_path / "study.db-wal").exists()
