"""The reader's side panel: codings at the caret (the chosen one marked) and that code's definition and criteria."""

from __future__ import annotations

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

from qualcode.domain import Coding
from qualcode.tui.workbench import Workbench


class CodingPanel(VerticalScroll):
    """Shows what is coded under the caret, so the coder checks definitions while coding."""

    def compose(self):
        yield Static("", id="codings-at-cursor")
        yield Static("", id="code-definition")
        yield Static("", id="document-memo")

    def show_document_memo(self, memo: str) -> None:
        widget = self.query_one("#document-memo", Static)
        widget.display = bool(memo)
        _update_if_changed(widget, f"[b]document memo[/b] {escape(memo)}" if memo else "")

    def show(self, bench: Workbench, codings: list[Coding], chosen: int, selection: tuple[int, int] | None, names: dict[int, str]) -> None:
        lines = []
        if selection:
            lines.append(f"[b]selection[/b] {selection[1] - selection[0]} chars")
        if not codings:
            lines.append("[dim]no codings here[/dim]")
        for i, coding in enumerate(codings):
            code = bench.code(coding.code_id)
            colour = bench.colour(code) if code else "white"
            path = escape(code.path if code else f"code {coding.code_id}")
            marker = "›" if i == chosen else " "
            flags = " [b]★[/b]" if coding.candidate_quote else ""
            memo = " ✎" if coding.memo else ""
            who = escape(names.get(coding.coder_id, "?"))
            lines.append(f"{marker}[{colour}]▌[/] {path}{flags}{memo} [dim]{who}[/dim]")
        _update_if_changed(self.query_one("#codings-at-cursor", Static), "\n".join(lines))
        detail = ""
        if codings:
            current = codings[min(chosen, len(codings) - 1)]
            code = bench.code(current.code_id)
            if code is not None:
                detail = definition_markup(code)
            if current.memo:
                detail += f"\n[b]memo[/b] {escape(current.memo)}"
        _update_if_changed(self.query_one("#code-definition", Static), detail)


def _update_if_changed(widget: Static, content: str) -> None:
    # Static.update re-lays out the screen; most caret moves leave the panel's text as it was.
    if getattr(widget, "_shown_text", None) != content:
        widget._shown_text = content
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
