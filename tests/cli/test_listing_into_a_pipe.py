"""Listings into a pipe or a file keep every value whole: no 80-column cut, no ellipsis."""

from __future__ import annotations

from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()


def test_docs_and_codes_list_print_whole_values_when_not_a_terminal(tmp_path):
    project = str(tmp_path / "study.db")
    title = "int-01-ward-manager-harrowfield-hospice-second-visit-after-the-reorganisation"
    (tmp_path / f"{title}.txt").write_text("Interviewer: Why?\n\nP01: Because the rota is short every week.\n",
                                           encoding="utf-8")
    code = "someone-elses-responsibility-when-the-board-changes-hands-again"
    for args in (["init"], ["docs", "import", str(tmp_path / f"{title}.txt")], ["codes", "add", "barriers"],
                 ["codes", "add", code, "--parent", "barriers"]):
        assert runner.invoke(app, ["--project", project, *args]).exit_code == 0
    docs = runner.invoke(app, ["--project", project, "docs", "list"]).output
    codes = runner.invoke(app, ["--project", project, "codes", "list"]).output
    assert title in docs and code in codes
    assert "…" not in docs + codes
