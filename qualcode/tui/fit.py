"""Text that fits the width it is drawn at: names cut in the middle, code paths wrapped at '/', never mid-word."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text


def fit_middle(text: str, width: int) -> str:
    """Cut from the middle, so both the start and the distinguishing end (focus-group-03, ID:704) stay visible."""
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    head = (width - 1) // 3
    tail = width - 1 - head
    return text[:head] + "…" + text[len(text) - tail:]


def fit_path(path: str, width: int) -> str:
    """A code path in `width` cells: the last segment kept whole when it fits, the cut made in the parents."""
    if len(path) <= width:
        return path
    last = path.rsplit("/", 1)[-1]
    if last != path and len(last) + 3 <= width:
        tail = "/" + last
        return path[: width - len(tail) - 1] + "…" + tail
    return fit_middle(path, width)


def wrap_path(path: str, width: int) -> list[str]:
    """A code path as lines of at most `width`, broken only after a '/'; a segment too long alone is cut in the middle."""
    lines: list[str] = []
    line = ""
    for part in [p + "/" for p in path.split("/")[:-1]] + [path.rsplit("/", 1)[-1]]:
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
        if len(line) > width:
            lines.append(fit_middle(line, width))
            line = ""
    if line or not lines:
        lines.append(line)
    return lines


class FitLine:
    """One line drawn as prefix + a name fitted to the room left + suffix; it never wraps.

    A Rich renderable, so the fitting happens at the width the widget really has, on every resize.
    """

    def __init__(self, name: str, prefix: Text | str = "", suffix: Text | str = "", *,
                 style: Style | str = "", path: bool = True, min_name: int = 8):
        self.name = name
        self.prefix = prefix if isinstance(prefix, Text) else Text.from_markup(prefix)
        self.suffix = suffix if isinstance(suffix, Text) else Text.from_markup(suffix)
        self.style = style
        self.path = path
        self.min_name = min_name

    def text(self, width: int) -> Text:
        room = width - self.prefix.cell_len - self.suffix.cell_len
        suffix = self.suffix
        if room < self.min_name and suffix.cell_len:
            suffix, room = Text(""), width - self.prefix.cell_len  # the name matters more than its flags
        room = max(1, room)
        name = fit_path(self.name, room) if self.path else fit_middle(self.name, room)
        line = Text.assemble(self.prefix, (name, self.style), suffix, no_wrap=True, overflow="crop")
        line.truncate(width)
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        full = self.prefix.cell_len + len(self.name) + self.suffix.cell_len
        return Measurement(min(full, self.prefix.cell_len + 4), full)

    def __str__(self) -> str:
        return self.prefix.plain + self.name + self.suffix.plain


class WrapPath(FitLine):
    """A code path that wraps after '/' (continuation lines indented), for boxes where height is free."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        indent = self.prefix.cell_len
        room = max(4, width - indent)
        lines = wrap_path(self.name, room)
        if self.suffix.cell_len and len(lines[-1]) + self.suffix.cell_len > room:
            lines.append("")
        for i, part in enumerate(lines):
            head = self.prefix if i == 0 else Text(" " * indent)
            tail = self.suffix if i == len(lines) - 1 else Text("")
            line = Text.assemble(head, (part, self.style), tail, no_wrap=True, overflow="crop")
            line.truncate(width)
            yield line
