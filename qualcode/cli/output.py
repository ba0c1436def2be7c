"""Printing for every command: a console that strips terminal controls, whole-value tables, safe JSON (rich only)."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console

from qualcode.sanitise import terminal_safe


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
