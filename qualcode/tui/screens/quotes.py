"""The quote-bank review view (key Q): each quote with its redactions highlighted; accept,
redact a selection by type key, undo a false redaction. The rules live in qualcode.quotes.review."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TextArea

from qualcode.errors import QualcodeError
from qualcode.tui import registry
from qualcode.tui.fit import fit_path
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter

# The key that redacts the selected words, and the type it gives them.
TYPE_KEYS = {"p": "PERSON", "t": "TOWN", "o": "ORG", "h": "HOSPICE", "w": "WARD", "x": "OTHER"}


def highlighted(original: str, redactions) -> Text:
    """The original with each active redaction struck through and its replacement beside it."""
    text = Text()
    cursor = 0
    for r in sorted(redactions, key=lambda r: r.start):
        text.append(original[cursor : r.start])
        if r.active:
            text.append(original[r.start : r.end], style="strike red")
            text.append(r.replacement, style="bold green")
        else:
            text.append(original[r.start : r.end], style="underline yellow")  # undone: shown, marked
        cursor = r.end
    text.append(original[cursor:])
    return text


class QuotesScreen(Screen):
    """Every quote of every bank in bank order; the selected one shown in full on the right."""

    BINDINGS = [
        Binding("b", "build_bank", "Build a bank", id="quotes-build"),  # first, so the footer shows it while offered
        Binding("a", "accept", "Accept", id="quotes-accept"),
        Binding("u", "undo_redaction", "Undo redaction at cursor", id="quotes-unredact"),
        *(Binding(key, f"redact('{type_}')", f"Redact {type_.lower()}", show=key == "p", id=f"quotes-redact-{key}")
          for key, type_ in TYPE_KEYS.items()),
        Binding("tab", "switch_focus", "Quote text", id="quotes-focus"),
        Binding("S", "toggle_shareable", "Shareable view", id="quotes-shareable"),
    ]

    @dataclass
    class Built(Message):
        """A bank built from this view (report), or why it could not be (error)."""

        report: object | None
        error: str = ""

    @dataclass
    class Loaded(Message):
        """The bank as read by the loading worker, with the source text of the quote to show first."""

        quotes: list
        shown: int | None
        original: str

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.quotes = []
        self.current = None
        self.original = ""
        self.shareable = False  # on: only what an export would show, and whether its final scan passes
        self._scan = None
        self.building = False
        self.loaded = False  # the first read of the bank has arrived from its worker

    def action_toggle_shareable(self) -> None:
        self.shareable = not self.shareable
        self.set_class(self.shareable, "-shareable")
        self.notify("shareable view: only what an export shows" if self.shareable else "review view: real text shown")
        self.show(self.current)

    def _withheld(self, quote) -> bool:
        """Whether the export's final scan would hold this quote back (roster and key only: no model here)."""
        from qualcode.anonymise.share import open_policy
        from qualcode.quotes.scan import Scanner

        if self._scan is None:
            policy = open_policy(self.db, use_ner=False)
            self._scan = (policy, Scanner(policy.roster, policy.key))
        policy, scanner = self._scan
        texts = (quote.masked_text, quote.attribution, quote.code_path)
        return bool(scanner.leaks(quote, self.original, texts) or (not quote.reviewed and policy.leaks(*texts)))

    def compose(self) -> ComposeResult:
        yield TopBar("Quote bank")
        yield Static("", id="quotes-summary")
        with Horizontal(id="quotes-body"):
            yield DataTable(id="quotes-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="quotes-detail"):
                yield Static("", id="quote-view")
                yield TextArea("", id="quote-source", read_only=True, soft_wrap=True, show_line_numbers=False)
                yield Static("", id="quote-redactions")
        yield WorkbenchFooter()

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.reload()
        self.query_one("#quotes-table", DataTable).focus()

    @property
    def db(self):
        return self.app.workbench.db

    def reload(self, keep: int | None = None) -> None:
        """Read the bank in a worker (the view paints at once); `keep` stays the quote shown."""
        self._scan = None  # a review may have changed the key or the roster
        if not self.loaded:
            self.query_one("#quotes-summary", Static).update(Text("reading the quote bank…"))
        self._load(keep)

    @work(thread=True, exclusive=True, group="quotes-load")
    def _load(self, keep: int | None) -> None:
        from qualcode.store import quotes as repo

        with self.db.reading() as session:
            quotes = repo.list_quotes(session)
        shown = next((q for q in quotes if q.id == keep), quotes[0] if quotes else None)
        original = ""
        if shown is not None:
            from qualcode.quotes.review import original_text  # ~0.25 s to import: here, not on the UI thread

            original = original_text(self.db, shown)
        self.post_message(self.Loaded(quotes, shown.id if shown else None, original))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.quotes = message.quotes
        self.loaded = True
        table = self.query_one("#quotes-table", DataTable)
        table.clear(columns=True)
        several = len({q.bank for q in self.quotes}) > 1
        # Below 100 columns the list keeps id, theme and status whole; the quote itself is read on the right.
        narrow = self.app.size.width < 100
        table.add_columns("id", *(("bank",) if several else ()), "theme", "status", *(() if narrow else ("quote",)))
        for q in self.quotes:
            status = Text("accepted", style="green") if q.reviewed else Text("unreviewed", style="yellow")
            preview = q.masked_text if len(q.masked_text) <= 40 else q.masked_text[:39] + "…"
            table.add_row(str(q.id), *((q.bank,) if several else ()), fit_path(q.code_path, 14 if narrow else 30),
                          status, *(() if narrow else (preview,)), key=str(q.id))
        unreviewed = sum(not q.reviewed for q in self.quotes)
        summary = (f"{len(self.quotes)} quote(s), {unreviewed} unreviewed · select words in the text, then "
                   + ", ".join(f"{k}={t.lower()}" for k, t in TYPE_KEYS.items()) if self.quotes
                   else "building a bank over every theme…" if self.building
                   else "no quote bank yet: press b to build one over every theme "
                        "(or choose themes with qualcode quotes build --code C)")
        self.refresh_bindings()  # b (build) is offered only while there is no bank
        self.query_one("#quotes-summary", Static).update(Text(summary))
        if not self.quotes:
            self.show(None)
            return
        row = next((i for i, q in enumerate(self.quotes) if q.id == message.shown), 0)
        self.show(self.quotes[row], original=message.original if self.quotes[row].id == message.shown else None)
        table.move_cursor(row=row)

    @on(DataTable.RowHighlighted, "#quotes-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        chosen = next((q for q in self.quotes if str(q.id) == event.row_key.value), None)
        if chosen is not None and (self.current is None or chosen.id != self.current.id or chosen != self.current):
            self.show(chosen)

    def show(self, quote, original: str | None = None) -> None:
        """Show one quote; `original` is its source text when the caller has read it already."""
        self.current = quote
        view = self.query_one("#quote-view", Static)
        source = self.query_one("#quote-source", TextArea)
        listing = self.query_one("#quote-redactions", Static)
        if quote is None:
            self.original = ""
            view.update("")
            source.load_text("")
            listing.update("")
            return
        if original is None:
            from qualcode.quotes.review import original_text

            original = original_text(self.db, quote)
        self.original = original
        flag = Text("accepted", style="green") if quote.reviewed else Text("UNREVIEWED", style="bold yellow")
        if self.shareable:
            held = Text("  withheld by the final scan: accept it or redact", style="bold red") if self._withheld(quote) else ""
            view.update(Text.assemble(Text(quote.masked_text), "\n— ", quote.attribution, "  ", flag, held))
            source.load_text("")
            listing.update("")
            return
        view.update(Text.assemble(highlighted(self.original, quote.redactions), "\n\n", Text(quote.masked_text, style="italic"),
                                  "\n— ", quote.attribution, "  ", flag))
        source.load_text(self.original)
        lines = [f"{i}: {self.original[r.start:r.end]} → {r.replacement} ({r.layer}){'' if r.active else ' undone'}"
                 for i, r in enumerate(quote.redactions)]
        listing.update(Text("\n".join(lines) or "no redactions"))

    def _selection(self) -> tuple[int, int] | None:
        source = self.query_one("#quote-source", TextArea)
        start, end = sorted(source.selection)
        a = source.document.get_index_from_location(start)
        b = source.document.get_index_from_location(end)
        return (a, b) if b > a else None

    def _run(self, action, *args, **kwargs):
        try:
            return action(self.db, *args, **kwargs)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return None

    def action_accept(self) -> None:
        from qualcode.quotes.review import accept

        if self.current is not None and self._run(accept, self.current.id, coder=self.app.workbench.coder):
            self.notify(f"quote {self.current.id} accepted")
            self.reload(keep=self.current.id)

    def action_redact(self, type_: str) -> None:
        from qualcode.quotes.review import add_redaction

        if self.current is None:
            return
        span = self._selection()
        if span is None:
            self.notify("select the words to redact in the quote text first (tab, then shift+arrows)", severity="warning")
            return
        result = self._run(add_redaction, self.current.id, span=span, type_=type_, coder=self.app.workbench.coder)
        if result is not None:
            also = f"; also in quote(s) {', '.join(map(str, result.also_changed))}" if result.also_changed else ""
            self.notify(f"redacted as {type_}{also}")
            self.reload(keep=self.current.id)

    def action_undo_redaction(self) -> None:
        from qualcode.quotes.review import remove_redaction

        if self.current is None:
            return
        source = self.query_one("#quote-source", TextArea)
        at = source.document.get_index_from_location(source.cursor_location)
        index = next((i for i, r in enumerate(self.current.redactions) if r.active and r.start <= at < r.end), None)
        if index is None:
            self.notify("put the cursor on a redacted word in the quote text to undo it", severity="warning")
            return
        if self._run(remove_redaction, self.current.id, index, coder=self.app.workbench.coder) is not None:
            self.notify("redaction undone; the quote needs accepting again")
            self.reload(keep=self.current.id)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "build_bank":
            return not self.quotes and not self.building
        return True

    def action_build_bank(self) -> None:
        if self.quotes or self.building:
            return
        self.building = True
        self.reload()
        self._build(self.app.workbench.coder)

    @work(thread=True, exclusive=True, group="quotes-build")
    def _build(self, coder: str) -> None:
        from qualcode.quotes.build import build_bank
        from qualcode.quotes.model import BankSettings
        from qualcode.store import codes as code_repo

        try:
            with self.db.reading() as session:
                themes = tuple(c.path for c in code_repo.list_all(session) if c.parent_id is None)
            if not themes:
                raise QualcodeError("the codebook has no themes to quote yet")
            # Every top-level theme, labels with role and document kind: the demo's and a first study's case.
            report = build_bank(self.db, BankSettings(codes=themes, attributes=("role", "kind")))
        except QualcodeError as exc:
            self.post_message(self.Built(None, str(exc)))
            return
        self.post_message(self.Built(report))

    @on(Built)
    def _built(self, message: Built) -> None:
        self.building = False
        if message.report is None:
            self.notify(message.error, severity="error")
        else:
            r = message.report
            self.notify(f"built bank {r.bank}: {r.quotes} quotes over {len(r.per_theme)} themes; review them here")
        self.reload()

    def action_switch_focus(self) -> None:
        source = self.query_one("#quote-source", TextArea)
        table = self.query_one("#quotes-table", DataTable)
        (table if source.has_focus else source).focus()


registry.register_view(
    registry.View(
        id="quotes",
        title="Quote bank",
        key="Q",
        factory=lambda bench: QuotesScreen(),
        description="Review anonymised quotes: accept, redact a selection (p/t/o/h/w/x), undo a false redaction (u)",
    )
)
