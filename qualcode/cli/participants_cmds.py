"""`qualcode participants`: list participants and import a participants file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, open_db, print_json

participants = typer.Typer(help="Participants (cases) with roles and attributes.", no_args_is_help=True)


@participants.command("list")
def list_(
    as_json: JsonOption = False,
    names: Annotated[bool, typer.Option("--names", help="Also show real names and aliases (sensitive).")] = False,
) -> None:
    """List participants by label. Example: qualcode participants list --json"""
    from qualcode.store import participants as repo

    db = open_db()
    with db.reading() as session:
        people = repo.list_all(session)
    if as_json:
        print_json([
            {"label": p.label, "role": p.role, "attributes": p.attributes,
             **({"name": p.name, "aliases": list(p.aliases)} if names else {})}
            for p in people
        ])
        return
    table = Table("label", "role", "attributes", *(("name", "aliases") if names else ()))
    for p in people:
        attrs = "; ".join(f"{k}={v}" for k, v in sorted(p.attributes.items()))
        extra = (escape(p.name or ""), escape(", ".join(p.aliases))) if names else ()
        table.add_row(escape(p.label), escape(p.role or ""), escape(attrs), *extra)
    console.print(table)


@participants.command("import")
def import_(file: Annotated[Path, typer.Argument(help="Participants CSV or YAML.")]) -> None:
    """Add or update participants from a file. Example: qualcode participants import participants.yaml"""
    from qualcode.importing import import_participants, load_sidecar

    db = open_db()
    count = import_participants(db, load_sidecar(file), source=file.name)
    console.print(f"{count} participant(s) imported")


def register(app: typer.Typer) -> None:
    app.add_typer(participants, name="participants")
