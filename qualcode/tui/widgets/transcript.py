"""A Line API transcript view: renders only visible lines, wraps once per width, draws code highlights and gutter marks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.domain import Coding
from qualcode.tui import textnav
from qualcode.tui.layout import Layout, wrap
from qualcode.tui.workbench import OpenDocument

MARKS = 2  # gutter cells for coding marks
LABEL = 7  # gutter cells for the participant label


class TranscriptView(ScrollView, can_focus=True):
    """The document with a caret, a selection and coded spans; posts CursorMoved when either changes."""

    BINDINGS = [
        Binding("left", "move('char', -1)", "Left", show=False, id="cursor-left"),
        Binding("right", "move('char', 1)", "Right", show=False, id="cursor-right"),
        Binding("up", "move('line', -1)", "Up", show=False, id="cursor-up"),
        Binding("down", "move('line', 1)", "Down", show=False, id="cursor-down"),
        Binding("w,ctrl+right", "move('word', 1)", "Next word", show=False, id="word-next"),
        Binding("b,ctrl+left", "move('word', -1)", "Previous word", show=False, id="word-prev"),
        Binding("right_parenthesis", "move('sentence', 1)", "Next sentence", show=False, id="sentence-next"),
        Binding("left_parenthesis", "move('sentence', -1)", "Previous sentence", show=False, id="sentence-prev"),
        Binding("right_curly_bracket,ctrl+down", "move('turn', 1)", "Next turn", show=False, id="turn-next"),
        Binding("left_curly_bracket,ctrl+up", "move('turn', -1)", "Previous turn", show=False, id="turn-prev"),
        Binding("pagedown", "move('page', 1)", "Page down", show=False, id="page-down"),
        Binding("pageup", "move('page', -1)", "Page up", show=False, id="page-up"),
        Binding("home", "move('home', -1)", "Line start", show=False, id="line-start"),
        Binding("end", "move('end', 1)", "Line end", show=False, id="line-end"),
        Binding("ctrl+home", "move('doc', -1)", "Top", show=False, id="doc-top"),
        Binding("ctrl+end", "move('doc', 1)", "Bottom", show=False, id="doc-bottom"),
        Binding("shift+left", "extend('char', -1)", "Extend left", show=False, id="extend-left"),
        Binding("shift+right", "extend('char', 1)", "Extend right", show=False, id="extend-right"),
        Binding("shift+up", "extend('line', -1)", "Extend up", show=False, id="extend-up"),
        Binding("shift+down", "extend('line', 1)", "Extend down", show=False, id="extend-down"),
        Binding("ctrl+shift+right,W", "extend('word', 1)", "Extend by word", show=False, id="extend-word"),
        Binding("ctrl+shift+left,B", "extend('word', -1)", "Shrink by word", show=False, id="extend-word-back"),
        Binding("m", "toggle_mark", "Mark", id="mark"),
        Binding("S", "select('sentence')", "Sentence", id="select-sentence"),
        Binding("T", "select('turn')", "Turn", id="select-turn"),
        Binding("escape", "clear_selection", "Clear", show=False, id="clear-selection"),
    ]

    @dataclass
    class CursorMoved(Message):
        """The caret or the selection changed."""

        view: TranscriptView
        cursor: int
        selection: tuple[int, int] | None

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.doc: OpenDocument | None = None
        self.text = ""
        self.turns = textnav.Turns([], 0)
        self.cursor = 0
        self.anchor: int | None = None
        self.marking = False
        self._layout: Layout | None = None
        self._codings: list[Coding] = []
        self._by_line: dict[int, list[Coding]] = {}
        self._styles: dict[int, tuple[Style, Style]] = {}
        self._cache: dict[int, Strip] = {}
        self._labels: dict[int, str] = {}
        self._goal_column: int | None = None

    # data ------------------------------------------------------------------------

    def load(self, doc: OpenDocument, codings: list[Coding], colours: dict[int, str], cursor: int = 0) -> None:
        self.doc = doc
        self.text = doc.document.text
        self.turns = textnav.Turns(doc.segments, len(self.text))
        self._layout = None
        self.cursor = max(0, min(cursor, max(0, len(self.text) - 1)))
        self.anchor, self.marking = None, False
        self.set_codings(codings, colours)
        self._ensure_layout()
        self.scroll_to_cursor(center=True)
        self._announce()

    def set_codings(self, codings: list[Coding], colours: dict[int, str]) -> None:
        self._codings = sorted(codings, key=lambda c: (c.start, -c.end, c.id))
        background = self.app.current_theme.background if self.is_attached else "#1e1e1e"
        base = Color.parse(background or "#1e1e1e")
        self._styles = {
            code_id: (Style(bgcolor=base.blend(Color.parse(colour), 0.35).rich_color), Style(color=Color.parse(colour).rich_color))
            for code_id, colour in colours.items()
        }
        self._index_lines()
        self.refresh_all()

    @property
    def codings(self) -> list[Coding]:
        """The codings shown in this document, in start order."""
        return self._codings

    def codings_at(self, offset: int | None = None) -> list[Coding]:
        at = self.cursor if offset is None else offset
        if self._layout is None:
            return [c for c in self._codings if c.start <= at < c.end]
        return [c for c in self._by_line.get(self._layout.line_of(at), []) if c.start <= at < c.end]

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return (min(self.anchor, self.cursor), max(self.anchor, self.cursor))

    def set_selection(self, start: int, end: int) -> None:
        self.anchor, self.cursor = start, min(end, len(self.text))
        self._changed(refresh_all=True)

    def go_to(self, offset: int, end: int | None = None) -> None:
        self.cursor = max(0, min(offset, max(0, len(self.text) - 1)))
        self.anchor = None
        if end is not None and end > offset:
            self.anchor, self.cursor = self.cursor, min(end, len(self.text))
        self.marking = False
        self.scroll_to_cursor(center=True)
        self._changed(refresh_all=True)

    # layout ----------------------------------------------------------------------

    @property
    def text_left(self) -> int:
        return MARKS + LABEL + 1

    def _ensure_layout(self) -> Layout:
        width = max(10, self.scrollable_content_region.width - self.text_left - 1)
        if self._layout is None or self._layout.width != width:
            self._layout = wrap(self.text, width)
            self._labels = self._turn_labels(self._layout)
            self._index_lines()
            self._cache.clear()
            self.virtual_size = Size(width + self.text_left, len(self._layout))
        return self._layout

    def _turn_labels(self, layout: Layout) -> dict[int, str]:
        labels: dict[int, str] = {}
        names = self.doc.labels if self.doc else {}
        for seg in self.turns.segments:
            label = names.get(seg.participant_id) if seg.participant_id else None
            label = label or seg.speaker
            if label:
                labels.setdefault(layout.line_of(seg.start), label)
        return labels

    def _index_lines(self) -> None:
        self._by_line = {}
        if self._layout is None:
            return
        for coding in self._codings:
            first = self._layout.line_of(coding.start)
            last = self._layout.line_of(max(coding.start, coding.end - 1))
            for line in range(first, last + 1):
                self._by_line.setdefault(line, []).append(coding)
        self._cache.clear()

    def on_resize(self, _event: events.Resize) -> None:
        if self.doc is not None:
            self._ensure_layout()
            self.scroll_to_cursor()
            self.refresh_all()

    # rendering -------------------------------------------------------------------

    def refresh_all(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.scrollable_content_region.width
        layout = self._layout
        if layout is None or line >= len(layout):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(line)
        if strip is None:
            strip = self._render_text_line(line, layout)
            self._cache[line] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _render_text_line(self, line: int, layout: Layout) -> Strip:
        base = self.rich_style
        start, end = layout.starts[line], layout.ends[line]
        here = self._by_line.get(line, [])
        segments: list[RichSegment] = []
        marks = []
        for coding in here:
            style = self._styles.get(coding.code_id)
            if style and style[1] not in marks:
                marks.append(style[1])
        for i in range(MARKS):
            if i < len(marks):
                glyph = "+" if i == MARKS - 1 and len(marks) > MARKS else "▌"
                segments.append(RichSegment(glyph, base + marks[i]))
            else:
                segments.append(RichSegment(" ", base))
        label = self._labels.get(line, "")
        segments.append(RichSegment(label[: LABEL - 1].ljust(LABEL) + " ", base + Style(bold=True, dim=True)))
        cuts = {start, end}
        for coding in here:
            cuts.add(max(start, coding.start))
            cuts.add(min(end, coding.end))
        selection = self.selection
        if selection:
            cuts.update(min(max(start, s), end) for s in selection)
        if start <= self.cursor < end:
            cuts.update((self.cursor, min(self.cursor + 1, end)))
        points = sorted(cuts)
        selected_style = Style(reverse=True)
        cursor_style = Style(reverse=True, bold=True, underline=True)
        for a, b in zip(points, points[1:]):
            if b <= a:
                continue
            style = base
            covering = [c for c in here if c.start <= a < c.end]
            if covering:
                pair = self._styles.get(covering[-1].code_id)
                if pair:
                    style = style + pair[0]
            if selection and selection[0] <= a < selection[1]:
                style = style + selected_style
            if a == self.cursor and self.has_focus:
                style = style + cursor_style
            segments.append(RichSegment(self.text[a:b].replace("\t", " "), style))
        if self.has_focus and self.cursor == end and layout.line_of(self.cursor) == line:
            # the caret sits after the line's last character (an empty line, a paragraph end, the document end)
            segments.append(RichSegment(" ", base + cursor_style))
        return Strip(segments)

    # motions ---------------------------------------------------------------------

    def _target(self, unit: str, step: int) -> int:
        text, at = self.text, self.cursor
        layout = self._ensure_layout()
        if unit == "char":
            return max(0, min(len(text), at + step))
        if unit == "word":
            return textnav.next_word(text, at) if step > 0 else textnav.prev_word(text, at)
        if unit == "sentence":
            bounds = self.turns.bounds(at)
            return textnav.next_sentence(text, at, bounds) if step > 0 else textnav.prev_sentence(text, at)
        if unit == "turn":
            return self.turns.next_start(at) if step > 0 else self.turns.prev_start(at)
        if unit == "doc":
            return 0 if step < 0 else max(0, len(text) - 1)
        line = layout.line_of(at)
        if unit == "home":
            return layout.starts[line]
        if unit == "end":
            return max(layout.starts[line], layout.ends[line] - 1)
        rows = step if unit == "line" else step * max(1, self.scrollable_content_region.height - 1)
        column = self._goal_column if self._goal_column is not None else at - layout.starts[line]
        target = max(0, min(len(layout) - 1, line + rows))
        self._goal_column = column
        return min(layout.starts[target] + column, max(layout.starts[target], layout.ends[target]))

    def action_move(self, unit: str, step: int) -> None:
        if not self.marking:
            self.anchor = None
        self._move_to(self._target(unit, step), keep_goal=unit in ("line", "page"))

    def action_extend(self, unit: str, step: int) -> None:
        if self.anchor is None:
            self.anchor = self.cursor
        self._move_to(self._target(unit, step), keep_goal=unit in ("line", "page"))

    def _move_to(self, offset: int, keep_goal: bool = False) -> None:
        if not keep_goal:
            self._goal_column = None
        had_selection = self.anchor is not None
        old_line = self._layout.line_of(self.cursor) if self._layout else 0
        self.cursor = offset
        self.scroll_to_cursor()
        if had_selection or self.anchor is not None:
            self._changed(refresh_all=True)
        else:
            new_line = self._layout.line_of(self.cursor)
            for line in {old_line, new_line}:
                self._cache.pop(line, None)
                self.refresh_line(line)
            self._announce()

    def action_toggle_mark(self) -> None:
        self.marking = not self.marking
        self.anchor = self.cursor if self.marking else None
        self._changed(refresh_all=True)

    def action_select(self, unit: str) -> None:
        if unit == "turn":
            start, end = self.turns.bounds(self.cursor)
        else:
            start, end = textnav.sentence_at(self.text, self.cursor, self.turns.bounds(self.cursor))
        self.marking = False
        self.set_selection(start, end)
        self.scroll_to_cursor()

    def action_clear_selection(self) -> None:
        self.anchor, self.marking = None, False
        self._changed(refresh_all=True)

    def scroll_to_cursor(self, center: bool = False) -> None:
        layout = self._ensure_layout()
        line = layout.line_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        if center:
            self.scroll_to(y=max(0, line - height // 2), animate=False, immediate=True)
        elif line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def _changed(self, refresh_all: bool = False) -> None:
        if refresh_all:
            self.refresh_all()
        self._announce()

    def _announce(self) -> None:
        self.post_message(self.CursorMoved(self, self.cursor, self.selection))

    # mouse -----------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self._layout is None or not len(self._layout):
            return None
        line = min(len(self._layout) - 1, int(self.scroll_offset.y) + event.y)
        column = max(0, event.x - self.text_left + int(self.scroll_offset.x))
        start, end = self._layout.starts[line], self._layout.ends[line]
        return min(start + column, max(start, end - 1) if end > start else start)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None:
            return
        self.focus()
        self.capture_mouse()
        self.anchor, self.marking, self.cursor = offset, False, offset
        self._changed(refresh_all=True)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if event.button and self.anchor is not None:
            offset = self._offset_at(event)
            if offset is not None and offset != self.cursor:
                self.cursor = offset
                self._changed(refresh_all=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()
        if self.anchor == self.cursor:
            self.anchor = None
            self._announce()

    def on_focus(self, _event: events.Focus) -> None:
        self.refresh_all()

    def on_blur(self, _event: events.Blur) -> None:
        self.refresh_all()
