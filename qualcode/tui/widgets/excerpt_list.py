"""A Line API list of excerpts (a heading and two wrapped lines each) that stays fast with thousands of items."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

ROWS = 3  # heading + two lines of text per item


class ExcerptList(ScrollView, can_focus=True):
    """Items are (heading, body) rich Texts; only the visible ones are wrapped and rendered."""

    BINDINGS = [
        Binding("up,k", "step(-1)", "Up", show=False, id="excerpts-up"),
        Binding("down,j", "step(1)", "Down", show=False, id="excerpts-down"),
        Binding("pageup", "step(-10)", "Page up", show=False, id="excerpts-page-up"),
        Binding("pagedown", "step(10)", "Page down", show=False, id="excerpts-page-down"),
        Binding("enter", "choose", "Open", id="excerpts-open"),
    ]

    @dataclass
    class Chosen(Message):
        """Enter (or a click) on an item."""

        index: int

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.items: list[tuple[Text, Text]] = []
        self.highlighted = 0
        self._cache: dict[tuple[int, int], list[Strip]] = {}

    def set_items(self, items: list[tuple[Text, Text]]) -> None:
        self.items = items
        self.highlighted = 0
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(items) * ROWS)
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def _strips(self, index: int, width: int) -> list[Strip]:
        key = (index, width)
        if key not in self._cache:
            heading, body = self.items[index]
            console = self.app.console
            head = heading.copy()
            head.truncate(width, overflow="ellipsis")
            lines = body.wrap(console, max(10, width - 1), overflow="ellipsis")  # a column of margin on the right
            rows = [head] + list(lines)[:2]
            while len(rows) < ROWS:
                rows.append(Text(""))
            self._cache[key] = [Strip(row.render(console)).extend_cell_length(width) for row in rows]
            if len(self._cache) > 2000:
                self._cache.clear()
        return self._cache[key]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_offset.y) + y
        index, part = divmod(row, ROWS)
        if index >= len(self.items):
            return Strip.blank(width, self.rich_style)
        strip = self._strips(index, width)[part].apply_style(self.rich_style)
        if index == self.highlighted:
            strip = strip.apply_style(Style(bgcolor=self.app.current_theme.panel or "grey23"))
            if part == 0 and self.has_focus:
                strip = strip.apply_style(Style(bold=True, underline=True))
        return strip.crop(0, width)

    def action_step(self, step: int) -> None:
        if not self.items:
            return
        self.highlighted = max(0, min(len(self.items) - 1, self.highlighted + step))
        top = self.highlighted * ROWS
        height = self.scrollable_content_region.height
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False)
        elif top + ROWS > self.scroll_offset.y + height:
            self.scroll_to(y=top + ROWS - height, animate=False)
        self.refresh()

    def action_choose(self) -> None:
        if self.items:
            self.post_message(self.Chosen(self.highlighted))

    def on_click(self, event) -> None:
        index = (int(self.scroll_offset.y) + event.y) // ROWS
        if index < len(self.items):
            self.highlighted = index
            self.refresh()
            self.post_message(self.Chosen(index))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.items) * ROWS)
        self._cache.clear()
