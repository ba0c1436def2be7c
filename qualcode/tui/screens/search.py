"""Search: full-text (stemmed) or fuzzy search across the project through store.search; enter jumps into the document."""

from __future__ import annotations

import textwrap

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.store.search import SearchHit
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter

LIMIT = 200


EXCERPT_LINES = 2


def excerpt_lines(text: str, start: int, end: int, bounds: tuple[int, int], width: int,
                  lines: int = EXCERPT_LINES) -> list[str]:
    """The words around a match, as `lines` lines of at most `width`, cut at word boundaries within its turn."""
    lo_bound, hi_bound = bounds
    room = width * lines
    lo = max(lo_bound, start - room // 3)
    while lo > lo_bound and not text[lo - 1].isspace():  # start on a word
        lo -= 1
    chunk = text[lo:hi_bound].replace("\n", " ")
    wrapped = textwrap.wrap(("…" if lo > lo_bound else "") + chunk, width - 1) or [""]
    shown = wrapped[:lines]
    if len(wrapped) > lines:
        shown[-1] += "…"
    return shown


def _excerpts(session, hits: list[SearchHit], width: int) -> list[list[str]]:
    from qualcode.store import documents

    texts: dict[int, tuple[str, list]] = {}
    out = []
    for hit in hits:
        if hit.document_id not in texts:
            texts[hit.document_id] = (documents.get(session, hit.document_id).text, documents.segments(session, hit.document_id))
        text, segments = texts[hit.document_id]
        seg = segments[hit.segment_index] if hit.segment_index < len(segments) else None
        bounds = (seg.start, seg.end) if seg is not None else (0, len(text))
        out.append(excerpt_lines(text, hit.start, hit.end, bounds, width))
    return out


class SearchScreen(Screen):
    """Type words, enter to search; tab to the results, enter to open one."""

    BINDINGS = [
        Binding("ctrl+f", "toggle_fuzzy", "Fuzzy on/off", id="search-fuzzy"),
        Binding("escape", "focus_hits", "Results", show=False, id="search-results"),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield TopBar("Search")
        with Horizontal(classes="filters"):
            yield Input(placeholder="words to find (all must occur in one turn)", id="query")
            yield Checkbox("fuzzy", id="fuzzy")
        yield Static("", id="search-count", classes="result-count")
        yield OptionList(id="hits")
        yield WorkbenchFooter()

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.query_one("#query", Input).focus()

    @on(Input.Submitted, "#query")
    @on(Checkbox.Changed, "#fuzzy")
    def _run(self) -> None:
        text = self.query_one("#query", Input).value
        if not text.strip():
            return
        self.query_one("#search-count", Static).update("searching…")
        width = self.query_one("#hits", OptionList).content_region.width or self.app.size.width
        self._search(text, self.query_one("#fuzzy", Checkbox).value, max(30, width - 4))

    @work(thread=True, exclusive=True, group="search")
    def _search(self, text: str, fuzzy: bool, width: int = 76) -> None:
        from qualcode.store.search import search

        excerpts: list[list[str]] = []
        try:
            with self.app.workbench.db.reading() as session:
                hits = search(session, text, fuzzy=fuzzy, limit=LIMIT)
                excerpts = _excerpts(session, hits, width)
        except QualcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            hits = []
        self.app.call_from_thread(self.show_hits, hits, excerpts)

    def show_hits(self, hits: list[SearchHit], excerpts: list[list[str]] | None = None) -> None:
        self.hits = hits
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        excerpts = excerpts or [[h.snippet] for h in hits]
        options.add_options([
            Option(f"[b]{escape(h.title)}[/b] [dim]turn {h.segment_index + 1} {escape(h.speaker or '')}[/dim]\n"
                   + "\n".join(f"  {escape(line)}" for line in lines))
            for h, lines in zip(hits, excerpts)
        ])
        if hits:
            options.highlighted = 0
        terms = ", ".join(hits[0].terms) if hits else ""
        more = f" (first {LIMIT})" if len(hits) >= LIMIT else ""
        self.query_one("#search-count", Static).update(f"{len(hits)} turns{more}" + (f" · terms: {escape(terms)}" if terms else ""))

    @on(OptionList.OptionSelected, "#hits")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        from qualcode.store import documents
        from qualcode.tui.textnav import word_end

        hit = self.hits[event.option_index]
        with self.app.workbench.db.reading() as session:
            text = documents.get(session, hit.document_id).text
        # Matches are stems ("volunt"); select the whole word the reader will see.
        self.app.open_document(hit.document_id, hit.start, max(hit.end, word_end(text, max(hit.start, hit.end - 1))))

    def action_toggle_fuzzy(self) -> None:
        box = self.query_one("#fuzzy", Checkbox)
        box.value = not box.value

    def action_focus_hits(self) -> None:
        self.query_one("#hits").focus()
