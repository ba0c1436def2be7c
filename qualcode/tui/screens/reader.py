"""The document reader: transcript with coded spans, codings at the caret, and every coding action by keyboard."""

from __future__ import annotations

import gc

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from qualcode.domain import Coding
from qualcode.errors import QualcodeError
from qualcode.tui import registry
from qualcode.tui.screens.dialogs import FuzzyPicker, PickItem, TextPrompt
from qualcode.tui.screens.pickers import code_items, document_items
from qualcode.tui.textnav import next_word, prev_word, sentence_at, word_end
from qualcode.tui.widgets.bars import StatusLine, TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter
from qualcode.tui.widgets.coding_panel import CodingPanel
from qualcode.tui.widgets.transcript import TranscriptView


class ReaderScreen(Screen):
    """One document at a time; coding actions go through the CodingService, which commits each one."""

    BINDINGS = [
        Binding("c", "apply_code", "Code", id="apply-code"),
        *[Binding(str(n), f"apply_pinned({n})", f"Pinned {n}", show=False, id=f"pinned-{n}") for n in range(1, 10)],
        Binding("x", "remove_coding", "Remove", id="remove-coding"),
        Binding("a", "adjust_coding", "Adjust", id="adjust-coding"),
        Binding("greater_than_sign", "nudge('end', 1)", "Coding end +word", show=False, id="nudge-end-later"),
        Binding("less_than_sign", "nudge('end', -1)", "Coding end -word", show=False, id="nudge-end-earlier"),
        Binding("comma", "nudge('start', -1)", "Coding start -word", show=False, id="nudge-start-earlier"),
        Binding("full_stop", "nudge('start', 1)", "Coding start +word", show=False, id="nudge-start-later"),
        Binding("n", "memo_coding", "Memo", id="memo-coding"),
        Binding("N", "memo_document", "Doc memo", show=False, id="memo-document"),
        Binding("q", "toggle_quote", "Quote", id="toggle-quote"),
        Binding("right_square_bracket", "choose_coding(1)", "Next coding here", show=False, id="coding-next"),
        Binding("left_square_bracket", "choose_coding(-1)", "Previous coding here", show=False, id="coding-prev"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo"),
        Binding("U,ctrl+y", "redo", "Redo", id="redo"),
        Binding("o", "pick_document", "Open doc", id="open-document"),
        Binding("i", "toggle_side", "Panel", show=False, id="toggle-side"),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.document_id: int | None = None
        self.chosen = 0
        self._here: list[Coding] = []
        self._names: dict[int, str] = {}

    @property
    def bench(self):
        return self.app.workbench

    def compose(self) -> ComposeResult:
        yield TopBar("Reader")
        with Horizontal(id="reader-body"):
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                yield CodingPanel(id="coding-panel")
                for panel in registry.panels():
                    yield panel.factory(self.bench)
        yield StatusLine(id="cursor-bar")
        yield WorkbenchFooter()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.bench.codes(refresh=True)  # another coder or process may have changed the codebook
        pending = self.app.take_pending_open()
        if pending is not None:
            self.open(*pending)
        elif self.document_id is None:
            docs = document_items(self.bench)
            if docs:
                self.open(int(docs[0].value))
            else:
                self.query_one("#cursor-bar", StatusLine).text = "no documents yet: import some with 'qualcode docs import FILES'"
        else:
            self.reload_codings()
        self.view.focus()

    # loading ---------------------------------------------------------------------

    def open(self, document_id: int, start: int = 0, end: int | None = None) -> None:
        try:
            doc = self.bench.open_document(document_id)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.document_id = document_id
        self._names = self.bench.coder_names()
        self.view.load(doc, self.bench.document_codings(document_id), self._colours(), cursor=start)
        self.query_one(CodingPanel).show_document_memo(self.bench.document_memo(document_id))
        if end is not None:
            self.view.go_to(start, end)
        self.query_one(TopBar).query_one(".topbar-title", Static).update(f"Reader · {escape(doc.document.title)}")
        # Everything alive now (widgets, the document, its layout) lives for the session: moving it out of the
        # collector's view keeps full collections from adding ~80 ms pauses to keystrokes.
        gc.freeze()

    def _colours(self) -> dict[int, str]:
        return {c.id: self.bench.colour(c) for c in self.bench.codes()}

    def reload_codings(self) -> None:
        if self.document_id is None:
            return
        self._names = self.bench.coder_names()
        self.view.set_codings(self.bench.document_codings(self.document_id), self._colours())
        self._update_panel()

    # caret and panel ---------------------------------------------------------------

    @on(TranscriptView.CursorMoved)
    def cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        here = self.view.codings_at()
        if [c.id for c in here] != [c.id for c in self._here]:
            self.chosen = 0
        self._here = here
        self._update_panel()
        context = registry.ReaderContext(self.document_id, event.cursor, event.selection, tuple(here))
        for widget in self.query(".reader-panel"):
            update = getattr(widget, "reader_context", None)
            if update is not None:
                update(context)

    def _update_panel(self) -> None:
        view = self.view
        self._here = view.codings_at()
        self.chosen = min(self.chosen, max(0, len(self._here) - 1))
        self.query_one(CodingPanel).show(self.bench, self._here, self.chosen, view.selection, self._names)
        self.query_one("#cursor-bar", StatusLine).text = self._status_line()

    def _status_line(self) -> str:
        view = self.view
        if view.doc is None:
            return "no document: press o to open one"
        turn = view.turns.at(view.cursor)
        who = ""
        if turn is not None:
            who = (view.doc.labels.get(turn.participant_id) if turn.participant_id else None) or turn.speaker or ""
        parts = [f"{view.cursor}/{len(view.text)}"]
        if who:
            parts.append(escape(who))
        if view.marking:
            parts.append("[b]MARK[/b]")
        if view.selection:
            parts.append(f"sel {view.selection[1] - view.selection[0]}")
        if self._here:
            paths = [escape(self.bench.code(c.code_id).path) for c in self._here if self.bench.code(c.code_id)]
            parts.append(f"{len(self._here)} coded: " + ", ".join(paths))
        return " · ".join(parts)

    @property
    def current(self) -> Coding | None:
        return self._here[self.chosen] if self._here else None

    # coding actions ------------------------------------------------------------------

    def _span(self) -> tuple[int, int]:
        view = self.view
        if view.selection:
            start, end = view.selection
        else:
            start, end = sentence_at(view.text, view.cursor, view.turns.bounds(view.cursor))
        while start < end and view.text[start].isspace():
            start += 1
        while end > start and view.text[end - 1].isspace():
            end -= 1
        return start, end

    def _run(self, label: str, call) -> object | None:
        """Run one coding call; a QualcodeError or a failing database becomes a notification, never a traceback."""
        from qualcode.tui.failures import ENVIRONMENT_ERRORS

        try:
            result = call()
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return None
        except ENVIRONMENT_ERRORS as exc:
            self.app.report_failure(exc)
            return None
        self.reload_codings()
        if label:
            self.notify(label, timeout=2)
        return result

    def action_apply_code(self) -> None:
        if self.document_id is None:
            return
        self.app.push_screen(FuzzyPicker("Apply code", code_items(self.bench), "code name, path or keyword"), self.apply)

    def apply(self, code_id: int | None) -> None:
        if code_id is None or self.document_id is None:
            return
        start, end = self._span()
        coding = self._run("", lambda: self.bench.service.apply(self.document_id, start, end, int(code_id)))
        if coding is not None:
            # No toast: the status line now lists the new code under the caret, and toasts cost a repaint each.
            self.view.go_to(start)  # the new coding is under the caret, ready for n, q, x or a

    def action_apply_pinned(self, number: int) -> None:
        pinned = self.bench.pinned_codes(self.app.prefs.pinned)
        if number > len(pinned):
            self.notify(f"no code pinned to {number}; pin codes in the codebook (p)", severity="warning")
            return
        self.apply(pinned[number - 1].id)

    def _need_current(self) -> Coding | None:
        """The chosen coding under the caret, else (while selecting) one of mine the selection overlaps."""
        if self.current is not None:
            return self.current
        selection = self.view.selection
        if selection:
            mine = self.bench.coder_id
            overlapping = [c for c in self.view.codings if c.start < selection[1] and c.end > selection[0]]
            overlapping.sort(key=lambda c: (c.coder_id != mine, c.start))
            if overlapping:
                return overlapping[0]
        self.notify("no coding under the caret", severity="warning")
        return None

    def action_remove_coding(self) -> None:
        if coding := self._need_current():
            self._run("coding removed (u to undo)", lambda: self.bench.service.remove(coding.id))

    def action_adjust_coding(self) -> None:
        coding = self._need_current()
        if coding is None:
            return
        if not self.view.selection:
            self.notify("select the new extent first, then press a", severity="warning")
            return
        start, end = self._span()
        if self._run(f"coding now {start}-{end}", lambda: self.bench.service.adjust(coding.id, start, end)):
            self.view.go_to(start)

    def action_nudge(self, edge: str, step: int) -> None:
        """Move one boundary of the chosen coding by a word, keeping it non-empty."""
        coding = self._need_current()
        if coding is None:
            return
        text = self.view.text
        start, end = coding.start, coding.end
        if edge == "end":
            end = word_end(text, next_word(text, end - 1)) if step > 0 else _end_before(text, end)
            end = max(start + 1, min(end, len(text)))
        else:
            start = prev_word(text, start) if step < 0 else next_word(text, start)
            start = min(max(0, start), end - 1)
        if (start, end) != (coding.start, coding.end):
            self._run("", lambda: self.bench.service.adjust(coding.id, start, end))
            self.view.go_to(min(max(self.view.cursor, start), end - 1))

    def action_memo_coding(self) -> None:
        if coding := self._need_current():
            def save(text: str | None) -> None:
                if text is not None:
                    self._run("memo saved", lambda: self.bench.service.set_memo(coding.id, text))

            self.app.push_screen(TextPrompt("Memo on this coding", coding.memo or ""), save)

    def action_memo_document(self) -> None:
        if self.document_id is None:
            return
        doc_id = self.document_id

        def save(text: str | None) -> None:
            if text is not None:
                self._run("document memo saved", lambda: self.bench.set_document_memo(doc_id, text))
                self.query_one(CodingPanel).show_document_memo(text)

        self.app.push_screen(TextPrompt("Memo on this document", self.bench.document_memo(doc_id)), save)

    def action_toggle_quote(self) -> None:
        if coding := self._need_current():
            flag = not coding.candidate_quote
            self._run("marked as candidate quote" if flag else "no longer a candidate quote",
                      lambda: self.bench.service.mark_candidate(coding.id, flag))

    def action_choose_coding(self, step: int) -> None:
        if self._here:
            self.chosen = (self.chosen + step) % len(self._here)
            self._update_panel()

    def action_undo(self) -> None:
        self._history("undo", "Undid", self.bench.service.undo)

    def action_redo(self) -> None:
        self._history("redo", "Redid", self.bench.service.redo)

    def _history(self, verb: str, done: str, call) -> None:
        try:
            step = call()
            message = self.bench.describe_step(done, step) if step else f"nothing to {verb}"
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload_codings()
        self.notify(message, timeout=3)

    def action_pick_document(self) -> None:
        def chosen(value) -> None:
            if value is not None:
                self.open(int(value))

        self.app.push_screen(FuzzyPicker("Open document", document_items(self.bench)), chosen)

    def action_toggle_side(self) -> None:
        self.query_one("#side").toggle_class("-shown")


def _end_before(text: str, end: int) -> int:
    """The end of the word before the one that ends at `end` (shrinking a coding by a word)."""
    start_of_last = prev_word(text, end)
    probe = start_of_last
    while probe > 0 and not (text[probe - 1].isalnum() or text[probe - 1] in ".,;:!?'\""):
        probe -= 1
    return probe
