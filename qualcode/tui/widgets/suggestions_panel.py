"""The reader's suggestions panel: codes suggested for the segment or selection at the caret, accepted or dismissed by key."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.console import Group
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from qualcode.errors import QualcodeError
from qualcode.nlp.suggest.corpus import excerpt_in
from qualcode.tui.fit import FitLine

TOP_K = 5


class Lines(Group):
    """Renderables drawn at the width the panel has when it paints; repr() is their plain text (for tests, logs)."""

    def __repr__(self) -> str:
        return "\n".join(str(r.renderable if isinstance(r, Padding) else r) for r in self.renderables)


@dataclass(frozen=True, slots=True)
class Span:
    document_id: int
    start: int
    end: int


class SuggestionsPanel(Vertical, can_focus=True):
    """Suggests codes in a worker thread as the caret moves; focus it (tab) to choose, accept or dismiss.

    The model is trained when the panel is first needed and retrained in the background as coding proceeds.
    In blind coding it learns from this coder's codings only, so it never shows what others coded.
    With ``app.frozen_clock`` (deterministic rendering, as in snapshot tests) it suggests only once focused.
    """

    DEFAULT_CSS = """
    SuggestionsPanel { height: 1fr; min-height: 6; overflow-y: auto; border-top: hkey $panel; }
    SuggestionsPanel:focus { background: $boost; }
    SuggestionsPanel .suggestions-title { text-style: bold; }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Next suggestion", id="suggestion-next"),
        Binding("up,k", "move(-1)", "Previous suggestion", id="suggestion-previous"),
        Binding("enter,y", "accept", "Accept suggestion", id="suggestion-accept"),
        Binding("d", "dismiss", "Dismiss suggestion", id="suggestion-dismiss"),
        Binding("r", "suggest_again", "Suggest again", id="suggestion-refresh"),
    ]

    @dataclass
    class Answered(Message):
        """A suggestion was accepted (a coding now exists) or dismissed."""

        action: str
        code_id: int
        span: Span

    def __init__(self, bench, **kwargs):
        super().__init__(**kwargs)
        self.bench = bench
        self.suggester = None
        self.span: Span | None = None
        self.suggestions: list = []
        self.chosen = 0
        self.notice = ""
        self._texts: dict[int, tuple[str, list]] = {}
        self._loading = threading.Lock()
        self.problem: str | None = None  # why suggestions cannot be made (no codes yet); 'r' tries again

    def compose(self):
        yield Static("Suggestions", classes="suggestions-title")
        yield Static(Text("tab: suggestions for this turn", style="dim"), id="suggestions-list")

    def on_mount(self) -> None:
        if getattr(self.app, "frozen_clock", False):
            self.add_class("-idle")

    @property
    def automatic(self) -> bool:
        return not getattr(self.app, "frozen_clock", False)

    # The reader calls this whenever the caret or selection moves.
    def reader_context(self, ctx) -> None:
        if ctx.document_id is None:
            return
        span = self._span_for(ctx.document_id, ctx.cursor, ctx.selection)
        if span is None or span == self.span:
            return
        self.span = span
        if (self.automatic or self.has_focus) and self.problem is None:
            self._start(span)

    def _start(self, span: Span) -> None:
        if not self.suggestions:
            # Said at once, so the panel is never a bare title while the first model trains.
            self.query_one("#suggestions-list", Static).update(Text("suggesting for this turn…", style="dim"))
        self._suggest(span)

    def on_focus(self) -> None:
        self.remove_class("-idle")
        if self.span is not None and not self.suggestions:
            self._start(self.span)
        elif self.suggestions:
            self._render_list()  # the chosen suggestion gets its marker

    def _span_for(self, document_id: int, cursor: int, selection) -> Span | None:
        text, segments = self._document(document_id)
        if selection and selection[1] > selection[0]:
            return Span(document_id, *selection)
        for segment in segments:
            if segment.start <= cursor < segment.end or (cursor == segment.end and segment is segments[-1]):
                return Span(document_id, segment.start, segment.end)
        # Between turns (a header, the blank line after a turn): the next turn, else the last one.
        after = [s for s in segments if s.start > cursor]
        chosen = after[0] if after else (segments[-1] if segments else None)
        return Span(document_id, chosen.start, chosen.end) if chosen is not None else None

    def _document(self, document_id: int):
        if document_id not in self._texts:
            from qualcode.store import documents

            with self.bench.db.reading() as session:
                doc = documents.get(session, document_id)
                self._texts = {document_id: (doc.text, documents.segments(session, document_id))}
        return self._texts[document_id]

    @work(thread=True, exclusive=True, group="suggestions")
    def _suggest(self, span: Span) -> None:
        try:
            # One model at a time: moving the caret while the first one trains queues here instead of training
            # another copy in parallel (each caret move starts a worker).
            with self._loading:
                suggester = self._ensure_suggester()
            if span != self.span:
                return  # the caret moved on while the model loaded; the newer worker answers
            suggester.refresh()  # retrains in its own thread if codings changed; this model keeps serving
            text, segments = self._document(span.document_id)
            ranked = suggester.suggest(excerpt_in(span.document_id, text, segments, span.start, span.end), TOP_K)
            notice = suggester.notice
        except QualcodeError as exc:
            self.app.call_from_thread(self._show_problem, str(exc))
            return
        self.app.call_from_thread(self._show, span, ranked, notice)

    def _show_problem(self, message: str) -> None:
        # Shown in the panel, not as a toast: the caret moves often and the cause does not change with it.
        self.problem = message
        self.suggestions = []
        self.remove_class("-idle")
        self.query_one("#suggestions-list", Static).update(f"[dim]{escape(message)}[/dim]")

    def _ensure_suggester(self):
        from qualcode.nlp.suggest.service import ProjectSuggester

        coder = self.bench.coder if self.bench.blind else None
        if self.suggester is None or self.suggester.coder != coder:
            self.suggester = ProjectSuggester(self.bench.db, coder=coder).load()
        return self.suggester

    def _show(self, span: Span, ranked: list, notice: str) -> None:
        if span != self.span:
            return  # the caret moved on while this was computed
        self.suggestions, self.notice, self.problem = list(ranked), notice, None
        self.chosen = min(self.chosen, max(0, len(self.suggestions) - 1))
        self.remove_class("-idle")
        self._render_list()

    def _render_list(self) -> None:
        lines: list = []
        if self.notice:
            lines.append(Text.from_markup("[yellow]weaker: no spaCy model[/] [dim]" + escape(self.notice.splitlines()[0]) + "[/]"))
        if not self.suggestions:
            lines.append(Text("no suggestion here", style="dim"))
        for i, s in enumerate(self.suggestions):
            marker = "›" if i == self.chosen and self.has_focus else " "
            # The path fits its line (cut in the middle, never broken mid-word); the explanation wraps at words.
            lines.append(FitLine(s.code_path, f"{marker} ", f" [b]{s.confidence:.2f}[/b]"))
            lines.append(Padding(Text(s.explanation(), style="dim"), (0, 0, 0, 2)))
        self.query_one("#suggestions-list", Static).update(Lines(*lines))

    def on_blur(self) -> None:
        self._render_list()

    # Keys (while the panel has focus)

    def action_move(self, step: int) -> None:
        if self.suggestions:
            self.chosen = (self.chosen + step) % len(self.suggestions)
            self._render_list()

    def action_suggest_again(self) -> None:
        self.problem = None
        if self.span is not None:
            self._start(self.span)

    def action_accept(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        span = self.span
        try:
            self.suggester.accept(self.bench.coder, span.document_id, span.start, span.end, chosen.code_id,
                                  chosen.confidence, service=self.bench.service)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self._answered("accepted", chosen)
        reload = getattr(self.screen, "reload_codings", None)
        if reload is not None:
            reload()

    def action_dismiss(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        span = self.span
        try:
            self.suggester.dismiss(self.bench.coder, span.document_id, span.start, span.end, chosen.code_id, chosen.confidence)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self._answered("dismissed", chosen)

    def _chosen(self):
        if not self.suggestions or self.suggester is None or self.span is None:
            self.notify("no suggestion to answer here", severity="warning")
            return None
        return self.suggestions[self.chosen]

    def _answered(self, action: str, chosen) -> None:
        self.suggestions = [s for s in self.suggestions if s.code_id != chosen.code_id]
        self.chosen = min(self.chosen, max(0, len(self.suggestions) - 1))
        self._render_list()
        self.post_message(self.Answered(action, chosen.code_id, self.span))
