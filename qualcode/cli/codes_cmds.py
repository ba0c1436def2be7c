"""`qualcode codes`: import a codebook, list, add, rename, move, merge and delete codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from qualcode.cli.common import JsonOption, console, open_db
from qualcode.domain import Valence

codes = typer.Typer(help="The codebook: a tree of codes.", no_args_is_help=True)


@codes.command("import")
def import_(file: Annotated[Path, typer.Argument(help="Codebook YAML, e.g. codebooks/ambitions-framework.yaml")]) -> None:
    """Load a codebook; existing codes (same GUID or path) are updated. Example: qualcode codes import codebooks/generic-starter.yaml"""
    from qualcode.codebook.loader import load_codebook
    from qualcode.codebook.operations import import_spec

    spec = load_codebook(file)
    db = open_db()
    with db.transaction() as session:
        result = import_spec(session, spec)
    console.print(f"{escape(spec.name)}: {result.added} code(s) added, {result.updated} updated; codebook version {result.version}")


@codes.command("list")
def list_(
    as_json: JsonOption = False,
    details: Annotated[bool, typer.Option("--details", help="Show definitions and keywords.")] = False,
) -> None:
    """List codes as a tree with coding counts. Example: qualcode codes list --json"""
    from qualcode.cli.listings import print_codes
    from qualcode.store import codes as repo
    from qualcode.store import codings as coding_repo

    db = open_db()
    with db.reading() as session:
        tree = repo.list_all(session)
        counts = coding_repo.count_by_code(session)
    print_codes(tree, counts, as_json, details)


@codes.command("add")
def add(
    name: Annotated[str, typer.Argument(help="New code name (no '/').")],
    parent: Annotated[str | None, typer.Option(help="Parent code path.")] = None,
    description: Annotated[str, typer.Option(help="Definition.")] = "",
    valence: Annotated[Valence, typer.Option(help="barrier, facilitator or none.")] = Valence.NONE,
    keywords: Annotated[str, typer.Option(help="Comma-separated keywords.")] = "",
    colour: Annotated[str | None, typer.Option(help="#RRGGBB")] = None,
) -> None:
    """Add a code. Example: qualcode codes add "time pressure" --parent barriers --valence barrier"""
    from qualcode.store import codes as repo

    fields = {"description": description, "valence": str(valence),
              "keywords": [k.strip() for k in keywords.split(",") if k.strip()]}
    if colour:
        fields["colour"] = colour
    db = open_db()
    with db.transaction() as session:
        code = repo.add(session, name, parent=parent, fields=fields)
    console.print(f"added {escape(code.path)}")


@codes.command("rename")
def rename(code: Annotated[str, typer.Argument(help="Code path or name.")], new_name: str) -> None:
    """Rename a code; its codings keep it. Example: qualcode codes rename barriers/awareness "low awareness" """
    from qualcode.store import codes as repo

    db = open_db()
    with db.transaction() as session:
        renamed = repo.rename(session, code, new_name)
    console.print(f"renamed to {escape(renamed.path)}")


@codes.command("move")
def move(
    code: Annotated[str, typer.Argument(help="Code path or name.")],
    parent: Annotated[str | None, typer.Argument(help="New parent path; omit for the top level.")] = None,
) -> None:
    """Move a code under another parent. Example: qualcode codes move listening facilitators/community"""
    from qualcode.store import codes as repo

    db = open_db()
    with db.transaction() as session:
        moved = repo.move(session, code, parent)
    console.print(f"moved to {escape(moved.path)}")


@codes.command("merge")
def merge(
    source: Annotated[str, typer.Argument(help="Code to fold in (it disappears).")],
    target: Annotated[str, typer.Argument(help="Code that receives codings, memos and children.")],
) -> None:
    """Merge one code into another. Example: qualcode codes merge barriers/time barriers/resources"""
    from qualcode.store import codes as repo

    db = open_db()
    with db.transaction() as session:
        kept, moved = repo.merge(session, source, target)
    console.print(f"merged into {escape(kept.path)}; {moved} coding(s) moved")


@codes.command("delete")
def delete(
    code: Annotated[str, typer.Argument(help="Code path or name.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Also delete its codings, without asking.")] = False,
) -> None:
    """Delete a code (asks first when it has codings). Example: qualcode codes delete misc --yes"""
    from qualcode.errors import Conflict, NeedsConfirmation
    from qualcode.store import codes as repo

    db = open_db()
    try:
        with db.transaction() as session:
            deleted, count = repo.delete(session, code, force=yes)
    except NeedsConfirmation as exc:
        if not typer.confirm(f"{exc}. Delete anyway?", default=False):
            raise Conflict(f"{exc}; confirm with --yes to delete them too") from None
        with db.transaction() as session:
            deleted, count = repo.delete(session, code, force=True)
    console.print(f"deleted {escape(deleted.path)} and {count} coding(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(codes, name="codes")
