"""The fitted model and its answers in the per-user cache: reused while the project is unchanged, refitted after."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.coding import CodingService
from qualcode.nlp.suggest import model_cache
from qualcode.nlp.suggest.service import ProjectSuggester
from qualcode.store import Database
from qualcode.store import documents as doc_repo

from tests.nlp.conftest import build_fixture_project

runner = CliRunner()


def _ranked(suggester, texts):
    return [[(s.code_id, s.confidence) for s in suggester.suggest(t, 5)] for t in texts]


def test_a_second_open_reads_the_fit_and_a_new_coding_refits(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'p.db'}", create=True)
    info = build_fixture_project(db)
    texts = [e["text"] for e in info["uncoded_items"][:6]]
    first = ProjectSuggester(db).load()
    assert not first.from_cache
    again = ProjectSuggester(db).load()
    assert again.from_cache and again.fingerprint == first.fingerprint
    assert _ranked(again, texts) == _ranked(first, texts)
    with db.reading() as session:
        seg = doc_repo.segments(session, info["uncoded"])[0]
    CodingService(db, "ana").apply(info["uncoded"], seg.start, seg.end, info["uncoded_items"][0]["codes"][0])
    after = ProjectSuggester(db).load()
    assert not after.from_cache and after.fingerprint != first.fingerprint
    assert after.trained_on == first.trained_on + 1
    assert ProjectSuggester(db, persist=False).load().trained_on == after.trained_on
    db.dispose()


def test_an_unreadable_cache_entry_is_no_entry(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'p.db'}", create=True)
    build_fixture_project(db)
    key = ProjectSuggester(db).load().cache_key
    (model_cache.root() / key / "model.pkl").write_bytes(b"not a pickle")
    assert model_cache.load_model(key) is None
    suggester = ProjectSuggester(db).load()
    assert not suggester.from_cache and suggester.suggest("funding", 3)
    db.dispose()


def test_show_answers_from_the_cache_until_the_project_changes(tmp_path):
    path = tmp_path / "p.db"
    db = Database(f"sqlite:///{path}", create=True)
    info = build_fixture_project(db)
    args = ["--project", str(path), "suggest", "show", "uncoded", "--top", "4", "--json"]
    cold = runner.invoke(app, args)
    assert cold.exit_code == 0, cold.output
    url = f"sqlite:///{path.resolve()}"
    assert model_cache.peek(url, None, "uncoded", None, 4) == json.loads(cold.stdout)
    warm = runner.invoke(app, args)
    assert warm.stdout == cold.stdout
    assert all(len(s["suggestions"]) == 4 for s in json.loads(warm.stdout)["segments"])
    with db.reading() as session:
        seg = doc_repo.segments(session, info["uncoded"])[1]
    CodingService(db, "ana").apply(info["uncoded"], seg.start, seg.end, info["uncoded_items"][1]["codes"][0])
    assert model_cache.peek(url, None, "uncoded", None, 4) is None
    changed = runner.invoke(app, args)
    assert json.loads(changed.stdout)["trained_on"] == json.loads(cold.stdout)["trained_on"] + 1
    assert model_cache.peek(f"sqlite:///{tmp_path / 'missing.db'}", None, "uncoded", None, 4) is None
    assert model_cache.peek("not a url", None, "uncoded", None, 4) is None
    assert not (tmp_path / "missing.db").exists()
    db.dispose()


def test_a_warm_show_loads_no_model_library(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "p.db"
    db = Database(f"sqlite:///{path}", create=True)
    build_fixture_project(db)
    db.dispose()
    args = ["--project", str(path), "suggest", "show", "uncoded", "--segment", "2", "--json"]
    assert runner.invoke(app, args).exit_code == 0  # fits and keeps the answer
    probe = (
        "import sys, runpy; sys.argv = ['qualcode', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('qualcode', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sklearn', 'spacy', 'scipy', 'alembic') if m in sys.modules), file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout)["segments"][0]["segment"] == 2
    assert run.stderr.strip().splitlines()[-1] == "[]"
