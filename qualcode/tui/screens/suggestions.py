"""Plugs the suggestions panel into the reader's side panel through the workbench registry."""

from __future__ import annotations

from qualcode.tui import registry
from qualcode.tui.widgets.suggestions_panel import SuggestionsPanel

registry.register_panel(
    registry.Panel(
        id="suggestions",
        title="Suggestions",
        factory=lambda bench: SuggestionsPanel(bench, id="suggestions-panel", classes="reader-panel"),
    )
)
