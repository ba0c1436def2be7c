"""The top bar (screen title, project, coder badge with blind-mode state), a one-line status bar, and a footer that fits."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("help", "app.help")  # kept in every footer, so the full list is one key away


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


class WorkbenchFooter(Footer):
    """Textual's footer, showing only the keys that fit whole: no key is ever cut at the right edge.

    Keys keep their order; the ones that do not fit are still active and listed by help (?) and ctrl+p.
    """

    _laid_out_width = 0

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        width = self.app.size.width if self.size.width == 0 else self.size.width
        palette = [item for item in items if isinstance(item, FooterKey) and item.has_class("-command-palette")]
        keys = [item for item in items if isinstance(item, FooterKey) and item not in palette]
        room = width - sum(_key_width(k) + 2 for k in palette)  # its left border and right padding
        room -= sum(_key_width(k) for k in keys if k.action in ALWAYS_SHOWN)
        shown = []
        for key in keys:
            if key.action in ALWAYS_SHOWN:
                shown.append(key)
            elif _key_width(key) <= room:
                shown.append(key)
                room -= _key_width(key)
            else:
                room = -1  # keep the order: once one key does not fit, later ones would read as a gap
        self._laid_out_width = width
        yield from shown
        yield from palette

    def on_resize(self) -> None:
        if self.size.width != self._laid_out_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)


def _key_width(key: FooterKey) -> int:
    # FooterKey's default style: " key " then "description "; both paddings are one cell.
    return len(key.key_display) + 2 + (len(key.description) + 1 if key.description else 0)
