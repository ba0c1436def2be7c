"""The top bar (screen title, project, coder badge with blind-mode state) and a one-line status bar."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class TopBar(Horizontal):
    """One line at the top of every screen; the badge always says who is coding."""

    def __init__(self, title: str):
        super().__init__(classes="topbar")
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, classes="topbar-title")
        yield Static("", classes="topbar-project")
        yield Static("", classes="coder-badge")

    def on_mount(self) -> None:
        self.update_badge()

    def update_badge(self) -> None:
        bench = getattr(self.app, "workbench", None)
        if bench is None:
            return
        name = bench.setting("name") or bench.url.rsplit("/", 1)[-1]
        self.query_one(".topbar-project", Static).update(name)
        badge = self.query_one(".coder-badge", Static)
        blind = bench.blind
        badge.update(f" coder: {bench.coder}{' · blind' if blind else ''} ")
        badge.set_class(blind, "-blind")


class StatusLine(Widget):
    """A fixed one-line bar; changing its text repaints one line, never the screen layout."""

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        text = Text.from_markup(self.text, overflow="ellipsis")
        text.no_wrap = True
        return text

