"""`qualcode coders`: add and list coders."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, open_db, print_json

coders = typer.Typer(help="Coders: the people who code.", no_args_is_help=True)


@coders.command("add")
def add(name: Annotated[str, typer.Argument(help="Coder name, e.g. alex.")]) -> None:
    """Add a coder. Example: qualcode coders add alex"""
    from qualcode.store import coders as repo

    db = open_db()
    with db.transaction() as session:
        coder = repo.add(session, name)
    console.print(f"coder {escape(coder.name)} (id {coder.id})")


@coders.command("list")
def list_(as_json: JsonOption = False) -> None:
    """List coders with their number of codings. Example: qualcode coders list"""
    from qualcode.store import coders as repo
    from qualcode.store import codings as coding_repo

    db = open_db()
    with db.reading() as session:
        people = repo.list_all(session)
        counts = coding_repo.count_by_coder(session)
    rows = [{"id": c.id, "name": c.name, "codings": counts.get(c.id, 0)} for c in people]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "codings")
    for r in rows:
        table.add_row(str(r["id"]), escape(r["name"]), str(r["codings"]))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(coders, name="coders")
