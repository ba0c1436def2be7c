"""The help screen: every binding active on the screen below it, with its id (for keymap.toml) and current key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from qualcode.tui import registry
from qualcode.tui.keymap import keymap_path


class HelpScreen(ModalScreen[None]):
    """Lists keys for the screen it was opened from; escape closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help-close")]

    def __init__(self, below):
        super().__init__(classes="dialog-screen")
        self.below = below

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static("Keys here (remap any id in $QUALCODE_HOME/keymap.toml under \\[keys])", classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "action", "id")
        seen: set[str] = set()
        for active in self.below.active_bindings.values():
            binding = active.binding
            marker = binding.id or binding.action
            if marker in seen or not binding.description:
                continue
            seen.add(marker)
            table.add_row(self.app.get_key_display(binding), binding.description, binding.id or "")
        for view in registry.views():
            table.add_row(view.key, view.title, f"view:{view.id}")
        path = keymap_path(self.app.home)
        if path:
            self.query_one(Static).update(f"Keys here (keymap: {path})")
        table.focus()

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
