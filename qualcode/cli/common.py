"""What every CLI command shares: the project option, opening the database, JSON and table output."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from qualcode.sanitise import terminal_safe
from qualcode.store.engine import DEFAULT_PROJECT, Database, url_for


class SafeConsole(Console):
    """A console that drops terminal control sequences from every string it renders.

    Every printer of user data (table cells, titles, f-strings) reaches the terminal through
    render_str, so escape sequences in a transcript, code or coder name are removed here once.
    Rich markup in user data is escaped where it is interpolated (rich.markup.escape).
    """

    def render_str(self, text: str, **kwargs: Any):
        return super().render_str(terminal_safe(text), **kwargs)


console = SafeConsole()
err_console = SafeConsole(stderr=True)

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


def print_table(table) -> None:
    """A rich table; into a pipe or a file it keeps every value whole (no 80-column cut, no "…")."""
    if console.is_terminal:
        console.print(table)
    else:
        # a print-time width is capped at the console's 80 columns; a wide console is not
        SafeConsole(file=sys.stdout, width=100_000, no_color=True, highlight=False).print(table)


def _default(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


# json.dumps escapes C0 controls but, with ensure_ascii off, writes DEL and C1 (a CSI is U+009B) raw.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


def print_json(data: Any) -> None:
    text = json.dumps(data, default=_default, ensure_ascii=False, indent=2)
    sys.stdout.write(_RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def _redact_password(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
