"""`qualcode refi`: exchange projects and codebooks with NVivo, MAXQDA, ATLAS.ti and others (REFI-QDA)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from qualcode.cli import common
from qualcode.cli.common import JsonOption, console, err_console, open_db, print_json

refi = typer.Typer(help="REFI-QDA exchange: .qdpx projects and .qdc codebooks.", no_args_is_help=True)


@refi.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The .qdpx file to write.")],
    anonymise: Annotated[bool, typer.Option("--anonymise", help="Mask texts, titles and memos as quote banks are masked.")] = False,
) -> None:
    """Export the project (documents, codes, codings, coders, cases, memos, sets) as a .qdpx archive.
    Example: qualcode refi export --out study.qdpx --anonymise"""
    from qualcode.refi.export import export_project

    path = export_project(open_db(), out, anonymise=anonymise)
    console.print(f"wrote {escape(str(path))}")


@refi.command("export-codebook")
def export_codebook(out: Annotated[Path, typer.Option("--out", "-o", help="The .qdc file to write.")]) -> None:
    """Export the codebook (code tree, descriptions, colours, code sets) as a .qdc file.
    Example: qualcode refi export-codebook --out codebook.qdc"""
    from qualcode.refi.export import export_codebook as write

    path = write(open_db(), out)
    console.print(f"wrote {escape(str(path))}")


@refi.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A .qdpx project or .qdc codebook from any REFI-QDA tool.")],
    merge: Annotated[bool, typer.Option("--merge", help="Merge into the existing project instead of creating a new one.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse the file if any selection offset needs repairing (clamped, swapped, negative).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import a .qdpx or .qdc into a new project (the --project path is created) or, with --merge,
    into the existing one (codes matched by GUID, then by path). All or nothing.
    Example: qualcode --project nvivo.db refi import exported.qdpx"""
    from qualcode.errors import Conflict, ProjectExists
    from qualcode.refi.import_ import import_file
    from qualcode.store.staging import new_project

    try:
        if merge:
            report = import_file(file, open_db(), merge=True, strict=strict)
        else:
            with new_project(common.project_url()) as db:
                report = import_file(file, db, strict=strict)
    except ProjectExists as exc:
        if exc.appeared:
            raise
        raise Conflict(f"{exc}; add --merge to merge into it, or choose a new --project path") from None
    if as_json:
        print_json(report)
        return
    console.print(
        f"imported {escape(file.name)} ({escape(report.origin or 'unknown tool')}): {report.codes_added} code(s) added, "
        f"{report.codes_matched} matched, {report.documents_added} document(s), {report.codings_added} coding(s), "
        f"{report.coders_added} coder(s), {report.participants_added} case(s), {report.memos_added} memo(s) "
        f"({report.document_memos_added} on documents), {report.coding_memos_added} coding memo(s), "
        f"{report.sets_added} set(s)"
    )
    for warning in report.warnings[:20]:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    if len(report.warnings) > 20:
        err_console.print(f"[yellow]warning:[/] … {len(report.warnings) - 20} more", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(refi, name="refi")
