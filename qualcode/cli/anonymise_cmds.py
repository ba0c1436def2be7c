"""`qualcode anonymise FILE`: mask names, places and contact details in a text file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.common import JsonOption


def anonymise(
    file: Annotated[Path, typer.Argument(help="A UTF-8 text file.")],
    roster: Annotated[
        Path | None, typer.Option("--roster", help="Participants YAML (participants/others/places/organisations) or CSV.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print FILE with identifying spans replaced by pseudonyms ([PERSON 1], [TOWN A]).

    With --json, print the spans found (start, end, type, layer) and the masked text.
    Example: qualcode anonymise transcript.txt --roster participants.yaml --json
    """
    from qualcode.anonymise.cli_support import anonymise_file  # spaCy loads only when a file is masked

    out = anonymise_file(file, roster, as_json=as_json)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")


def register(app: typer.Typer) -> None:
    app.command("anonymise")(anonymise)
