"""The key footer: one line drawn by one widget, showing only the keys that fit whole; a click presses the key."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widget import Widget

ALWAYS_SHOWN = ("help",)  # kept in every footer, so the full list is one key away


@dataclass(frozen=True, slots=True)
class FooterItem:
    key: str  # the key to simulate on a click
    display: str
    description: str
    action: str = ""
    enabled: bool = True


class WorkbenchFooter(Widget):
    """Keys of the focused screen in binding order, the ones that do not fit left out (never cut at the edge).

    Textual's Footer is a container of one widget per key, rebuilt on every focus change; restyling those
    widgets was most of the time a view took to appear. Left-out keys stay active and are listed by help (?).
    """

    DEFAULT_CSS = """
    WorkbenchFooter { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
    WorkbenchFooter > .footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
    WorkbenchFooter > .footer--description { color: $footer-description-foreground; }
    """
    COMPONENT_CLASSES = {"footer--key", "footer--description"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, str]] = []  # (x from, x to, key) of what was drawn, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh()

    def items(self) -> tuple[list[FooterItem], FooterItem | None]:
        """The screen's shown keys (one per action) and the command palette's key."""
        shown: list[FooterItem] = []
        actions: set[str] = set()
        palette = None
        app = self.app
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append(FooterItem(binding.key.split(",")[0], app.get_key_display(binding), binding.description,
                                    binding.action, active.enabled))
        if app.ENABLE_COMMAND_PALETTE:
            active = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if active is not None:
                palette = FooterItem(active.binding.key, app.get_key_display(active.binding), active.binding.description)
        return shown, palette

    def fitted(self, width: int) -> tuple[list[FooterItem], FooterItem | None]:
        """What fits in `width`: keys in order until one does not fit, help always, the palette on the right."""
        shown, palette = self.items()
        room = width - (_width(palette) + 1 if palette else 0)
        keep = [item for item in shown if item.action in ALWAYS_SHOWN]
        room -= sum(_width(item) for item in keep)
        chosen = []
        for item in shown:
            if item in keep:
                chosen.append(item)
            elif _width(item) <= room:
                chosen.append(item)
                room -= _width(item)
            else:
                room = -1  # once one key does not fit, later ones would read as a gap
        return chosen, palette

    def render(self) -> Text:
        width = self.size.width
        chosen, palette = self.fitted(width)
        key_style = self.get_component_rich_style("footer--key")
        text_style = self.get_component_rich_style("footer--description")
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for item in chosen:
            start = line.cell_len
            line.append(f" {item.display} ", key_style)
            line.append(f"{item.description} ", text_style)
            if not item.enabled:
                line.stylize("dim", start)
            self._spans.append((start, line.cell_len, item.key))
        if palette is not None:
            tail = Text.assemble("▏", (f" {palette.display} ", key_style), (f"{palette.description} ", text_style))
            line.append(" " * max(0, width - line.cell_len - tail.cell_len))
            self._spans.append((line.cell_len, width, palette.key))
            line.append_text(tail)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


def _width(item: FooterItem) -> int:
    return len(item.display) + 2 + len(item.description) + 1
