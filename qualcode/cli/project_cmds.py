"""`qualcode init` and `qualcode demo`: create a project, or build and open the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from qualcode.cli import common
from qualcode.cli.common import console, err_console


def init() -> None:
    """Create an empty project (SQLite file or --db URL). Example: qualcode --project study.db init"""
    db = common.open_db(create=True)
    db.dispose()
    console.print(f"project ready: {escape(common.project_label())}")


def demo(
    path: Annotated[Path | None, typer.Option("--path", help="Where to build the demo project.")] = None,
    no_tui: Annotated[bool, typer.Option("--no-tui", help="Only build it; do not open the workbench.")] = False,
    coder: Annotated[str, typer.Option(help="Coder identity in the workbench.")] = "alex",
) -> None:
    """Build (once) the demo project from corpora/demo and open the workbench on it. Example: qualcode demo"""
    from rich.status import Status

    from qualcode.demo import build_demo, default_demo_path

    target = path or default_demo_path()
    with Status("building the demo project…", console=err_console):
        result = build_demo(target)
    if result.built:
        console.print(f"demo project built: {escape(str(result.path))} ({result.documents} documents, {result.codings} codings)")
        for problem in result.unanchored[:10]:
            err_console.print(f"[yellow]warning:[/] {escape(problem)}", highlight=False)
    else:
        console.print(f"demo project: {escape(str(result.path))}")
    if not no_tui:
        from qualcode.cli.tui_launch import open_tui

        open_tui(f"sqlite:///{result.path}", coder=coder)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
