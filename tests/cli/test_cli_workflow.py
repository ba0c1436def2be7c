"""A study from the command line: init, codebook, import, code, list, search, export and import codings."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def study(tmp_path, backend_url):
    """Runs qualcode against a fresh project on each backend (--db URL for both)."""

    def run(*args, ok=True):
        result = runner.invoke(app, ["--db", backend_url, *args])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    run("init")
    (tmp_path / "interview-07.txt").write_text(
        "Interviewer: How do you use the framework?\n\n"
        "P07: We put the ambitions on the board agenda at Harrowfield Hospice.\n\n"
        "Interviewer: And the community?\n\n"
        "P07: Our volunteers know every street in Oakhurst, that is our community.\n",
        encoding="utf-8",
    )
    (tmp_path / "people.csv").write_text("label,name,aliases,role,region\nP07,Ruth Okafor,Ruthie,service manager,Midlands\n",
                                         encoding="utf-8")
    return run, tmp_path


def test_a_study_from_init_to_codings_export(study):
    run, tmp = study
    assert "added" in run("codes", "import", str(REPO / "codebooks" / "ambitions-framework.yaml")).output
    out = run("docs", "import", str(tmp / "interview-07.txt"), "--participants", str(tmp / "people.csv")).output
    assert "imported" in out
    assert "already in the project" in run("docs", "import", str(tmp / "interview-07.txt")).output

    docs = json.loads(run("docs", "list", "--json").output)
    assert [(d["title"], d["kind"], d["segments"], d["participants"]) for d in docs] == [
        ("interview-07", "interview", 4, ["P07"])
    ]
    shown = json.loads(run("docs", "show", "interview-07", "--json").output)
    turn = shown["segments"][3]
    assert turn["participant"] == "P07" and shown["text"][turn["start"]:turn["end"]].startswith("Our volunteers")

    run("coders", "add", "alex")
    start = shown["text"].index("every street")
    run("codings", "add", "--doc", "interview-07", "--start", str(start), "--end", str(start + 24),
        "--code", "community/site", "--coder", "alex")
    listed = json.loads(run("codings", "list", "--code", "community", "--json").output)
    assert [(c["code"], c["coder"], c["text"], c["provenance"]) for c in listed] == [
        ("community/site", "alex", "every street in Oakhurst", "manual")
    ]
    assert listed[0]["codebook_version"] >= 1

    hits = json.loads(run("search", "volunteers", "--json").output)
    assert hits and hits[0]["title"] == "interview-07"
    people = json.loads(run("participants", "list", "--json").output)
    assert people == [{"label": "P07", "role": "service manager", "attributes": {"region": "Midlands"}}]

    exported = tmp / "codings.csv"
    run("codings", "export", str(exported))
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert rows[0]["text"] == "every street in Oakhurst" and rows[0]["code"] == "community/site"


def test_codings_import_is_all_or_nothing_and_names_the_bad_line(study):
    run, tmp = study
    run("codes", "import", str(REPO / "codebooks" / "generic-starter.yaml"))
    run("docs", "import", str(tmp / "interview-07.txt"))
    sheet = tmp / "sheet.csv"
    sheet.write_text("doc,start,end,code,coder\ninterview-07,0,10,experiences,sam\ninterview-07,5,99999,experiences,sam\n",
                     encoding="utf-8")
    result = run("codings", "import", str(sheet), ok=False)
    assert result.exit_code == 1 and "sheet.csv:3" in result.output
    assert json.loads(run("codings", "list", "--json").output) == []
    sheet.write_text("doc,start,end,code,coder\ninterview-07,0,10,experiences,sam\n", encoding="utf-8")
    assert "1 coding(s) imported" in run("codings", "import", str(sheet)).output
    (row,) = json.loads(run("codings", "list", "--json").output)
    assert row["provenance"] == "import" and row["coder"] == "sam"


def test_code_tree_commands(study):
    run, _ = study
    run("codes", "add", "barriers")
    run("codes", "add", "time", "--parent", "barriers", "--valence", "barrier", "--keywords", "no time, rushed")
    run("codes", "add", "money", "--parent", "barriers", "--valence", "barrier")
    run("codes", "rename", "barriers/time", "time pressure")
    run("codes", "add", "misc")
    run("codes", "move", "misc", "barriers")
    run("codes", "merge", "barriers/misc", "barriers/money")
    paths = [c["path"] for c in json.loads(run("codes", "list", "--json").output)]
    assert paths == ["barriers", "barriers/time pressure", "barriers/money"]
    result = run("codes", "move", "barriers", "barriers/money", ok=False)
    assert result.exit_code == 1 and "under itself" in result.output
    run("codes", "delete", "barriers/money", "--yes")
    assert [c["path"] for c in json.loads(run("codes", "list", "--json").output)] == ["barriers", "barriers/time pressure"]


def test_bad_codebook_and_bad_file_are_one_line_errors(study):
    run, tmp = study
    bad = tmp / "bad.yaml"
    bad.write_text("name: x\ncodes:\n  - name: a\n    colour: blue\n", encoding="utf-8")
    result = run("codes", "import", str(bad), ok=False)
    assert result.exit_code == 1 and "bad.yaml:4" in result.output and "Traceback" not in result.output
    binary = tmp / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    result = run("docs", "import", str(binary), ok=False)
    assert result.exit_code == 1 and "scan.txt" in result.output
    assert json.loads(run("docs", "list", "--json").output) == []
