"""The quick CLI path: the same output as the full command tree, no typer or SQLAlchemy, and a fallback for the rest."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.cli.quick import answer, parse
from qualcode.demo import build_demo

runner = CliRunner()
QUICK_FORMS = [["docs", "list"], ["docs", "list", "--json"], ["codes", "list"], ["codes", "list", "--json"],
               ["codes", "list", "--details"], ["codes", "list", "--details", "--json"]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


def _quick_output(capsys, argv) -> str:
    capsys.readouterr()
    assert answer(argv), argv
    return capsys.readouterr().out


@pytest.mark.parametrize("form", QUICK_FORMS, ids=" ".join)
def test_quick_answers_exactly_as_the_full_tree_does(demo, capsys, form):
    argv = ["--project", str(demo), *form]
    full = runner.invoke(app, argv)
    assert full.exit_code == 0
    assert _quick_output(capsys, argv) == full.output


_NAMES = st.text(alphabet="abcdefgh XY-'é", min_size=1, max_size=12).map(str.strip).filter(lambda s: s and "/" not in s)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codes=st.lists(st.tuples(_NAMES, st.integers(0, 3)), min_size=1, max_size=8, unique_by=lambda c: c[0]),
       titles=st.lists(_NAMES, min_size=1, max_size=4, unique=True))
def test_quick_listings_match_on_any_small_project(tmp_path_factory, capsys, codes, titles):
    folder = tmp_path_factory.mktemp("any")
    project = str(folder / "study.db")
    assert runner.invoke(app, ["--project", project, "init"]).exit_code == 0
    added: list[str] = []
    for name, parent in codes:
        extra = ["--parent", added[parent % len(added)]] if added and parent else []
        result = runner.invoke(app, ["--project", project, "codes", "add", name, *extra, "--keywords", f"{name},x"])
        if result.exit_code == 0:
            added.append(result.output.split("added ", 1)[1].strip())
    for i, title in enumerate(titles):
        path = folder / f"{title}.txt"
        path.write_text(f"P{i}: words about {title}\n\nInterviewer: and?\n", encoding="utf-8")
        runner.invoke(app, ["--project", project, "docs", "import", str(path)])
    for form in QUICK_FORMS:
        argv = ["-p", project, *form]
        assert _quick_output(capsys, argv) == runner.invoke(app, argv).output


def test_a_quick_command_imports_neither_typer_nor_sqlalchemy(demo):
    probe = (
        "import sys\n"
        "from qualcode.cli import main\n"
        f"sys.argv = ['qualcode', '--project', {str(demo)!r}, 'codes', 'list']\n"
        "main()\n"
        "print('HEAVY', sorted(m for m in ('typer', 'sqlalchemy', 'click') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out and "understand" in out


@pytest.mark.parametrize("argv", [
    ["docs", "list", "--kind", "interview"],  # an option the quick path does not know
    ["docs", "show", "1"],
    ["--i-have-a-backup", "docs", "list"],
    ["docs", "list", "--help"],
    ["docs"],
    ["--project"],
])
def test_anything_else_is_left_to_the_full_tree(argv):
    assert parse(argv) is None
    assert not answer(argv)


def test_other_backends_old_schemas_and_missing_files_fall_back(demo, tmp_path, monkeypatch):
    assert not answer(["--db", "postgresql+psycopg://someone@127.0.0.1/study", "docs", "list"])
    assert not answer(["--project", str(tmp_path / "absent.db"), "docs", "list"])
    old = tmp_path / "old.db"
    old.write_bytes(demo.read_bytes())
    with sqlite3.connect(old) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert not answer(["--project", str(old), "docs", "list"])
    monkeypatch.setenv("QUALCODE_PROJECT", str(demo))
    assert answer(["docs", "list", "--json"])  # the project from the environment, as the full tree reads it
