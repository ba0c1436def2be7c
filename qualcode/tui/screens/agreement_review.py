"""The disagreement review (key D): each disputed unit with the coders side by side, resolved into consensus codings."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.tui import registry
from qualcode.tui.fit import FitLine, WrapPath
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter


@dataclass(frozen=True, slots=True)
class Choice:
    """The codes a key press would make the consensus, and what to call that choice."""

    label: str
    code_ids: tuple[int, ...]


def choices(item, coder_names: dict[int, str]) -> list[Choice]:
    """1..n: take coder n's codes; then the union (u) and the intersection (i) of everyone's codes."""
    sets = [set(codes) for codes in item.codes_by_coder.values()]
    out = [Choice(f"{coder_names.get(k, k)}'s codes", tuple(codes)) for k, codes in item.codes_by_coder.items()]
    out.append(Choice("every code anyone applied", tuple(sorted(set().union(*sets)))))
    out.append(Choice("only codes everyone applied", tuple(sorted(set.intersection(*sets))) if sets else ()))
    return out


class DisagreementScreen(Screen):
    """Up/down picks a unit; 1-9 takes that coder's codes, u the union, i the intersection, e edits the list;
    n attaches a codebook note to the disputed codes; o opens the unit in the reader."""

    BINDINGS = [
        *[Binding(str(n), f"take({n - 1})", f"Coder {n}", show=n == 1, id=f"review-take-{n}") for n in range(1, 10)],
        Binding("u", "take_union", "Union", id="review-union"),
        Binding("i", "take_intersection", "Both", id="review-intersection"),
        Binding("e", "edit", "Edit codes", id="review-edit"),
        Binding("n", "note", "Code note", id="review-note"),
        Binding("o", "open_unit", "Open", id="review-open"),
        Binding("f", "filter_code", "Filter code", id="review-filter"),
        Binding("F", "clear_filter", "All codes", show=False, id="review-filter-clear"),
    ]

    @dataclass
    class Loaded(Message):
        review: object | None
        error: str = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.review = None
        self.code_id: int | None = None
        self.unit = "segment"

    def compose(self) -> ComposeResult:
        yield TopBar("Disagreements")
        yield Static("loading…", id="review-summary", classes="result-count")
        with Horizontal(id="review-body"):
            yield OptionList(id="review-units")
            with Vertical(id="review-detail"):
                yield VerticalScroll(Static("", id="review-text"), id="review-text-box")
                yield Horizontal(id="review-coders")
                yield Static("", id="review-status")
        yield WorkbenchFooter()

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.query_one("#review-units", OptionList).focus()
        self.call_after_refresh(self.reload)  # the screen draws first; the review is read in a worker

    def show_code(self, code_id: int | None, unit: str = "segment") -> None:
        """Show only units where this code is disputed (called by the agreement view)."""
        self.code_id, self.unit = code_id, unit
        self.reload()

    def reload(self) -> None:
        self._load(self.unit, self.code_id)

    @work(thread=True, exclusive=True, group="disagreements")
    def _load(self, unit: str, code_id: int | None) -> None:
        from qualcode.agreement.workflow_review import review

        from qualcode.store import documents as doc_repo

        db = self.app.workbench.db
        try:
            found = review(db, unit=unit, code=str(code_id) if code_id else None)
            if any(item.document_id not in found.titles for item in found.items):
                # The review names only the documents its units came from; every unit shows its document.
                with db.reading() as session:
                    found.titles.update({s.id: s.title for s in doc_repo.summaries(session)
                                         if s.id not in found.titles})
        except QualcodeError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(found))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        from qualcode.agreement.workflow_review import unit_ref

        units = self.query_one("#review-units", OptionList)
        keep = units.highlighted
        units.clear_options()
        self.review = message.review
        if self.review is None:
            self.query_one("#review-summary", Static).update(Text(message.error))
            self._show(None)
            return
        found = self.review
        for item in found.items:
            ref = unit_ref(item)
            done = found.resolutions.get(ref)
            mark = "✓ " if done else "  "
            title = found.titles.get(item.document_id, f"document {item.document_id}")
            # One line per unit, the title cut in its middle to fit: never wrapped mid-word.
            units.add_option(Option(FitLine(title, Text(f"{mark}{ref} "), path=False), id=ref))
        resolved = sum(unit_ref(i) in found.resolutions for i in found.items)
        scope = f" where {found.code_names.get(self.code_id, '?')} is disputed" if self.code_id else ""
        self.query_one("#review-summary", Static).update(
            Text(f"{len(found.items)} disputed {self.unit} units{scope} · {resolved} resolved"))
        if found.items:
            units.highlighted = min(keep or 0, len(found.items) - 1)
        self._show(self.current())

    def current(self):
        if self.review is None or not self.review.items:
            return None
        index = self.query_one("#review-units", OptionList).highlighted
        return self.review.items[index] if index is not None and index < len(self.review.items) else None

    @on(OptionList.OptionHighlighted, "#review-units")
    def _moved(self) -> None:
        self._show(self.current())

    def _show(self, item) -> None:
        from qualcode.agreement.workflow_review import unit_ref

        row = self.query_one("#review-coders", Horizontal)
        row.remove_children()
        if item is None:
            self.query_one("#review-text", Static).update("no disputed unit selected")
            self.query_one("#review-status", Static).update("")
            return
        found = self.review
        self.query_one("#review-text", Static).update(Text(item.text))
        columns = []
        for n, (coder, codes) in enumerate(item.codes_by_coder.items(), start=1):
            # Code paths wrap after a '/', never inside a name, however narrow the box.
            body = Group(*(WrapPath(found.code_names.get(code, str(code)), "• " if code in item.disputed else "  ",
                                    style="bold" if code in item.disputed else "") for code in codes)) \
                if codes else Text("(no code)", style="dim")
            column = Static(body, classes="review-coder")
            column.border_title = f"{n} {found.coder_names.get(coder, coder)}"
            columns.append(column)
        for coder in item.missing_coders:
            column = Static(Text("not assigned", style="dim"), classes="review-coder")
            column.border_title = found.coder_names.get(coder, str(coder))
            columns.append(column)
        row.mount_all(columns)
        done = found.resolutions.get(unit_ref(item))
        status = (f"consensus: {', '.join(done['codes']) or '(no code)'}" if done
                  else "unresolved: 1-9 take a coder's codes, u union, i intersection, e edit")
        self.query_one("#review-status", Static).update(Text(status))

    # resolving ------------------------------------------------------------------------

    def action_take(self, index: int) -> None:
        item = self.current()
        if item is None or index >= len(item.codes_by_coder):
            return
        self._resolve(item, choices(item, self.review.coder_names)[index].code_ids)

    def action_take_union(self) -> None:
        if (item := self.current()) is not None:
            self._resolve(item, choices(item, self.review.coder_names)[-2].code_ids)

    def action_take_intersection(self) -> None:
        if (item := self.current()) is not None:
            self._resolve(item, choices(item, self.review.coder_names)[-1].code_ids)

    def action_edit(self) -> None:
        from qualcode.tui.screens.dialogs import TextPrompt

        item = self.current()
        if item is None:
            return
        union = choices(item, self.review.coder_names)[-2].code_ids
        start = ", ".join(self.review.code_names.get(c, str(c)) for c in union)

        def chosen(text: str | None) -> None:
            if text is not None:
                self._resolve(item, tuple(part.strip() for part in text.split(",") if part.strip()))

        self.app.push_screen(TextPrompt("Consensus codes (comma-separated paths; empty for none)", start), chosen)

    def _resolve(self, item, codes: tuple) -> None:
        from qualcode.agreement.workflow_review import resolve, unit_ref

        bench = self.app.workbench
        try:
            result = resolve(bench.db, unit_ref(item), [str(c) for c in codes], reviewer=bench.coder)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{result.unit_id}: consensus {', '.join(result.codes) or '(no code)'}")
        self.reload()

    def action_note(self) -> None:
        from qualcode.agreement.workflow_review import add_code_notes, unit_ref
        from qualcode.tui.screens.dialogs import TextPrompt

        item = self.current()
        if item is None:
            return
        bench = self.app.workbench

        def write(text: str | None) -> None:
            if not text:
                return
            try:
                ids = add_code_notes(bench.db, unit_ref(item), text, [str(c) for c in item.disputed], author=bench.coder)
            except QualcodeError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"note added to {len(ids)} code{'s' if len(ids) != 1 else ''}")

        names = ", ".join(self.review.code_names.get(c, str(c)) for c in item.disputed)
        self.app.push_screen(TextPrompt(f"Codebook note on {names}"), write)

    def action_open_unit(self) -> None:
        item = self.current()
        if item is not None:
            self.app.open_document(item.document_id, item.start, item.end)

    def action_filter_code(self) -> None:
        from qualcode.tui.screens.dialogs import FuzzyPicker
        from qualcode.tui.screens.pickers import code_items

        def picked(code_id) -> None:
            if code_id is not None:
                self.show_code(int(code_id), self.unit)

        self.app.push_screen(FuzzyPicker("Disagreements on code", code_items(self.app.workbench)), picked)

    def action_clear_filter(self) -> None:
        self.show_code(None, self.unit)


registry.register_view(
    registry.View(
        id="disagreements",
        title="Disagreements",
        key="D",
        factory=lambda bench: DisagreementScreen(),
        description="Disputed units with the coders side by side; resolve into consensus codings, note the codebook",
    )
)
