"""The reader's side panel: codings at the caret (the chosen one marked) and that code's definition and criteria."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from qualcode.domain import Coding
from qualcode.tui.fit import FitLine
from qualcode.tui.workbench import Workbench


class CodingPanel(VerticalScroll, can_focus=False):
    """Shows what is coded under the caret, so the coder checks definitions while coding.

    Not focusable: tab from the transcript goes straight to the panel below it (suggestions), where keys act.
    """

    def compose(self):
        yield Static("", id="codings-at-cursor")
        yield Static("", id="code-definition")
        yield Static("", id="document-memo")

    def show_document_memo(self, memo: str) -> None:
        widget = self.query_one("#document-memo", Static)
        widget.display = bool(memo)
        _update_if_changed(widget, f"[b]document memo[/b] {escape(memo)}" if memo else "")

    def show(self, bench: Workbench, codings: list[Coding], chosen: int, selection: tuple[int, int] | None, names: dict[int, str]) -> None:
        lines: list = []
        if selection:
            lines.append(Text.from_markup(f"[b]selection[/b] {selection[1] - selection[0]} chars"))
        if not codings:
            lines.append(Text("no codings here", style="dim"))
        key = [selection and selection[1] - selection[0]]
        for i, coding in enumerate(codings):
            code = bench.code(coding.code_id)
            colour = bench.colour(code) if code else "white"
            path = code.path if code else f"code {coding.code_id}"
            marker = "›" if i == chosen else " "
            flags = " [b]★[/b]" if coding.candidate_quote else ""
            memo = " ✎" if coding.memo else ""
            who = escape(names.get(coding.coder_id, "?"))
            lines.append(FitLine(path, f"{marker}[{colour}]▌[/] ", f"{flags}{memo} [dim]{who}[/dim]"))
            key.append((marker, colour, path, flags, memo, who))
        self.set_class(not codings, "-empty")
        _update_if_changed(self.query_one("#codings-at-cursor", Static), Group(*lines), repr(key))
        detail = ""
        if codings:
            current = codings[min(chosen, len(codings) - 1)]
            code = bench.code(current.code_id)
            if code is not None:
                detail = definition_markup(code)
            if current.memo:
                detail += f"\n[b]memo[/b] {escape(current.memo)}"
        definition = self.query_one("#code-definition", Static)
        definition.display = bool(detail)
        _update_if_changed(definition, detail)


def _update_if_changed(widget: Static, content, key: str | None = None) -> None:
    # Static.update re-lays out the screen; most caret moves leave the panel's text as it was.
    key = content if key is None else key
    if getattr(widget, "_shown_text", None) != key:
        widget._shown_text = key
        widget.update(content)


def definition_markup(code) -> str:
    """A code's name, definition and inclusion/exclusion criteria as Rich markup."""
    parts = [f"[b]{escape(code.name)}[/b]"]
    if code.description:
        parts.append(escape(code.description))
    if code.inclusion:
        parts.append(f"[green]include[/] {escape(code.inclusion)}")
    if code.exclusion:
        parts.append(f"[red]exclude[/] {escape(code.exclusion)}")
    return "\n".join(parts)
