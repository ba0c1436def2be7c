"""What every CLI command shares: the project option, opening the database, JSON and table output."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.output import SafeConsole, console, err_console, print_json, print_table
from qualcode.store.engine import Database
from qualcode.store.locate import DEFAULT_PROJECT, url_for

# Re-exported: the commands take their printers from here.
__all__ = ["SafeConsole", "console", "err_console", "print_json", "print_table"]


JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")]


class Settings:
    """The global options, set once by the root callback."""

    project: str | None = None
    db: str | None = None
    has_backup: bool = False


settings = Settings()


def project_url() -> str:
    return url_for(settings.project, settings.db)


def project_label() -> str:
    if settings.db:
        return _redact_password(settings.db)
    return str(Path(settings.project or os.environ.get("QUALCODE_PROJECT") or DEFAULT_PROJECT))


_opened: list[Database] = []


def open_db(create: bool = False) -> Database:
    db = Database(project_url(), create=create, has_backup=settings.has_backup)
    _opened.append(db)
    return db


def close_opened() -> None:
    """Close what this command opened, so the project file is whole again when it returns."""
    while _opened:
        _opened.pop().dispose()


def _redact_password(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
