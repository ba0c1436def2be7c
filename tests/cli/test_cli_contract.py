"""The CLI contract: every command has help, errors are one line, the core never imports textual."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()


def all_command_paths():
    root = typer.main.get_command(app)
    paths = []

    def walk(command, prefix):
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, prefix + [name])
        if prefix:
            paths.append(prefix)

    walk(root, [])
    return paths


def test_every_command_has_help_with_text():
    paths = all_command_paths()
    assert len(paths) >= 20
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output
        command = typer.main.get_command(app)
        for part in path:
            command = command.commands[part]
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


def test_every_leaf_command_help_shows_an_example():
    root = typer.main.get_command(app)
    missing = []
    for path in all_command_paths():
        command = root
        for part in path:
            command = command.commands[part]
        if not hasattr(command, "commands") and "Example" not in (command.help or ""):
            missing.append(" ".join(path))
    assert missing == []


def test_importing_the_cli_leaves_textual_and_spacy_unloaded():
    code = "import sys, qualcode.cli; print(sorted(m for m in ('textual', 'spacy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_user_mistake_is_one_line_and_exit_1(tmp_path):
    project = tmp_path / "p.db"
    result = runner.invoke(app, ["--project", str(project), "docs", "list"])
    assert result.exit_code == 1
    assert "no project at" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_console_script_reports_errors_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from qualcode.cli import main; main()", "--project", str(tmp_path / "x.db"), "codes", "list"],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error:")


@pytest.mark.parametrize("args", [["codings", "add", "--doc", "1"], ["search"]])
def test_usage_errors_exit_2(tmp_path, args):
    result = runner.invoke(app, ["--project", str(tmp_path / "p.db"), *args])
    assert result.exit_code == 2


def test_every_command_appears_in_the_cli_reference():
    from pathlib import Path

    from qualcode.cli.reference import command_paths

    reference = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [" ".join(p) for p, _ in command_paths(app) if f"`qualcode {' '.join(p)}`" not in reference]
    assert missing == [], f"regenerate docs/cli.md (python -m qualcode.cli.reference > docs/cli.md): {missing}"
