"""The quick path: `docs list` and `codes list` on a SQLite project, answered without typer or SQLAlchemy.

A script that lists a project many times pays Python's start-up and a few queries, not the import
of the whole command tree (about half a second). Only the exact forms below are taken; any other
option, a non-SQLite project, a schema that needs upgrading or any error sends the command, unchanged,
to the full tree, which then says what is wrong in its usual words.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

from qualcode.store.locate import sqlite_path, url_for

# command words -> the flags the quick path understands for them
_COMMANDS: dict[tuple[str, str], frozenset[str]] = {
    ("docs", "list"): frozenset({"--json"}),
    ("codes", "list"): frozenset({"--json", "--details"}),
}
_GLOBAL_WITH_VALUE = {"--project": "project", "-p": "project", "--db": "db"}


def parse(argv: list[str]) -> tuple[dict[str, str], tuple[str, str], frozenset[str]] | None:
    """(global options, command words, flags) when argv is a quick command, else None."""
    options: dict[str, str] = {}
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        token = rest.pop(0)
        name, equals, value = token.partition("=")
        if name not in _GLOBAL_WITH_VALUE:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        options[_GLOBAL_WITH_VALUE[name]] = value
    if len(rest) < 2 or (rest[0], rest[1]) not in _COMMANDS:
        return None
    words = (rest[0], rest[1])
    flags = frozenset(rest[2:])
    if len(flags) != len(rest[2:]) or not flags <= _COMMANDS[words]:
        return None
    return options, words, flags


def answer(argv: list[str]) -> bool:
    """Run argv here if it is a quick command on a current SQLite project; False means: use the full tree."""
    parsed = parse(argv)
    if parsed is None:
        return False
    options, words, flags = parsed
    db = options.get("db") or os.environ.get("QUALCODE_DB")
    path = sqlite_path(url_for(options.get("project"), db))
    if path is None:
        return False
    from qualcode.store import quick as store

    connection = store.open_current(path)
    if connection is None:
        return False
    try:
        show = _read(connection, words, flags)
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    show()
    return True


def _read(connection: sqlite3.Connection, words: tuple[str, str], flags: frozenset[str]) -> Callable[[], None]:
    """Everything is read before anything is printed, so a fallback never repeats output."""
    from qualcode.cli import listings
    from qualcode.store import quick as store

    as_json = "--json" in flags
    if words == ("docs", "list"):
        rows = store.document_summaries(connection)
        return lambda: listings.print_documents(rows, as_json)
    tree, counts = store.codes_with_counts(connection)
    return lambda: listings.print_codes(tree, counts, as_json, "--details" in flags)
