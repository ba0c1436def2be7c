"""The help screen: the workbench's own keys first (views, this screen, everywhere), Textual's generic keys last."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from qualcode.tui import registry
from qualcode.tui.keymap import keymap_path

# Sections in the order they are listed; a binding's section comes from where it is defined.
VIEWS, HERE, EVERYWHERE, GENERIC = "Views", "This screen", "Everywhere", "Textual"


def _own(node, binding: Binding) -> bool:
    """True when a qualcode class declares this binding (Textual's defaults are declared by Textual's classes)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("qualcode."):
            continue
        for own in cls.__dict__.get("BINDINGS", ()):
            if isinstance(own, Binding) and (own.id == binding.id if binding.id else own.action == binding.action):
                return True
    return False


def help_rows(app, below) -> list[tuple[str, str, str, str]]:
    """(section, key, action, id) for every key active on `below`, the workbench's own first."""
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for active in below.active_bindings.values():
        binding = active.binding
        marker = binding.id or binding.action
        if marker in seen or not binding.description:
            continue
        seen.add(marker)
        if not _own(active.node, binding):
            section = GENERIC
        elif active.node is app:
            section = VIEWS if binding.action.startswith("show(") else EVERYWHERE
        else:
            section = HERE
        rows.append((section, app.get_key_display(binding), binding.description, binding.id or ""))
    for view in registry.views():
        key = app.user_keymap.get(f"view-{view.id}", view.key) if hasattr(app, "user_keymap") else view.key
        rows.append((VIEWS, key, view.title, f"view-{view.id}"))
    order = (VIEWS, HERE, EVERYWHERE, GENERIC)
    return sorted(rows, key=lambda row: order.index(row[0]))  # stable: each section keeps its own order


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
        section = None
        for name, key, action, binding_id in help_rows(self.app, self.below):
            if name != section:
                section = name
                table.add_row(Text(name, style="bold"), "", "")
            table.add_row(key, action, binding_id)
        path = keymap_path(self.app.home)
        if path:
            self.query_one(Static).update(f"Keys here (keymap: {path})")
        table.focus()

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
