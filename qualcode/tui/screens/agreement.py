"""The agreement view (key G): per-code agreement table, sortable, lowest first; enter reviews a code's disputes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode.errors import QualcodeError
from qualcode.tui import registry
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter

UNITS = ("segment", "character", "document")
# sort keys: (label, function of a code row giving a sortable value); undefined values sort last either way
SORTS = ("alpha", "ac1", "percent", "prevalence", "code")


@dataclass(frozen=True, slots=True)
class CodeRow:
    """One line of the table, from a CodeAgreement."""

    code_id: int
    path: str
    n: int
    prevalence: float | None
    percent: float | None
    alpha: float | None
    alpha_ci: tuple[float | None, float | None]
    fleiss: float | None
    ac1: float | None
    reason: str | None


def code_rows(report) -> list[CodeRow]:
    from qualcode.agreement import coefficients as C

    rows = []
    for code in report.codes:
        alpha = code.coefficients[report.primary]
        get = code.coefficients.get
        rows.append(CodeRow(code.code_id, code.path or code.name, code.n_units, code.prevalence,
                            get(C.PERCENT).value if get(C.PERCENT) else None, alpha.value, (alpha.ci_low, alpha.ci_high),
                            get(C.FLEISS).value if get(C.FLEISS) else None, get(C.AC1).value if get(C.AC1) else None,
                            alpha.reason))
    return rows


def sort_rows(rows: list[CodeRow], key: str, reverse: bool = False) -> list[CodeRow]:
    """Rows by one column, lowest first (reverse: highest first); rows without a value always come last."""
    if key == "code":
        return sorted(rows, key=lambda r: r.path, reverse=reverse)
    defined = [r for r in rows if getattr(r, key) is not None]
    missing = [r for r in rows if getattr(r, key) is None]
    return sorted(defined, key=lambda r: (getattr(r, key), r.path), reverse=reverse) + sorted(missing, key=lambda r: r.path)


def _num(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if pct else f"{value:.3f}"


class AgreementScreen(Screen):
    """Agreement between all coders with codings (the consensus coder left out), one row per code."""

    BINDINGS = [
        Binding("s", "next_sort", "Sort by", id="agreement-sort"),
        Binding("r", "reverse", "Reverse", id="agreement-reverse"),
        Binding("u", "next_unit", "Unit", id="agreement-unit"),
        Binding("w", "save_round", "Save round", id="agreement-save"),
        Binding("enter", "review_code", "Disputes", id="agreement-review"),
    ]

    @dataclass
    class Computed(Message):
        report: object | None
        error: str = ""
        saved: bool = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.unit = "segment"
        self.sort_key = "alpha"
        self.reverse = False
        self.report = None
        self.rows: list[CodeRow] = []

    def compose(self) -> ComposeResult:
        yield TopBar("Agreement")
        yield Static("computing…", id="agreement-summary", classes="result-count")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-sentence")
        yield WorkbenchFooter()

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.query_one("#agreement-table", DataTable).focus()
        # After the first paint: the audit is Python-heavy and would hold the GIL while the screen draws.
        self.call_after_refresh(self.compute)

    def compute(self, save: bool = False) -> None:
        self.query_one("#agreement-summary", Static).update(f"computing agreement on {self.unit} units…")
        self._audit(self.unit, save)

    @work(thread=True, exclusive=True, group="agreement")
    def _audit(self, unit: str, save: bool) -> None:
        from qualcode.agreement.workflow import run_audit

        try:
            report = run_audit(self.app.workbench.db, unit=unit, save=save)
        except QualcodeError as exc:
            self.post_message(self.Computed(None, str(exc)))
            return
        self.post_message(self.Computed(report, saved=save))

    @on(Computed)
    def show(self, message: Computed) -> None:
        summary = self.query_one("#agreement-summary", Static)
        if message.report is None:
            self.report, self.rows = None, []
            self._fill()
            summary.update(Text(message.error))
            return
        report = self.report = message.report
        self.rows = code_rows(report)
        stats = report.summary()
        median = "—" if stats["median"] is None else f"{stats['median']:.2f}"
        summary.update(Text(f"{report.unit} units · coders {', '.join(report.coders)} · n {report.n_units} from "
                            f"{report.n_documents} documents · median alpha {median} · sorted by {self.sort_key}"
                            f"{' (highest first)' if self.reverse else ''}"))
        self.query_one("#agreement-sentence", Static).update(Text(report.sentence))
        self._fill()
        if message.saved:
            self.notify(f"saved this audit (codebook v{report.codebook_version}); see 'qualcode agreement rounds'")

    def _fill(self) -> None:
        table = self.query_one("#agreement-table", DataTable)
        from qualcode.tui.fit import fit_middle

        # Below 100 columns the row keeps alpha and its interval in view: paths are cut, Fleiss and AC1 go.
        narrow = self.app.size.width < 100
        table.clear(columns=True)
        table.add_columns("code", "n", "prev.", "% agree", "alpha", "95% CI", *(() if narrow else ("Fleiss", "AC1")))
        for row in sort_rows(self.rows, self.sort_key, self.reverse):
            low, high = row.alpha_ci
            ci = "" if low is None else f"[{low:.2f}, {high:.2f}]"
            alpha = Text(_num(row.alpha)) if row.alpha is not None else Text("undefined", style="dim")
            extra = () if narrow else (_num(row.fleiss), _num(row.ac1))
            table.add_row(fit_middle(row.path, 24) if narrow else row.path, str(row.n), _num(row.prevalence, True),
                          _num(row.percent, True), alpha, ci, *extra, key=str(row.code_id))

    def action_next_sort(self) -> None:
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self._refresh_order()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._refresh_order()

    def _refresh_order(self) -> None:
        if self.report is not None:
            self.show(self.Computed(self.report))

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.compute()

    def action_save_round(self) -> None:
        self.compute(save=True)

    def selected_code_id(self) -> int | None:
        table = self.query_one("#agreement-table", DataTable)
        if not self.rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value)

    @on(DataTable.RowSelected, "#agreement-table")
    async def _row_chosen(self) -> None:
        await self.action_review_code()

    async def action_review_code(self) -> None:
        code_id = self.selected_code_id()
        if code_id is None:
            return
        await self.app.switch_mode("disagreements")
        show = getattr(self.app.screen, "show_code", None)
        if show is not None:
            show(code_id, self.unit)


registry.register_view(
    registry.View(
        id="agreement",
        title="Agreement",
        key="G",
        factory=lambda bench: AgreementScreen(),
        description="Inter-coder agreement per code, lowest first; enter lists the code's disagreements",
    )
)
