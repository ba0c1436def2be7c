"""How `docs list` and `codes list` print, shared by the full command tree and the quick path."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from qualcode.cli.output import print_json, print_table
from qualcode.domain import Code, DocumentSummary, Valence


def print_documents(rows: list[DocumentSummary], as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    table = Table("id", "title", "kind", "words", "segments", "participants", "codings")
    for r in rows:
        table.add_row(str(r.id), escape(r.title), r.kind, str(r.words), str(r.segments), escape(", ".join(r.participants)), str(r.codings))
    print_table(table)


def print_codes(tree: list[Code], counts: dict[int, int], as_json: bool, details: bool) -> None:
    if as_json:
        print_json([
            {"id": c.id, "guid": c.guid, "path": c.path, "name": c.name, "parent_id": c.parent_id,
             "description": c.description, "inclusion": c.inclusion, "exclusion": c.exclusion,
             "examples": list(c.examples), "keywords": list(c.keywords), "colour": c.colour,
             "valence": c.valence, "codings": counts.get(c.id, 0)}
            for c in tree
        ])
        return
    table = Table("path", "valence", "codings", *(("definition", "keywords") if details else ()))
    for c in tree:
        depth = c.path.count("/")
        valence = "" if c.valence == Valence.NONE else str(c.valence)
        extra = (escape(c.description), escape(", ".join(c.keywords))) if details else ()
        table.add_row("  " * depth + escape(c.name), valence, str(counts.get(c.id, 0)), *extra)
    print_table(table)
