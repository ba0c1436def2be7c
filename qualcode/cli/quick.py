"""The quick path: `docs list`, `codes list` and `codings add` on a SQLite project, without typer or SQLAlchemy.

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

# command words -> (the flags, the options with a value) the quick path understands for them
_COMMANDS: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {
    ("docs", "list"): (frozenset({"--json"}), frozenset()),
    ("codes", "list"): (frozenset({"--json", "--details"}), frozenset()),
    ("codings", "add"): (frozenset({"--json"}),
                         frozenset({"--doc", "--start", "--end", "--code", "--coder", "--memo", "--provenance"})),
}
_ADD_REQUIRED = ("--doc", "--start", "--end", "--code")
_GLOBAL_WITH_VALUE = {"--project": "project", "-p": "project", "--db": "db"}


def parse(argv: list[str]) -> tuple[dict[str, str], tuple[str, str], frozenset[str], dict[str, str]] | None:
    """(global options, command words, flags, command options) when argv is a quick command, else None."""
    options: dict[str, str] = {}
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        taken = _take_value(rest, _GLOBAL_WITH_VALUE)
        if taken is None:
            return None
        options[_GLOBAL_WITH_VALUE[taken[0]]] = taken[1]
    if len(rest) < 2 or (rest[0], rest[1]) not in _COMMANDS:
        return None
    words = (rest[0], rest[1])
    known_flags, known_values = _COMMANDS[words]
    flags: set[str] = set()
    values: dict[str, str] = {}
    rest = rest[2:]
    while rest:
        if rest[0] in known_flags and rest[0] not in flags:
            flags.add(rest.pop(0))
            continue
        taken = _take_value(rest, {name: name for name in known_values})
        if taken is None or taken[0] in values:
            return None  # an unknown word, a positional, or an option given twice: the full tree decides
        values[taken[0]] = taken[1]
    return options, words, frozenset(flags), values


def _take_value(rest: list[str], names: dict[str, str]) -> tuple[str, str] | None:
    """Pop "--name value" or "--name=value" off the front of rest when --name is one of names."""
    name, equals, value = rest[0].partition("=")
    if name not in names or (not equals and len(rest) < 2):
        return None
    rest.pop(0)
    return name, value if equals else rest.pop(0)


def answer(argv: list[str]) -> bool:
    """Run argv here if it is a quick command on a current SQLite project; False means: use the full tree."""
    parsed = parse(argv)
    if parsed is None:
        return False
    options, words, flags, values = parsed
    db = options.get("db") or os.environ.get("QUALCODE_DB")
    path = sqlite_path(url_for(options.get("project"), db))
    if path is None:
        return False
    from qualcode.store import quick as store

    connection = store.open_current(path)
    if connection is None:
        return False
    try:
        show = _run(connection, words, flags, values)
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    if show is None:
        return False
    show()
    return True


def _run(connection: sqlite3.Connection, words: tuple[str, str], flags: frozenset[str],
         values: dict[str, str]) -> Callable[[], None] | None:
    """Read (or write) everything before anything is printed, so a fallback never repeats output.

    None: not a quick case after all, and nothing was written.
    """
    from qualcode.cli import listings
    from qualcode.store import quick as store

    as_json = "--json" in flags
    if words == ("codings", "add"):
        return _add_coding(connection, values, as_json)
    if words == ("docs", "list"):
        rows = store.document_summaries(connection)
        return lambda: listings.print_documents(rows, as_json)
    tree, counts = store.codes_with_counts(connection)
    return lambda: listings.print_codes(tree, counts, as_json, "--details" in flags)


def _add_coding(connection: sqlite3.Connection, values: dict[str, str], as_json: bool) -> Callable[[], None] | None:
    from qualcode.store.quick_coding import NotQuick, add_coding

    coder = values.get("--coder") or os.environ.get("QUALCODE_CODER")
    if coder is None or any(name not in values for name in _ADD_REQUIRED):
        return None
    if not (values["--start"].isdigit() and values["--end"].isdigit()):
        return None
    try:
        coding = add_coding(connection, document=values["--doc"], start=int(values["--start"]), end=int(values["--end"]),
                            code=values["--code"], coder=coder, provenance=values.get("--provenance", "manual"),
                            memo=values.get("--memo"))
    except NotQuick:
        return None
    from qualcode.cli.output import console, print_json

    return (lambda: print_json(coding)) if as_json else (lambda: console.print(f"coding {coding.id} added"))
