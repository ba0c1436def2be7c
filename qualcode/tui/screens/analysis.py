"""The analysis view (key Y): theme summaries, barrier/facilitator tallies, cross-tabs and saturation."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from qualcode.analysis.quotes import Quote
from qualcode.errors import QualcodeError
from qualcode.tui import registry
from qualcode.tui.fit import FitLine, fit_middle, fit_path
from qualcode.tui.screens.analysis_data import AnalysisData, compute
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter

TABS = ("summary", "tallies", "crosstab", "saturation")
# Each quote list and the attribute holding what it shows (enter opens the quote at that index).
QUOTE_LISTS = {"summary-quotes": "summary_quotes", "tally-quotes": "tally_quotes", "ct-quotes": "cell_quotes"}


def _bars(plot: PlotextPlot, labels: list[str], values: list[float], title: str) -> None:
    plt = plot.plt
    plt.clear_figure()
    if labels:
        plt.bar(_labels(labels, 24), values, orientation="horizontal")
    plt.title(title)
    plot.refresh()


def _labels(labels: list[str], width: int) -> list[str]:
    """Chart labels cut in the middle (start and end kept), still telling codes apart."""
    out: list[str] = []
    for label in labels:
        short = fit_middle(label, width)
        while short in out:  # two names alike at both ends: plotext would merge their bars
            short = short[:-1] + "'"
        out.append(short)
    return out


def _crosstab(data: AnalysisData, rows: str, columns: str) -> tuple[str, str, object, str]:
    """(rows spec, columns spec, the cross-tab, its test line); raises QualcodeError for a bad dimension."""
    from qualcode.analysis.crosstab import crosstab
    from qualcode.reports.markdown import test_line

    result = crosstab(data.ds, rows, columns)
    return rows, columns, result, test_line(result)


def _quote_options(quotes) -> list[Option]:
    return [
        Option(f"{'* ' if q.candidate else ''}\u201c{escape(q.text)}\u201d \u2014 {escape(q.attribution)}; {escape(q.link)}", id=str(i))
        for i, q in enumerate(quotes)
    ]


class AnalysisScreen(Screen):
    """Numbers with the quotes behind them: enter on a tally row lists its quotes, enter on a quote opens it."""

    BINDINGS = [
        Binding("1", "tab('summary')", "Summaries", id="analysis-summaries"),
        Binding("2", "tab('tallies')", "Tallies", id="analysis-tallies"),
        Binding("3", "tab('crosstab')", "Cross-tabs", id="analysis-crosstab"),
        Binding("4", "tab('saturation')", "Saturation", id="analysis-saturation"),
        Binding("b", "valence('barrier')", "Barriers", id="analysis-barriers"),
        Binding("f", "valence('facilitator')", "Facilitators", id="analysis-facilitators"),
        Binding("g", "next_grouping", "Group by", id="analysis-group"),
        Binding("q", "quotes", "Quotes", id="analysis-quotes"),
        Binding("S", "toggle_shareable", "Shareable quotes", id="analysis-shareable"),
    ]

    @dataclass
    class Computed(Message):
        data: AnalysisData | None
        error: str = ""
        crosstab: tuple | None = None  # (rows spec, columns spec, result, test line) for the default table

    @dataclass
    class Masked(Message):
        list_id: str
        quotes: list[Quote]
        withheld: int
        focus: bool

    @dataclass
    class Summarised(Message):
        code_id: int
        text: str
        kinds: list[tuple[str, int]]
        quotes: list[Quote]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.data: AnalysisData | None = None
        self.valence = "barrier"
        self.grouping: str | None = None
        self.tally_quotes: list[Quote] = []
        self.summary_quotes: list[Quote] = []
        self.cell_quotes: list[Quote] = []
        self.crosstab_specs: tuple[str, str] | None = None
        self.crosstab_result = None
        self.with_language = True
        self._language = None  # one LanguageIndex per dataset: each excerpt is lemmatised once
        # Shareable: quotes masked by the project's share policy, as an export would show them.
        self.shareable = False
        self._sharer = None
        self._share_lock = threading.Lock()
        self._raw: dict[str, list[Quote]] = {name: [] for name in QUOTE_LISTS}
        self._tabs_ready = False
        self._pending: AnalysisScreen.Computed | None = None

    @property
    def bench(self):
        return self.app.workbench

    def compose(self) -> ComposeResult:
        yield TopBar("Analysis")
        with TabbedContent(initial="summary"):
            with TabPane("Summaries", id="summary"):
                with Horizontal():
                    yield OptionList(id="theme-list")
                    with VerticalScroll(id="summary-body"):
                        yield Static("choose a code", id="summary-text")
                        yield PlotextPlot(id="summary-chart")
                        yield OptionList(id="summary-quotes")
            # The hidden tabs get their widgets just after the first frame (_mount_tabs): the view appears at once.
            yield TabPane("Tallies", id="tallies")
            yield TabPane("Cross-tabs", id="crosstab")
            yield TabPane("Saturation", id="saturation")
        yield WorkbenchFooter()

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_tabs)

    async def _mount_tabs(self) -> None:
        await self.query_one("#tallies", TabPane).mount(Vertical(
            Static("computing…", id="tally-head", classes="result-count"),
            Horizontal(DataTable(id="tally-table", cursor_type="row", zebra_stripes=True),
                       PlotextPlot(id="tally-chart"), id="tally-top"),
            OptionList(id="tally-quotes"),
        ))
        await self.query_one("#crosstab", TabPane).mount(Vertical(
            Horizontal(Input(placeholder="rows: attr:NAME, code:PARENT, doc, kind", id="ct-rows"),
                       Input(placeholder="columns, e.g. kind", id="ct-cols"), id="crosstab-inputs"),
            DataTable(id="ct-table", zebra_stripes=True, cursor_type="cell"),
            Static("", id="ct-test"),
            OptionList(id="ct-quotes"),
            PlotextPlot(id="ct-chart"),
        ))
        await self.query_one("#saturation", TabPane).mount(Vertical(PlotextPlot(id="sat-chart"), DataTable(id="sat-table")))
        self._tabs_ready = True
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.computed(pending)

    # loading ---------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.call_after_refresh(self.refresh_data)  # the screen draws first; the numbers come from a worker

    def refresh_data(self) -> None:
        self.query_one("#summary-text", Static).update("computing…")
        self._compute(self.crosstab_specs)

    @work(thread=True, exclusive=True, group="analysis")
    def _compute(self, specs: tuple[str, str] | None = None) -> None:
        try:
            data = compute(self.bench)
        except QualcodeError as exc:
            self.post_message(self.Computed(None, str(exc)))
            return
        # The first cross-tab is made here too: its chi-square test imports scipy (~1 s cold), off the UI thread.
        if specs is None:
            parents = [c for c in data.ds.children(None) if data.ds.children(c.id)]
            specs = (f"code:{parents[0].path}" if parents else "kind", "kind")
        try:
            table = _crosstab(data, *specs)
        except QualcodeError:
            table = None
        self.post_message(self.Computed(data, crosstab=table))

    @on(Computed)
    def computed(self, message: Computed) -> None:
        if message.data is None:
            self.notify(message.error, severity="error")
            return
        if not self._tabs_ready:
            self._pending = message  # shown as soon as the hidden tabs have their widgets
            return
        self.data = message.data
        self._sharer = None  # a new dataset: the share policy is rebuilt on next use
        themes = self.query_one("#theme-list", OptionList)
        themes.clear_options()
        themes.add_options([
            # Fitted to the list's width at draw time: a long name is cut in its middle, never wrapped mid-word.
            Option(FitLine(c.path.rsplit("/", 1)[-1], Text("  " * c.path.count("/")), Text(f" ({c.excerpts})"), path=False),
                   id=str(c.code_id))
            for c in self.data.counts
        ])
        if themes.option_count and themes.highlighted is None:
            # A summary at once, not an empty chart: the first theme with excerpts.
            themes.highlighted = next((i for i, c in enumerate(self.data.counts) if c.excerpts), 0)
        self.show_tally()
        self.show_saturation()
        if message.crosstab is not None:
            rows, cols = self.query_one("#ct-rows", Input), self.query_one("#ct-cols", Input)
            if not rows.value:
                rows.value, cols.value = message.crosstab[0], message.crosstab[1]
            self._fill_crosstab(*message.crosstab)

    # summaries -------------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#theme-list")
    def theme_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if self.data is not None and event.option.id is not None:
            self.query_one("#summary-text", Static).update("summarising…")
            self._summarise(int(event.option.id))

    @work(thread=True, exclusive=True, group="summary")
    def _summarise(self, code_id: int) -> None:
        from qualcode.analysis.language import LanguageIndex
        from qualcode.analysis.summary import theme_summary

        data = self.data
        index = self._language
        if index is None or index.ds is not data.ds:
            index = self._language = LanguageIndex(data.ds)
        try:
            s = theme_summary(data.ds, code_id, quotes=5, language=index, with_language=self.with_language)
        except ZeroDivisionError:
            # analysis.language's log-odds divides by zero when the vocabulary is a single term; the numbers
            # and quotes still stand without the distinctive terms.
            s = theme_summary(data.ds, code_id, quotes=5, language=index, with_language=False)
        c = s.counts
        lines = [f"[b]{escape(s.path)}[/b]  {escape(s.description)}",
                 f"{c.excerpts} excerpts ({c.codings} codings) · {c.documents} documents · "
                 f"{c.participants} participants · {c.coders} coders"]
        for key, rows in c.by_attribute.items():
            shown = ", ".join(f"{b.value} {b.excerpts}" for b in rows if b.excerpts)
            lines.append(f"by {escape(key)}: {escape(shown) or '-'}")
        if s.language and s.language.terms:
            lines.append("terms: " + escape(", ".join(t.term for t in s.language.terms)))
            if s.language.phrases:
                lines.append("phrases: " + escape(", ".join(t.term for t in s.language.phrases)))
        if s.cooccurring:
            lines.append("co-occurs with: " + escape(", ".join(f"{o.path} {o.count}" for o in s.cooccurring[:5])))
        memos = self._shared_memos(s) if self.shareable else s.memos
        lines += [f"memo: {escape(m.text)}" for m in memos]
        kinds = [(b.value, b.excerpts) for b in c.by_kind]
        self.post_message(self.Summarised(code_id, "\n".join(lines), kinds, list(s.quotes)))

    @on(Summarised)
    def summarised(self, message: Summarised) -> None:
        self.query_one("#summary-text", Static).update(message.text)
        _bars(self.query_one("#summary-chart", PlotextPlot), [k for k, _ in message.kinds],
              [v for _, v in message.kinds], "excerpts by document kind")
        self._list_quotes("summary-quotes", message.quotes)

    # quote lists, as coded or shareable ---------------------------------------------------------

    def _list_quotes(self, list_id: str, quotes: list[Quote], focus: bool = False) -> None:
        self._raw[list_id] = list(quotes)
        if self.shareable and quotes:
            self._mask_quotes(list_id, list(quotes), focus)
        else:
            self._fill(list_id, list(quotes), 0, focus)

    def _fill(self, list_id: str, quotes: list[Quote], withheld: int, focus: bool) -> None:
        setattr(self, QUOTE_LISTS[list_id], quotes)
        options = _quote_options(quotes)
        if withheld:
            options.append(Option(f"{withheld} withheld by the final scan (see qualcode summary)", disabled=True))
        if not options and list_id != "summary-quotes":
            options = [Option("no quotes", disabled=True)]
        widget = self.query_one(f"#{list_id}", OptionList)
        widget.clear_options()
        widget.add_options(options)
        if focus:
            widget.highlighted = 0 if quotes else None
            widget.focus()

    @work(thread=True, group="analysis-share")
    def _mask_quotes(self, list_id: str, quotes: list[Quote], focus: bool) -> None:
        try:
            with self._share_lock:  # one policy, one model: masking runs one list at a time
                masked = list(self._sharer_for().quotes(quotes))
                self._sharer.policy.save(self.bench.db)
        except QualcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.post_message(self.Masked(list_id, masked, len(quotes) - len(masked), focus))

    def _sharer_for(self):
        """The share policy for this dataset, built once; call with the lock held (worker threads)."""
        from qualcode.analysis.shareable import Sharer
        from qualcode.anonymise.share import open_policy

        if self._sharer is None:
            self._sharer = Sharer(self.data.ds, open_policy(self.bench.db), "analysis view")
        return self._sharer

    def _shared_memos(self, summary):
        """Memos as a shareable summary shows them (masked; any the scan flags left out)."""
        import dataclasses

        try:
            with self._share_lock:
                return self._sharer_for().summaries([dataclasses.replace(summary, quotes=())])[0].memos
        except QualcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return ()

    @on(Masked)
    def masked(self, message: Masked) -> None:
        if self.shareable:
            self._fill(message.list_id, message.quotes, message.withheld, message.focus)

    def action_toggle_shareable(self) -> None:
        self.shareable = not self.shareable
        self.notify("shareable: quotes anonymised as an export shows them" if self.shareable
                    else "team view: quotes as coded")
        for list_id, quotes in self._raw.items():
            self._list_quotes(list_id, quotes)
        themes = self.query_one("#theme-list", OptionList)
        chosen = themes.highlighted_option if themes.highlighted is not None else None
        if self.data is not None and chosen is not None and chosen.id is not None:
            self._summarise(int(chosen.id))  # its memos too

    # tallies ---------------------------------------------------------------------------------

    def current_tally_rows(self):
        result = self.data.tally(self.valence, self.grouping)
        if self.grouping is None:
            return result, [("all", r) for r in result.rows]
        return result, [(g.value, r) for g in result.groups for r in g.rows]

    def show_tally(self) -> None:
        if self.data is None:
            return
        result, rows = self.current_tally_rows()
        by = f" by {self.grouping}" if self.grouping else ""
        head = f"{self.valence}s{by}: {result.excerpts} excerpts, {result.participants} participants"
        hint = " · b/f switch · g group by · enter or q: quotes"
        # The key hint only when it fits whole: a one-line head never ends in a cut word.
        self.query_one("#tally-head", Static).update(Text(head + hint if len(head + hint) < self.app.size.width - 2 else head))
        table = self.query_one("#tally-table", DataTable)
        table.clear(columns=True)
        table.add_columns("group", "rank", "code", "excerpts", "participants")
        rank, last = 0, None
        for group, row in rows:
            rank = rank + 1 if group == last else 1
            last = group
            table.add_row(group, str(rank), fit_path(row.path, 44), str(row.excerpts), str(row.participants))
        overall = result.rows
        _bars(self.query_one("#tally-chart", PlotextPlot), [r.name for r in overall][::-1],
              [r.excerpts for r in overall][::-1], f"{self.valence}s: excerpts")
        self.query_one("#tally-quotes", OptionList).clear_options()

    def action_valence(self, valence: str) -> None:
        self.valence = valence
        self.show_tally()

    def action_next_grouping(self) -> None:
        if self.data is None:
            return
        options = [None, *self.data.groupings]
        self.grouping = options[(options.index(self.grouping) + 1) % len(options)]
        self.show_tally()

    def action_quotes(self) -> None:
        if self.data is None:
            return
        table = self.query_one("#tally-table", DataTable)
        _, rows = self.current_tally_rows()
        if not rows or table.cursor_row is None or table.cursor_row >= len(rows):
            return
        _, row = rows[table.cursor_row]
        if not row.quotes and row.excerpts:
            row = next((r for r in self.data.tally(self.valence, None, quotes=3).rows if r.path == row.path), row)
        self._list_quotes("tally-quotes", list(row.quotes), focus=True)

    @on(DataTable.RowSelected, "#tally-table")
    def tally_row_selected(self) -> None:
        self.action_quotes()

    @on(OptionList.OptionSelected, "#tally-quotes")
    @on(OptionList.OptionSelected, "#summary-quotes")
    @on(OptionList.OptionSelected, "#ct-quotes")
    def quote_selected(self, event: OptionList.OptionSelected) -> None:
        quotes = {"tally-quotes": self.tally_quotes, "ct-quotes": self.cell_quotes}.get(
            event.option_list.id, self.summary_quotes)
        if event.option.id is not None and int(event.option.id) < len(quotes):
            q = quotes[int(event.option.id)]
            self.app.open_document(q.document_id, q.start, q.end)

    # cross-tabs and saturation ---------------------------------------------------------------

    @on(Input.Submitted, "#ct-rows")
    @on(Input.Submitted, "#ct-cols")
    def show_crosstab(self) -> None:
        if self.data is None:
            return
        try:
            found = _crosstab(self.data, self.query_one("#ct-rows", Input).value, self.query_one("#ct-cols", Input).value)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self._fill_crosstab(*found)

    def _fill_crosstab(self, rows_spec: str, columns_spec: str, result, test: str) -> None:
        self.crosstab_specs = (rows_spec, columns_spec)
        self.crosstab_result = result
        self.query_one("#ct-quotes", OptionList).clear_options()
        table = self.query_one("#ct-table", DataTable)
        table.clear(columns=True)
        table.add_columns(f"{result.rows_name} \u00d7 {result.columns_name}", *result.columns, "total")
        for i, name in enumerate(result.rows):
            table.add_row(name, *(f"{v} ({result.row_percent[i][j]:.0f}%)" for j, v in enumerate(result.counts[i])),
                          str(result.row_totals[i]))
        table.add_row("total", *map(str, result.column_totals), str(result.total))
        self.query_one("#ct-test", Static).update(f"{result.unit}: {escape(test)}")
        plt = self.query_one("#ct-chart", PlotextPlot).plt
        plt.clear_figure()
        if result.rows and result.columns:
            plt.multiple_bar(_labels(result.columns, 16), [list(r) for r in result.counts],
                             labels=_labels(result.rows, 16))
        plt.title(f"{result.rows_name} by {result.columns_name}")
        self.query_one("#ct-chart", PlotextPlot).refresh()

    @on(DataTable.CellSelected, "#ct-table")
    def crosstab_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a count lists the quotes behind it."""
        from qualcode.analysis.drilldown import cell_excerpts
        from qualcode.analysis.quotes import representative_quotes

        result = self.crosstab_result
        row, column = event.coordinate.row, event.coordinate.column - 1
        if result is None or row >= len(result.rows) or not 0 <= column < len(result.columns):
            return
        spans = cell_excerpts(self.data.ds, *self.crosstab_specs, result.rows[row], result.columns[column])
        self._list_quotes("ct-quotes", representative_quotes(self.data.ds, spans, 5), focus=True)

    def show_saturation(self) -> None:
        sat = self.data.saturation
        plot = self.query_one("#sat-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        for curve in (sat.overall, *sat.by_kind):
            if curve.runs:
                plt.plot([r.last for r in curve.runs], [100 * r.new_share for r in curve.runs], label=curve.scope)
        plt.title(f"new information per run (% of base codes); threshold {sat.overall.threshold:.0%}")
        plot.refresh()
        table = self.query_one("#sat-table", DataTable)
        table.clear(columns=True)
        table.add_columns("documents", "count", "base codes", "saturation at", "note")
        for curve in (sat.overall, *sat.by_kind):
            table.add_row(curve.scope, str(len(curve.steps)), str(curve.base_codes),
                          str(curve.saturation_at or "not reached"), curve.note)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab


registry.register_view(
    registry.View(
        id="analysis",
        title="Analysis",
        key="Y",
        factory=lambda bench: AnalysisScreen(),
        description="Theme summaries, barrier/facilitator tallies with their quotes, cross-tabs, saturation",
    )
)
