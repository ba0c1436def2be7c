"""`qualcode agreement` through typer's CliRunner on a small SQLite project."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.store import Database
from qualcode.store import codes as code_repo
from qualcode.store import meta
from tests.agreement.test_workflow_project import build_project

runner = CliRunner()


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.db"
    db = Database(f"sqlite:///{path}", create=True)
    build_project(db)
    db.dispose()
    return path


def run(project, *args):
    result = runner.invoke(app, ["--project", str(project), "agreement", *args])
    assert "Traceback" not in result.output
    return result


def test_report_prints_the_table_and_the_methods_sentence(project):
    result = run(project, "report", "--coders", "alex,sam", "--reps", "20")
    assert result.exit_code == 0, result.output
    assert "alpha" in result.output and "AC1" in result.output and "Fleiss" in result.output
    assert "For the methods section" in result.output
    assert "Two coders (alex, sam) independently coded 8 speaker turns" in " ".join(result.output.split())
    assert "barriers" in result.output and "community: undefined (no variation" in result.output


def test_report_json_carries_the_schema_and_assignment_source(project):
    result = run(project, "report", "--coders", "alex,sam", "--reps", "0", "--json")
    data = json.loads(result.output)
    assert data["schema"] == "qualcode.agreement.v1"
    assert data["n_units"] == 8
    assert "at least one coding" in data["options"]["assignments"]
    assert {c["path"] for c in data["codes"]} >= {"community/site", "barriers"}


@pytest.mark.parametrize("suffix,marker", [(".md", "## For the methods section"), (".html", "<blockquote>")])
def test_out_writes_markdown_or_html_with_the_sentence(project, tmp_path, suffix, marker):
    target = tmp_path / f"agreement{suffix}"
    result = run(project, "report", "--coders", "alex,sam", "--reps", "0", "--out", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert marker in text and "independently coded 8 speaker turns" in text
    assert not list(tmp_path.glob(".agreement*.part"))


def test_csv_out_neutralises_formula_like_code_names(project, tmp_path):
    db = Database(f"sqlite:///{project}")
    with db.transaction() as s:
        code_repo.rename(s, "barriers", "=HYPERLINK(1)")
    db.dispose()
    target = tmp_path / "agreement.csv"
    assert run(project, "report", "--coders", "alex,sam", "--reps", "0", "--out", str(target)).exit_code == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {r["code"] for r in rows if r["scope"] == "code"} >= {"'=HYPERLINK(1)"}
    assert not any(value.startswith("=") for row in rows for value in row.values() if value)


def test_bad_out_suffix_and_bad_unit_are_one_line_errors(project, tmp_path):
    for args in (["--out", str(tmp_path / "a.pdf")], ["--unit", "sentence"], ["--coders", "alex,nobody"]):
        result = run(project, "report", "--reps", "0", *args)
        assert result.exit_code == 1
        assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("error:")


def test_saved_rounds_show_one_column_per_codebook_version(project):
    assert run(project, "report", "--coders", "alex,sam", "--reps", "0", "--save").exit_code == 0
    db = Database(f"sqlite:///{project}")
    with db.transaction() as s:
        meta.bump_codebook_version(s)
    db.dispose()
    assert run(project, "report", "--coders", "alex,sam", "--reps", "0", "--save", "--round", "second").exit_code == 0
    data = json.loads(run(project, "rounds", "--json").output)
    assert [c["round"] for c in data["rounds"]] == [None, "second"]
    assert data["rounds"][1]["codebook_version"] == data["rounds"][0]["codebook_version"] + 1
    table = run(project, "rounds")
    assert table.exit_code == 0 and "median" in table.output and "v" in table.output


def test_rounds_before_any_saved_audit_explains(project):
    result = run(project, "rounds")
    assert result.exit_code == 1 and "--save" in result.output


def test_disagreements_then_resolve_creates_consensus(project):
    listed = json.loads(run(project, "disagreements", "--coders", "alex,sam", "--json").output)
    assert len(listed) == 2
    upland = next(d for d in listed if d["document"] == "Upland interview")
    text = run(project, "disagreements", "--coders", "alex,sam", "--code", "barriers")
    assert upland["unit_id"] in text.output and "sam: barriers" in text.output
    resolved = run(project, "resolve", "--unit-id", upland["unit_id"], "--codes", "community/public",
                   "--note", "public: everyone who is not staff", "--json")
    assert resolved.exit_code == 0, resolved.output
    data = json.loads(resolved.output)
    assert data["codes"] == ["community/public"] and len(data["added"]) == 1 and len(data["memos"]) == 2
    after = run(project, "disagreements", "--coders", "alex,sam")
    flat = " ".join(after.output.split())
    assert "resolved: community/public" in flat and "1 resolved" in flat
    report = json.loads(run(project, "report", "--reps", "0", "--json").output)
    assert "consensus" not in report["coders"]


def test_assign_blind_and_reveal(project):
    result = run(project, "assign", "--coders", "alex,sam", "--sample-segments", "3", "--seed", "5", "--json")
    plan = json.loads(result.output)
    assert plan["segments"] == 3 and plan["seed"] == 5
    listing = json.loads(run(project, "assignments", "--json").output)
    assert {r["coder"] for r in listing} == {"alex", "sam"}
    report = json.loads(run(project, "report", "--coders", "alex,sam", "--reps", "0", "--json").output)
    assert report["n_units"] == 3
    assert run(project, "blind", "on").exit_code == 0
    hidden = run(project, "disagreements", "--coders", "alex,sam")
    assert hidden.exit_code == 1 and "reveal" in hidden.output
    assert run(project, "reveal", "--coder", "sam").exit_code == 1  # alex owns the project
    assert run(project, "reveal", "--coder", "alex").exit_code == 0
    assert run(project, "disagreements", "--coders", "alex,sam").exit_code == 0
    assert run(project, "blind", "maybe").exit_code == 1
    assert f"removed {len(plan['documents'])} " in run(project, "unassign", "--coders", "sam").output


def test_assign_without_documents_or_sample_is_refused(project):
    result = run(project, "assign", "--coders", "alex,sam")
    assert result.exit_code == 1 and "--docs" in result.output
