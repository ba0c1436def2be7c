"""`qualcode search`: full-text and fuzzy search across the project."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, open_db, print_json


def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must occur in a segment).")],
    fuzzy: Annotated[bool, typer.Option("--fuzzy", help="Also match spelling variants.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Search every document. Example: qualcode search "community champion" --fuzzy"""
    from qualcode.store.search import search as run_search

    db = open_db()
    with db.reading() as session:
        hits = run_search(session, query, fuzzy=fuzzy, limit=limit)
    if as_json:
        print_json(hits)
        return
    table = Table("document", "turn", "speaker", "at", "excerpt")
    for h in hits:
        table.add_row(escape(h.title), str(h.segment_index), escape(h.speaker or ""), str(h.start), escape(h.snippet))
    console.print(table)
    console.print(f"{len(hits)} result(s)")


def register(app: typer.Typer) -> None:
    app.command("search")(search)
