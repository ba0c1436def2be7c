"""The full command tree (typer + rich): every noun and verb, the global options, one-line errors."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from typer.core import TyperGroup

from qualcode.cli import common
from qualcode.errors import BackupNeeded, QualcodeError

class QualcodeGroup(TyperGroup):
    """The root command group: turns a QualcodeError anywhere below it into one line and exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            message = str(exc) + (", then rerun with --i-have-a-backup" if isinstance(exc, BackupNeeded) else "")
            common.err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
            ctx.exit(exc.exit_code)
        finally:
            common.close_opened()


app = typer.Typer(
    cls=QualcodeGroup,
    name="qualcode",
    help="Qualitative coding for research teams. Run with no command to open the coding workbench.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    project: Annotated[
        str | None,
        typer.Option("--project", "-p", envvar="QUALCODE_PROJECT", help="Project file (SQLite). Default ./qualcode.db."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="QUALCODE_DB", help="Any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db."),
    ] = None,
    has_backup: Annotated[
        bool,
        typer.Option("--i-have-a-backup", help="Allow upgrading a PostgreSQL project's schema: you made a pg_dump first."),
    ] = False,
) -> None:
    """Qualitative coding for research teams."""
    common.settings.project = project
    common.settings.db = db
    common.settings.has_backup = has_backup
    if ctx.invoked_subcommand is None:
        from qualcode.cli.tui_launch import open_tui

        open_tui(common.project_url())


def _register() -> None:
    # Each noun lives in its own module; every one listed must exist (a missing one is a bug, not a skip).
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"qualcode.cli.{name}").register(app)


COMMAND_MODULES = (
    "project_cmds",
    "docs_cmds",
    "participants_cmds",
    "codes_cmds",
    "coders_cmds",
    "codings_cmds",
    "search_cmds",
    "suggest_cmds",
    "agreement_cmds",
    "analysis_cmds",
    "anonymise_cmds",
    "quotes_cmds",
    "refi_cmds",
    "tui_cmds",
)

_register()


def main() -> None:
    """Run the full command tree on sys.argv."""
    try:
        app()
    except KeyboardInterrupt:
        common.err_console.print("interrupted")
        sys.exit(130)
