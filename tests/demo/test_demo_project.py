"""The demo project: built once from corpora/demo, big and coded enough for every feature to show."""

from __future__ import annotations

from collections import Counter

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.demo import build_demo
from qualcode.nlp.suggest.seen import coded_documents
from qualcode.store import Database
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = build_demo(path)
    return result


def test_demo_builds_completely_and_only_once(demo):
    assert demo.built and demo.unanchored == []
    again = build_demo(demo.path)
    assert not again.built and again.path == demo.path
    assert not list(demo.path.parent.glob("*.building-*"))


def test_demo_has_the_study_shape(demo):
    db = Database(f"sqlite:///{demo.path}")
    with db.reading() as s:
        docs = doc_repo.list_all(s)
        codings = coding_repo.all_codings(s)
        names = coding_repo.coder_names(s)
    kinds = Counter(d.kind.value for d in docs)
    assert kinds["interview"] >= 6 and kinds["focus_group"] >= 4 and kinds["workshop"] >= 2
    assert kinds["evidence_cafe"] >= 1 and kinds["survey"] >= 30
    assert {d.source_name.rsplit(".", 1)[-1] for d in docs} >= {"txt", "docx", "vtt", "csv"}
    assert sum(len(d.text.split()) for d in docs) >= 20_000
    per_coder = Counter(names[c.coder_id] for c in codings)
    assert per_coder["alex"] >= 150 and per_coder["sam"] >= 150
    docs_by = {name: {c.document_id for c in codings if names[c.coder_id] == name} for name in ("alex", "sam")}
    assert len(docs_by["alex"] & docs_by["sam"]) >= 4
    assert all(c.provenance.value == "import" for c in codings)
    db.dispose()


def test_demo_documents_are_marked_coded_by_every_coder(demo):
    """The demo's codings are imports; only the coded marks make its gaps count as negatives for training."""
    db = Database(f"sqlite:///{demo.path}")
    with db.reading() as s:
        every = {d.id for d in doc_repo.list_all(s)}
        names = coding_repo.coder_names(s)
        coding_coders = {names[c.coder_id] for c in coding_repo.all_codings(s)}
        marks = coded_documents(s)
    db.dispose()
    assert coding_coders == {"alex", "sam"}
    assert marks == {name: every for name in coding_coders}


def test_demo_command_without_tui_reports_where_it_is(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--no-tui", "--path", str(tmp_path / "d.db")])
    assert result.exit_code == 0, result.output
    assert "demo project built" in result.output and (tmp_path / "d.db").exists()
