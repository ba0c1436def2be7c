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


attributes = typer.Typer(help="Participant attributes: list them, rename one, merge two that mean the same.",
                         no_args_is_help=True)
participants.add_typer(attributes, name="attributes")


@attributes.command("list")
def attributes_list(as_json: JsonOption = False) -> None:
    """Attributes by meaning (case, spaces and punctuation ignored) with their spellings. Example: qualcode participants attributes list"""
    from qualcode.store import participants as repo

    with open_db().reading() as session:
        found = repo.attribute_spellings(session)
        people = repo.list_all(session)
    rows = [{"attribute": spellings[0], "spellings": spellings,
             "participants": sum(1 for p in people if any(k in p.attributes for k in spellings))}
            for spellings in found.values()]
    rows.sort(key=lambda r: r["attribute"].lower())
    if as_json:
        print_json(rows)
        return
    table = Table("attribute", "participants", "spellings")
    for row in rows:
        table.add_row(escape(row["attribute"]), str(row["participants"]), escape(", ".join(row["spellings"])))
    console.print(table)


@attributes.command("rename")
def attributes_rename(
    old: Annotated[str, typer.Argument(help="Attribute to rename (any case or punctuation).")],
    new: Annotated[str, typer.Argument(help="New name.")],
) -> None:
    """Rename an attribute on every participant. Example: qualcode participants attributes rename "Care setting" setting"""
    from qualcode.store import participants as repo

    with open_db().transaction() as session:
        changed = repo.rename_attribute(session, old, new)
    console.print(f"renamed '{escape(old)}' to '{escape(new)}' on {changed} participant(s)")


@attributes.command("merge")
def attributes_merge(
    old: Annotated[str, typer.Argument(help="Attribute to fold in (it disappears).")],
    into: Annotated[str, typer.Argument(help="Attribute that keeps the values.")],
) -> None:
    """Merge two attributes that mean the same (refused where a participant's values differ). Example: qualcode participants attributes merge "Care setting" setting"""
    from qualcode.store import participants as repo

    with open_db().transaction() as session:
        changed = repo.rename_attribute(session, old, into, merge=True)
    console.print(f"merged '{escape(old)}' into '{escape(into)}' on {changed} participant(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(participants, name="participants")
