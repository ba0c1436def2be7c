"""`qualcode docs`: import, list and show documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from qualcode.cli.common import JsonOption, console, err_console, open_db, print_json
from qualcode.domain import DocumentKind

docs = typer.Typer(help="Import, list and show documents.", no_args_is_help=True)


@docs.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Transcripts: .txt .md .docx .vtt .srt, surveys: .csv .xlsx")],
    kind: Annotated[DocumentKind | None, typer.Option(help="Document kind; guessed from the file when omitted.")] = None,
    participants: Annotated[Path | None, typer.Option(help="Participants sidecar (CSV or YAML) linking speakers.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding when not UTF-8, e.g. cp1252.")] = None,
    id_column: Annotated[str | None, typer.Option(help="Survey: the respondent ID column.")] = None,
    per: Annotated[str, typer.Option(help="Survey: one document per 'respondent' or per 'question'.")] = "respondent",
    as_json: JsonOption = False,
) -> None:
    """Import files; each is written whole or not at all. Example: qualcode docs import interviews/*.txt"""
    from rich.progress import Progress

    from qualcode.importing import import_files

    db = open_db()
    options = {"encoding": encoding, "id_column": id_column, "per": per}
    with Progress(console=err_console, transient=True, disable=as_json or len(files) < 3) as progress:
        task = progress.add_task("importing", total=len(files))
        outcomes = import_files(
            db, files, kind=kind, participants_file=participants,
            on_file=lambda _o: progress.advance(task), **{k: v for k, v in options.items() if v is not None},
        )
    if as_json:
        print_json(outcomes)
    else:
        for o in outcomes:
            if o.status == "failed":
                err_console.print(f"[red]error:[/] {escape(o.message)}", highlight=False)
            else:
                word = "imported" if o.status == "imported" else "already in the project"
                console.print(f"{escape(Path(o.path).name)}: {word} ({len(o.documents)} document(s))", highlight=False)
            for warning in o.warnings:
                err_console.print(f"[yellow]warning:[/] {escape(Path(o.path).name)}: {escape(warning)}", highlight=False)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


@docs.command("list")
def list_(as_json: JsonOption = False) -> None:
    """List documents with kind, words, segments and participants. Example: qualcode docs list --json"""
    from qualcode.store import documents

    from qualcode.cli.listings import print_documents

    db = open_db()
    with db.reading() as session:
        rows = documents.summaries(session)
    print_documents(rows, as_json)


@docs.command("show")
def show(
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    as_json: JsonOption = False,
) -> None:
    """Show a document's text by speaker turn. Example: qualcode docs show interview-01 --json"""
    from qualcode.store import documents, participants

    db = open_db()
    with db.reading() as session:
        document = documents.resolve(session, doc)
        segments = documents.segments(session, document.id)
        labels = {p.id: p.label for p in participants.list_all(session)}
        people = documents.participant_labels(session, document.id)
    if as_json:
        print_json(
            {
                "id": document.id, "title": document.title, "kind": document.kind, "date": document.date,
                "source_name": document.source_name, "sha256": document.sha256, "meta": document.meta,
                "text": document.text, "participants": people,
                "segments": [
                    {"index": s.index, "start": s.start, "end": s.end, "kind": s.kind, "speaker": s.speaker,
                     "participant": labels.get(s.participant_id), "meta": s.meta}
                    for s in segments
                ],
            }
        )
        return
    console.print(f"[bold]{escape(document.title)}[/] ({document.kind}, {len(segments)} segments)")
    for s in segments:
        who = labels.get(s.participant_id) or s.speaker or ""
        console.print(f"[cyan]{escape(who)}[/] {escape(document.text[s.start:s.end])}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(docs, name="docs")


