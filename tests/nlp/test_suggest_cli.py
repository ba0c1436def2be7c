"""`qualcode suggest ...` end to end through typer's CliRunner on a real project file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()


@pytest.fixture
def project_file(tmp_path):
    from qualcode.store import Database

    from tests.nlp.conftest import build_fixture_project

    path = tmp_path / "p.db"
    db = Database(f"sqlite:///{path}", create=True)
    build_fixture_project(db)
    db.dispose()
    return str(path)


def _run(path, *args):
    return runner.invoke(app, ["--project", path, "suggest", *args])


def test_default_form_and_show_agree_and_carry_the_pipeline(project_file):
    short = _run(project_file, "uncoded", "--segment", "1", "--top", "3", "--json")
    assert short.exit_code == 0, short.output
    data = json.loads(short.stdout)
    assert data["pipeline"].startswith("en_core_web_sm") and data["notice"] == ""
    [segment] = data["segments"]
    assert segment["segment"] == 1 and 1 <= len(segment["suggestions"]) <= 3
    top = segment["suggestions"][0]
    assert 0 < top["confidence"] <= 1 and top["explanation"]
    explicit = json.loads(_run(project_file, "show", "uncoded", "--segment", "1", "--top", "3", "--json").stdout)
    assert explicit["segments"] == data["segments"]
    table = _run(project_file, "uncoded", "-s", "1")
    assert table.exit_code == 0 and "confidence" in table.stdout


def test_evaluate_reports_metrics_as_json(project_file):
    result = _run(project_file, "evaluate", "--train-fraction", "0.5", "--repeats", "2", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["train_fraction"] == 0.5 and report["coded_units"] > 0
    assert 0 <= report["precision_at_1"] <= 1 and 0 <= report["recall_at_3"] <= 1
    assert {"code_path", "support", "predicted", "kappa"} <= set(report["per_code"][0])
    assert report["pipeline"].startswith("en_core_web_sm") and report["notice"] == ""
    cold = json.loads(_run(project_file, "evaluate", "--cold", "--json").stdout)
    assert cold["notes"] == ["cold start: codebook only, no codings used"]


def test_autocode_then_review_through_the_cli(project_file):
    result = _run(project_file, "autocode", "--threshold", "0.3", "--doc", "uncoded", "--coder", "bo", "--json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["queued"] > 1
    listed = json.loads(_run(project_file, "proposals", "--json").stdout)
    assert len(listed) == run["queued"] and listed[0]["status"] == "pending" and listed[0]["text"]
    first, second = listed[0]["id"], listed[1]["id"]
    reviewed = _run(project_file, "review", "--accept", str(first), "--reject", str(second), "--coder", "bo", "--json")
    assert json.loads(reviewed.stdout)["rejected"] == [second]
    codings = json.loads(runner.invoke(app, ["--project", project_file, "codings", "list", "--json"]).stdout)
    assert [c["provenance"] for c in codings if c["coder"] == "bo"] == ["autocode"]
    again = _run(project_file, "review", "--accept", str(first), "--coder", "bo")
    assert again.exit_code == 1 and "already reviewed" in again.output
    bad = _run(project_file, "review", "--accept", "x1", "--coder", "bo")
    assert bad.exit_code == 1 and "whole numbers" in bad.output and "Traceback" not in bad.output


def test_accept_dismiss_and_similar(project_file):
    accepted = _run(project_file, "accept", "uncoded", "-s", "0", "--code", "barriers/resources", "--coder", "bo")
    assert accepted.exit_code == 0, accepted.output
    codings = json.loads(runner.invoke(app, ["--project", project_file, "codings", "list", "--json"]).stdout)
    assert [c["provenance"] for c in codings if c["coder"] == "bo"] == ["suggestion"]
    dismissed = _run(project_file, "dismiss", "uncoded", "-s", "1", "--code", "stage/understand", "--coder", "bo")
    assert dismissed.exit_code == 0, dismissed.output
    similar = json.loads(_run(project_file, "similar", "coded", "--segment", "2", "--top", "3", "--json").stdout)
    assert len(similar["similar"]) == 3 and all(0 < s["similarity"] <= 1 for s in similar["similar"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchdoc", "--segment", "0"], "no document 'nosuchdoc'"),
        (["uncoded", "--segment", "500"], "has no segment 500"),
        (["evaluate", "--train-fraction", "2"], "between 0 and 1"),
        (["autocode", "--threshold", "0", "--coder", "bo"], "--threshold must be in (0, 1]"),
        (["proposals", "--status", "maybe"], "status must be one of"),
        (["review", "--coder", "bo"], "nothing to review"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(project_file, args, message):
    result = _run(project_file, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_importing_the_cli_leaves_spacy_and_sklearn_out():
    code = "import sys, qualcode.cli; print(sorted(m for m in ('spacy', 'sklearn', 'textual') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_project_without_codes_gets_a_clear_message(tmp_path):
    from qualcode.store import Database

    from tests.nlp.conftest import add_document

    path = tmp_path / "bare.db"
    db = Database(f"sqlite:///{path}", create=True)
    add_document(db, "notes", ["Money is short.", "We talked about funding."])
    db.dispose()
    for args in (["notes", "--segment", "0"], ["similar", "notes", "--segment", "0"], ["evaluate", "--cold"],
                 ["autocode", "--threshold", "0.5", "--coder", "x"]):
        result = _run(str(path), *args)
        assert result.exit_code == 1, (args, result.output)
        assert "no codes" in result.output and "Traceback" not in result.output
