"""Modal dialogs that return a typed result through dismiss: a text prompt and a fuzzy picker (codes, documents, coders)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

MAX_SHOWN = 60


@dataclass(frozen=True, slots=True)
class PickItem:
    """One choice: what to return, how to show it, what fuzzy matching looks at, what to show when highlighted."""

    value: int | str | None
    label: str
    haystack: str
    detail: str = ""


def fuzzy_rank(query: str, items: list[PickItem], limit: int = MAX_SHOWN) -> list[PickItem]:
    """Items best matching `query` first (rapidfuzz WRatio over name, path and keywords); all items for no query."""
    query = query.strip()
    if not query:
        return items[:limit]
    lowered = [item.haystack.lower() for item in items]
    found = process.extract(query.lower(), lowered, scorer=fuzz.WRatio, limit=limit, score_cutoff=45)
    prefix = [i for i, hay in enumerate(lowered) if hay.startswith(query.lower())]
    order = prefix + [index for _, _, index in found if index not in prefix]
    return [items[i] for i in order[:limit]]


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = ""):
        super().__init__(classes="dialog-screen")
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FuzzyPicker(ModalScreen[int | str | None]):
    """Type to narrow a list, arrows to move, enter to choose; the highlighted item's detail shows below."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("down", "cursor(1)", "Down", show=False, id="picker-down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="picker-up"),
    ]

    def __init__(self, title: str, items: list[PickItem], placeholder: str = "type to filter"):
        super().__init__(classes="dialog-screen")
        self.title_text, self.items, self.placeholder = title, items, placeholder
        self.shown: list[PickItem] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.placeholder, id="picker-input")
            yield OptionList(id="picker-options")
            yield Static("", id="picker-detail")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    def _fill(self, query: str) -> None:
        self.shown = fuzzy_rank(query, self.items)
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        options.add_options([Option(item.label) for item in self.shown])
        if self.shown:
            options.highlighted = 0
        self._show_detail()

    @on(Input.Changed, "#picker-input")
    def changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def submitted(self) -> None:
        self._choose(self.query_one("#picker-options", OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    @on(OptionList.OptionHighlighted)
    def highlighted(self) -> None:
        self._show_detail()

    def action_cursor(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + step))

    def _show_detail(self) -> None:
        index = self.query_one("#picker-options", OptionList).highlighted
        detail = self.shown[index].detail if index is not None and index < len(self.shown) else ""
        self.query_one("#picker-detail", Static).update(detail)

    def _choose(self, index: int | None) -> None:
        if index is not None and index < len(self.shown):
            self.dismiss(self.shown[index].value)

    def action_cancel(self) -> None:
        self.dismiss(None)
