"""`qualcode tui`: open the coding workbench on the project (textual loads only when the command runs)."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli import common


def tui(
    coder: Annotated[
        str | None,
        typer.Option("--coder", envvar="QUALCODE_CODER", help="Code as this coder (default: the one last used on this project)."),
    ] = None,
) -> None:
    """Open the keyboard-first coding workbench. Example: qualcode --project study.db tui --coder alex"""
    from qualcode.cli.tui_launch import open_tui

    open_tui(common.project_url(), coder=coder)


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
