"""`qualcode codings`: add, list, remove, undo and redo codings; import and export CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, open_db, print_json
from qualcode.domain import Provenance

codings = typer.Typer(help="Codings: a code applied by a coder to a span of a document.", no_args_is_help=True)

CoderOption = Annotated[str, typer.Option("--coder", envvar="QUALCODE_CODER", help="Who is coding.")]


@codings.command("add")
def add(
    doc: Annotated[str, typer.Option("--doc", help="Document id or title.")],
    start: Annotated[int, typer.Option("--start", help="First character (code points, from 0).")],
    end: Annotated[int, typer.Option("--end", help="One past the last character.")],
    code: Annotated[str, typer.Option("--code", help="Code path or name.")],
    coder: CoderOption,
    memo: Annotated[str | None, typer.Option(help="A note on this coding.")] = None,
    provenance: Annotated[Provenance, typer.Option(help="How it was made.")] = Provenance.MANUAL,
    as_json: JsonOption = False,
) -> None:
    """Apply a code to a span. Example: qualcode codings add --doc interview-01 --start 10 --end 80 --code community/site --coder alex"""
    from qualcode.coding import CodingService

    service = CodingService(open_db(), coder)
    coding = service.apply(doc, start, end, code, provenance=provenance, memo=memo)
    if as_json:
        print_json(coding)
    else:
        console.print(f"coding {coding.id} added")


@codings.command("list")
def list_(
    code: Annotated[str | None, typer.Option(help="Only this code (path or name).")] = None,
    coder: Annotated[str | None, typer.Option(help="Only this coder.")] = None,
    doc: Annotated[str | None, typer.Option(help="Only this document.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List codings with their text. Example: qualcode codings list --code barriers --json"""
    from qualcode.store import codes as code_repo
    from qualcode.store import coders as coder_repo
    from qualcode.store import codings as repo
    from qualcode.store import documents as doc_repo

    db = open_db()
    with db.reading() as session:
        all_codes = code_repo.list_all(session)
        code_ids = None
        if code:
            chosen = code_repo.resolve(session, code)
            # A parent code's listing includes its descendants.
            code_ids = tuple(c.id for c in all_codes if c.id == chosen.id or c.path.startswith(chosen.path + "/"))
        coder_ids = (coder_repo.find(session, coder).id,) if coder else None
        doc_id = doc_repo.resolve(session, doc).id if doc else None
        rows = repo.query(session, repo.CodingFilter(document_id=doc_id, code_ids=code_ids, coder_ids=coder_ids))
        docs = {d.id: d for d in doc_repo.list_all(session)} if rows else {}
        names = repo.coder_names(session)
    paths = {c.id: c.path for c in all_codes}
    out = [
        {"id": c.id, "doc": docs[c.document_id].title, "document_id": c.document_id, "start": c.start, "end": c.end,
         "code": paths[c.code_id], "coder": names[c.coder_id], "created": c.created, "provenance": c.provenance,
         "codebook_version": c.codebook_version, "memo": c.memo, "candidate_quote": c.candidate_quote,
         "text": docs[c.document_id].text[c.start:c.end]}
        for c in rows
    ]
    if as_json:
        print_json(out)
        return
    table = Table("id", "doc", "span", "code", "coder", "text")
    for r in out:
        excerpt = r["text"].replace("\n", " ")
        table.add_row(str(r["id"]), escape(r["doc"]), f"{r['start']}-{r['end']}", escape(r["code"]), escape(r["coder"]),
                      escape(excerpt[:80] + ("…" if len(excerpt) > 80 else "")))
    console.print(table)
    console.print(f"{len(out)} coding(s)")


@codings.command("remove")
def remove(coding_id: int, coder: CoderOption) -> None:
    """Remove one of your codings. Example: qualcode codings remove 42 --coder alex"""
    from qualcode.coding import CodingService

    CodingService(open_db(), coder).remove(coding_id)
    console.print(f"coding {coding_id} removed")


@codings.command("undo")
def undo(coder: CoderOption) -> None:
    """Undo your last coding action (the history survives restarts). Example: qualcode codings undo --coder alex"""
    from qualcode.coding import CodingService

    step = CodingService(open_db(), coder).undo()
    console.print(f"undid {step.action} of coding {step.coding_id}" if step else "nothing to undo")


@codings.command("redo")
def redo(coder: CoderOption) -> None:
    """Redo the last undone coding action. Example: qualcode codings redo --coder alex"""
    from qualcode.coding import CodingService

    step = CodingService(open_db(), coder).redo()
    console.print(f"redid {step.action} of coding {step.coding_id}" if step else "nothing to redo")


@codings.command("import")
def import_(file: Annotated[Path, typer.Argument(help="CSV with columns doc, start, end, code, coder.")]) -> None:
    """Import codings from a spreadsheet (all rows or none). Example: qualcode codings import codings.csv"""
    from qualcode.codings_io import import_csv

    count = import_csv(open_db(), file)
    console.print(f"{count} coding(s) imported")


@codings.command("export")
def export(file: Annotated[Path, typer.Argument(help="CSV file to write.")]) -> None:
    """Export every coding with its text. Example: qualcode codings export exports/codings.csv"""
    from qualcode.codings_io import export_csv

    count = export_csv(open_db(), file)
    console.print(f"{count} coding(s) written to {escape(str(file))}")


def register(app: typer.Typer) -> None:
    app.add_typer(codings, name="codings")
