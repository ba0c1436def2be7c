"""`qualcode tui` passes the project URL and coder to the workbench; `qualcode` alone opens it too."""

from __future__ import annotations

from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()


def test_tui_command_opens_the_workbench_on_the_project(tmp_path, monkeypatch):
    import qualcode.tui.app as tui_app

    opened = []
    monkeypatch.setattr(tui_app, "run_app", lambda url, coder=None: opened.append((url, coder)))
    project = tmp_path / "study.db"
    result = runner.invoke(app, ["--project", str(project), "tui", "--coder", "noor"])
    assert result.exit_code == 0, result.output
    assert opened == [(f"sqlite:///{project.resolve()}", "noor")]
    result = runner.invoke(app, ["--project", str(project)])
    assert result.exit_code == 0, result.output
    assert opened[-1] == (f"sqlite:///{project.resolve()}", None)
