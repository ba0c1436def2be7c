"""`qualcode anonymise FILE...`: mask names, places, dates and contact details in text files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.common import JsonOption


def anonymise(
    files: Annotated[
        list[str],
        typer.Argument(help="UTF-8 text files; - reads standard input.", show_default=False),
    ],
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="Participants YAML (participants/others/places/organisations) or CSV.",
        ),
    ] = None,
    generalise: Annotated[
        list[str] | None,
        typer.Option(
            "--generalise",
            help="Quasi-identifier types to generalise, e.g. DATE,AGE ('April 2022' -> '2022').",
        ),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            help="Quasi-identifier types to leave as they are, e.g. ORG,DURATION.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print each FILE with identifying spans replaced by pseudonyms ([PERSON 1], [TOWN A]).

    The model loads once for all files, and one person keeps one pseudonym across them.
    With --json, print the spans found (start, end, type, layer) and the masked text.
    Example: qualcode anonymise a.txt b.txt --roster participants.yaml --generalise DATE,AGE --json
    """
    # spaCy loads only when a file is masked
    from qualcode.anonymise.cli_support import anonymise_files, policy_from_options

    policy = policy_from_options(generalise or (), keep or ())
    out = anonymise_files(files, roster, as_json=as_json, policy=policy)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")


def register(app: typer.Typer) -> None:
    app.command("anonymise")(anonymise)
