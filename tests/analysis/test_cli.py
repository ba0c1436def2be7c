"""The analysis commands through the CLI runner on the fixture project: tables, JSON and one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.store import Database
from tests.analysis.conftest import build_fixture

runner = CliRunner()


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.db"
    db = Database(f"sqlite:///{path}", create=True)
    build_fixture(db)
    db.dispose()
    return path


def run(project, *args):
    return runner.invoke(app, ["--project", str(project), *args])


def test_summary_json_for_one_code(project):
    result = run(project, "summary", "--code", "barriers/leadership", "--quotes", "2", "--no-language", "--json")
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.output)
    assert summary["counts"]["excerpts"] == 3 and summary["counts"]["participants"] == 3
    assert len(summary["quotes"]) == 2 and summary["quotes"][0]["attribution"] in {"P01", "P02", "ID:101"}
    assert summary["memos"][0]["text"] == "Often tied to turnover."


def test_summary_text_lists_every_theme(project):
    result = run(project, "summary", "--quotes", "1")
    assert result.exit_code == 0, result.output
    for theme in ("barriers", "facilitators", "community"):
        assert theme in result.output
    assert "terms:" in result.output


def test_tally_json_with_by_and_quotes(project):
    result = run(project, "tally", "barriers", "--by", "kind", "--quotes", "1", "--json")
    assert result.exit_code == 0, result.output
    (tally,) = json.loads(result.output)
    assert [(r["path"], r["excerpts"]) for r in tally["rows"]] == [("barriers/leadership", 3), ("barriers/turnover", 3)]
    assert [g["value"] for g in tally["groups"]] == ["interview", "focus_group", "survey"]
    assert all(len(r["quotes"]) == 1 for r in tally["rows"])


def test_tally_table_and_matrix(project):
    result = run(project, "tally", "--by", "code:community")
    assert result.exit_code == 0 and "site" in result.output and "facilitators/champions" in result.output
    matrix = run(project, "tally", "--matrix", "setting", "--json")
    assert json.loads(matrix.output)["columns"] == ["ICB", "community", "hospice"]


def test_crosstab_json_and_table(project):
    result = run(project, "crosstab", "attr:region", "attr:setting", "--json")
    data = json.loads(result.output)
    assert data["counts"] == [[0, 1, 2], [1, 0, 1]] and data["test"]["statistic"] is None
    table = run(project, "crosstab", "code:barriers", "kind", "--percent", "row")
    assert table.exit_code == 0 and "66.7%" in table.output and "no chi-square" in table.output


def test_saturation_json(project):
    result = run(project, "saturation", "--base", "1", "--run", "1", "--json")
    data = json.loads(result.output)
    assert data["overall"]["saturation_at"] == 3
    assert [c["scope"] for c in data["by_kind"]] == ["interview", "focus_group", "survey"]


def test_report_writes_file(project, tmp_path):
    out = tmp_path / "exports" / "report.html"
    result = run(project, "report", "--format", "html", "--out", str(out), "--no-language")
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("args, message", [
    (["tally", "obstacles"], "not barriers or facilitators"),
    (["crosstab", "attr:shoe", "kind"], "no participant attribute 'shoe'"),
    (["summary", "--code", "nope"], "no code 'nope'"),
    (["report", "--format", "pdf"], "--format must be one of"),
    (["saturation", "--threshold", "500"], "percentage"),
])
def test_user_mistakes_are_one_line(project, args, message):
    result = run(project, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
