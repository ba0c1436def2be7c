"""Choice lists for the fuzzy picker: codes (with definitions), documents, coders."""

from __future__ import annotations

from rich.markup import escape

from qualcode.tui.screens.dialogs import PickItem
from qualcode.tui.widgets.coding_panel import definition_markup
from qualcode.tui.workbench import Workbench


def code_items(bench: Workbench) -> list[PickItem]:
    return [
        PickItem(
            code.id,
            f"[{bench.colour(code)}]■[/] {escape(code.path)}",
            " ".join([code.name, code.path, *code.keywords]),
            definition_markup(code),
        )
        for code in bench.codes()
    ]


def document_items(bench: Workbench) -> list[PickItem]:
    from qualcode.store import documents as doc_repo

    with bench.db.reading() as session:
        summaries = doc_repo.summaries(session)
    return [
        PickItem(s.id, f"{escape(s.title)} [dim]{s.kind} · {s.words} words[/dim]", f"{s.title} {s.kind} {' '.join(s.participants)}")
        for s in summaries
    ]


def coder_items(bench: Workbench) -> list[PickItem]:
    from qualcode.store import coders

    with bench.db.reading() as session:
        return [PickItem(c.name, escape(c.name), c.name) for c in coders.list_all(session)]
