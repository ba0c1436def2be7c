"""Bad codings sheets and surveys: one line, exit 1, nothing written (issue 18, items 13 and 14)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()
HEADER = "doc,start,end,code,coder"


@pytest.fixture
def project(tmp_path, backend_url):
    def run(*args):
        result = runner.invoke(app, ["--db", backend_url, *args])
        assert "Traceback" not in result.output, result.output
        return result

    run("init")
    (tmp_path / "t.txt").write_text("P1: we talk about the hospice and the town for a while.\n" * 5, encoding="utf-8")
    run("docs", "import", str(tmp_path / "t.txt"))
    run("codes", "add", "site")
    return run, tmp_path


SHEETS = {
    "extra columns": (f"{HEADER}\nt,0,5,site,sam,surplus,cells\n", "sheet.csv:3: 7 cells but the header names 5 columns"),
    "bogus provenance": (f"{HEADER},provenance\nt,0,5,site,sam,bogus\n", "sheet.csv:3: provenance 'bogus' is not one of"),
    "huge cell": (f"{HEADER},memo\nt,0,5,site,sam,\"{'m' * 140_000}\"\n", "sheet.csv:3: cannot read the CSV"),
    "control in coder": (f"{HEADER}\nt,0,5,site,\"sam\x1b[31m\"\n", "control character"),
    "long coder": (f"{HEADER}\nt,0,5,site,{'k' * 201}\n", "the limit is 200"),
    "no header": ("x,y\n1,2\n", "missing column(s)"),
}


@pytest.mark.parametrize("case", sorted(SHEETS))
def test_bad_codings_sheets_are_one_line_and_write_nothing(project, case):
    run, tmp = project
    text, message = SHEETS[case]
    good = "t,0,5,site,alex\n"  # a good row first: the bad one must still leave nothing
    sheet = tmp / "sheet.csv"
    sheet.write_text(text.replace("\n", "\n" + good, 1) if "\n" in text[:-1] else text, encoding="utf-8")
    result = run("codings", "import", str(sheet))
    assert result.exit_code == 1 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert json.loads(run("codings", "list", "--json").output) == []


def test_a_good_sheet_still_imports_with_its_provenance(project):
    run, tmp = project
    sheet = tmp / "sheet.csv"
    sheet.write_text(f"{HEADER},provenance\nt,0,5,site,sam,Consensus\nt,6,9,site,sam,\n", encoding="utf-8")
    assert "2 coding(s) imported" in run("codings", "import", str(sheet)).output
    rows = json.loads(run("codings", "list", "--json").output)
    assert sorted(r["provenance"] for r in rows) == ["consensus", "import"]


def test_a_survey_without_free_text_is_refused_and_writes_nothing(project):
    run, tmp = project
    survey = tmp / "closed.csv"
    survey.write_text("id,setting,score\n" + "".join(f"{i},Hospice,{i % 5}\n" for i in range(1, 30)), encoding="utf-8")
    result = run("docs", "import", str(survey))
    assert result.exit_code == 1 and "no column holds free-text answers" in result.output, result.output
    assert "already in the project" not in result.output
    assert json.loads(run("participants", "list", "--json").output) == []
    assert [d["title"] for d in json.loads(run("docs", "list", "--json").output)] == ["t"]
