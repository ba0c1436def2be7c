"""Retrieve: every excerpt for one or several codes (AND/OR) with context, filtered by kind, participant attribute, coder."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from rich.text import Text
from textual.widgets import Input, Select, Static

from qualcode.domain import DocumentKind
from qualcode.errors import QualcodeError
from qualcode.tui.retrieval import Excerpt, RetrieveQuery, retrieve
from qualcode.tui.screens.dialogs import FuzzyPicker
from qualcode.tui.screens.pickers import code_items
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter
from qualcode.tui.widgets.excerpt_list import ExcerptList


class RetrieveScreen(Screen):
    """Codes are added with the fuzzy palette (c), cleared with delete; enter on an excerpt jumps into the document."""

    BINDINGS = [
        Binding("c", "add_code", "Add code", id="retrieve-add-code"),
        Binding("delete", "clear_codes", "Clear codes", id="retrieve-clear"),
        Binding("ctrl+a", "toggle_mode", "AND/OR", id="retrieve-mode"),
        Binding("escape", "focus_results", "Results", show=False, id="retrieve-results"),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.code_ids: list[int] = []
        self.mode = "or"
        self.excerpts: list[Excerpt] = []

    @property
    def bench(self):
        return self.app.workbench

    def compose(self) -> ComposeResult:
        yield TopBar("Retrieve")
        with Horizontal(classes="filters"):
            yield Select([(k.value, k.value) for k in DocumentKind], prompt="any kind", id="kind")
            yield Input(placeholder="participant key=value, e.g. role=manager", id="attribute")
            yield Select([], prompt="any coder", id="coder")
        yield Static("", id="retrieve-codes", classes="result-count")
        yield ExcerptList(id="results")
        yield WorkbenchFooter()

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        coders = [(name, cid) for cid, name in sorted(self.bench.coder_names().items(), key=lambda kv: kv[1])]
        select = self.query_one("#coder", Select)
        current = select.value
        select.set_options([] if self.bench.blind else coders)
        if not self.bench.blind and current in {cid for _, cid in coders}:
            select.value = current
        pending = self.app.take_pending_retrieve()
        if pending is not None:
            self.code_ids = pending
        self.run_query()
        self.query_one("#results").focus()

    # querying -------------------------------------------------------------------------

    def build_query(self) -> RetrieveQuery:
        kind = self.query_one("#kind", Select).value
        coder = self.query_one("#coder", Select).value
        coder_ids = (self.bench.coder_id,) if self.bench.blind else ((coder,) if isinstance(coder, int) else None)
        return RetrieveQuery(
            code_ids=tuple(self.code_ids), mode=self.mode,
            kinds=(kind,) if isinstance(kind, str) else None,
            attribute=self.query_one("#attribute", Input).value or None,
            coder_ids=coder_ids,
        )

    def run_query(self) -> None:
        paths = [escape(self.bench.code(i).path) for i in self.code_ids if self.bench.code(i)]
        joiner = " AND " if self.mode == "and" else " OR "
        label = joiner.join(paths) if paths else "no codes chosen: press c to add one"
        self.query_one("#retrieve-codes", Static).update(f"{label} · searching…" if paths else label)
        self._search(self.build_query())

    @work(thread=True, exclusive=True, group="retrieve")
    def _search(self, query: RetrieveQuery) -> None:
        try:
            with self.bench.db.reading() as session:
                found = retrieve(session, query)
        except QualcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            found = []
        self.app.call_from_thread(self.show_results, found)

    def show_results(self, excerpts: list[Excerpt]) -> None:
        self.excerpts = excerpts
        names = self.bench.coder_names()
        self.query_one("#results", ExcerptList).set_items([self._excerpt_texts(e, names) for e in excerpts])
        paths = [escape(self.bench.code(i).path) for i in self.code_ids if self.bench.code(i)]
        joiner = " AND " if self.mode == "and" else " OR "
        if paths:
            self.query_one("#retrieve-codes", Static).update(f"{joiner.join(paths)} · {len(excerpts)} excerpts")

    def _excerpt_texts(self, e: Excerpt, names: dict[int, str]) -> tuple[Text, Text]:
        bench = self.bench
        who = e.participant or e.speaker or ""
        codes = ", ".join(bench.code(c).path for c in e.code_ids if bench.code(c))
        coders = ", ".join(names.get(c, "?") for c in e.coder_ids)
        heading = Text.assemble((e.title, "bold"), " ", (e.kind, "dim"), " ", who, (f" · {codes} · {coders}", "dim"))
        body = Text.assemble(("…" + e.before.replace("\n", " "), "dim"), (e.text.replace("\n", " "), "bold"),
                             (e.after.replace("\n", " ") + "…", "dim"))
        return heading, body

    # interaction ----------------------------------------------------------------------

    @on(Select.Changed)
    @on(Input.Submitted, "#attribute")
    def _filters_changed(self) -> None:
        if self.is_attached:
            self.run_query()

    @on(ExcerptList.Chosen)
    def _jump(self, event: ExcerptList.Chosen) -> None:
        e = self.excerpts[event.index]
        self.app.open_document(e.document_id, e.start, e.end)

    def action_add_code(self) -> None:
        def add(code_id) -> None:
            if code_id is not None and int(code_id) not in self.code_ids:
                self.code_ids.append(int(code_id))
                self.run_query()

        self.app.push_screen(FuzzyPicker("Retrieve excerpts of…", code_items(self.bench)), add)

    def action_clear_codes(self) -> None:
        self.code_ids = []
        self.run_query()

    def action_toggle_mode(self) -> None:
        self.mode = "and" if self.mode == "or" else "or"
        self.run_query()

    def action_focus_results(self) -> None:
        self.query_one("#results").focus()
