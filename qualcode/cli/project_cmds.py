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


project = typer.Typer(help="Whole-project operations: copy, backup, check.", no_args_is_help=True)
team = typer.Typer(help="Team mode on PostgreSQL: one database role per coder.", no_args_is_help=True)


@project.command("copy")
def copy(to: Annotated[str, typer.Option("--to", help="Target: a SQLite file path or a database URL.")]) -> None:
    """Copy the project losslessly to another backend. Example: qualcode project copy --to postgresql+psycopg://me@server/study"""
    from qualcode.store.project_ops import copy_project
    from qualcode.store.locate import url_for

    target = to if "://" in to else url_for(to)
    result = copy_project(common.open_db(), target)
    total = sum(result.tables.values())
    console.print(f"copied {total} rows in {len(result.tables)} tables to {escape(common._redact_password(target))}")


@project.command("backup")
def backup(to: Annotated[Path | None, typer.Option("--to", help="Backup file (default: beside the project).")] = None) -> None:
    """Back up the project while others keep working (SQLite online backup). Example: qualcode project backup --to study-2026-11-23.db"""
    from qualcode.store.project_ops import backup_project

    path = backup_project(common.open_db(), to)
    console.print(f"backup written: {escape(str(path))}")


@project.command("check")
def check(as_json: common.JsonOption = False) -> None:
    """Check integrity, offsets, search index and the audit log. Example: qualcode project check"""
    from qualcode.store.project_ops import check_project
    from qualcode.store.engine import leftover_wal

    wal = leftover_wal(common.project_url())  # looked at before opening: a clean close removes it
    report = check_project(common.open_db())
    if wal:
        report.problems.append(wal)
    if as_json:
        common.print_json({"ok": report.ok, "problems": report.problems, "checked": report.checked})
    else:
        for problem in report.problems:
            err_console.print(f"[red]problem:[/] {escape(problem)}", highlight=False)
        checked = ", ".join(f"{n} {what}" for what, n in report.checked.items())
        console.print(("ok: " if report.ok else "not ok: ") + checked)
    if not report.ok:
        raise typer.Exit(1)


@team.command("enable")
def team_enable() -> None:
    """Turn on per-coder write protection (run as the database owner). Example: qualcode --db postgresql+psycopg://owner@host/study team enable"""
    from qualcode.store.team import enable

    enable(common.open_db())
    console.print("team mode on: each coder writes only through their own database role")


@team.command("bind")
def team_bind(
    coder: Annotated[str, typer.Argument(help="Coder name.")],
    role: Annotated[str, typer.Argument(help="PostgreSQL role that codes as this coder.")],
) -> None:
    """Bind a coder to a database role and grant it access. Example: qualcode --db ... team bind alex alex_role"""
    from qualcode.store.team import bind_coder

    bind_coder(common.open_db(), coder, role)
    console.print(f"{escape(coder)} now codes through role {escape(role)}")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.add_typer(project, name="project")
    app.add_typer(team, name="team")
