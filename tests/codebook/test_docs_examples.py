"""The command examples in docs/codebooks.md run, in order, on a fresh project; the slug rule holds them together."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.domain.codepaths import name_slug, path_slug

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "codebooks.md"
runner = CliRunner()


def doc_commands() -> list[list[str]]:
    """Every `$ qualcode ...` line of the console blocks, comments dropped, in document order."""
    commands = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ qualcode "):
                commands.append(shlex.split(line[2:], comments=True)[1:])
    return commands


def test_the_codebook_examples_run_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # the examples name codebooks/... relative to the repository
    project = str(tmp_path / "study.db")
    assert runner.invoke(app, ["--project", project, "init"]).exit_code == 0
    (tmp_path / "team-codebook.yaml").write_text("name: Team\ncodes:\n  - name: misc\n", encoding="utf-8")
    commands = doc_commands()
    assert any(c[:2] == ["codes", "merge"] for c in commands) and any(c[:2] == ["codes", "add"] for c in commands)
    for args in commands:
        args = [str(tmp_path / a) if a == "team-codebook.yaml" else a for a in args]
        result = runner.invoke(app, ["--project", project, *args])
        assert result.exit_code == 0, (args, result.output)
    listed = runner.invoke(app, ["--project", project, "codes", "list", "--json"]).output
    assert "time pressure" not in listed  # merged into barriers/resources as the example says


def test_add_refuses_a_sibling_with_the_same_slug_and_every_command_finds_the_code(tmp_path):
    project = str(tmp_path / "study.db")

    def run(*args):
        return runner.invoke(app, ["--project", project, *args])

    run("init")
    run("codes", "add", "barriers")
    assert run("codes", "add", "time pressure", "--parent", "barriers").exit_code == 0
    refused = run("codes", "add", "Time-Pressure", "--parent", "Barriers")
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert "renamed to barriers/time pressure (rushed)" in run("codes", "rename", "barriers/time_pressure",
                                                                 "time pressure (rushed)").output
    assert run("codes", "move", "BARRIERS/Time-Pressure-Rushed").exit_code == 0
    assert run("codes", "delete", "time-pressure-rushed").exit_code == 0


@pytest.mark.parametrize("name, slug", [("time pressure", "time-pressure"), ("Someone else's responsibility",
                                        "someone-elses-responsibility"), ("24/7 access", "24-7-access"),
                                       ("  A1 -- individual ", "a1-individual")])
def test_slugs(name, slug):
    assert name_slug(name.replace("/", " ")) == slug
    assert path_slug(f"Top/{name.replace('/', ' ')}") == f"top/{slug}"
