"""Project overview: documents by kind with word counts, participants, coding progress per coder, recent activity."""

from __future__ import annotations

from collections import Counter

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode.tui.fit import fit_middle
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter


PAST = {"add": "added", "remove": "removed", "update": "changed", "import": "imported", "undo": "undid",
        "redo": "redid", "merge": "merged", "rename": "renamed", "move": "moved", "resolve": "resolved"}


def activity_lines(entries, groups: int = 8, stamp: bool = True) -> list[str]:
    """Newest first, runs of the same coder doing the same thing folded into one line with a count.

    "alex added 10 codings" instead of ten identical "alex add coding" lines.
    """
    runs: list[list] = []
    for entry in entries:
        key = (entry.coder or "-", entry.action, entry.entity)
        if runs and runs[-1][0] == key:
            runs[-1][1] += 1
        else:
            if len(runs) == groups:
                break
            runs.append([key, 1, entry.at])
    lines = []
    for (coder, action, entity), count, at in runs:
        when = at.strftime("%d %b %H:%M ") if stamp and at else ""
        noun = entity if count == 1 else (entity[:-1] + "ies" if entity.endswith("y") else entity + "s")
        amount = "a" if count == 1 and entity[:1] not in "aeiou" else "an" if count == 1 else str(count)
        lines.append(f"{when}{coder} {PAST.get(action, action)} {amount} {noun}")
    return lines


class OverviewScreen(Screen):
    """The home screen: enter on a document opens it in the reader."""

    _data: dict | None = None

    BINDINGS = [Binding("enter", "open_selected", "Open", id="overview-open")]

    def compose(self) -> ComposeResult:
        yield TopBar("Overview")
        with Horizontal(id="overview-body"):
            yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="overview-side"):
                yield Static("", id="progress")
                yield Static("", id="participants")
                yield Static("", id="activity")
        yield WorkbenchFooter()

    COLUMNS = (("kind", 13), ("document", 0), ("words", 6), ("people", 12), ("codings", 7))
    # Below this table width the people column goes and kind shrinks: the title is what tells rows apart.
    NARROW_TABLE = 90
    SIDE_WIDTH = 40  # #overview-side in app.tcss, beside the table on wide terminals

    def _columns(self, width: int) -> list[tuple[str, int]]:
        if width >= self.NARROW_TABLE:
            columns = list(self.COLUMNS)
        else:
            columns = [("kind", 13), ("document", 0), ("words", 5), ("codings", 7)]
        # Fixed widths (the title takes what is left): auto-sized columns jump as rows arrive.
        fixed = sum(w + 2 for _, w in columns if w) + 2 + 2  # cell padding, title padding, scrollbar
        title = max(16, width - fixed)
        return [(name, w or title) for name, w in columns]

    def _table_width(self, table: DataTable) -> int:
        # Before the first layout the table has no size yet: work it out from the screen.
        if table.size.width > 20:
            return table.size.width
        screen = self.app.size.width
        return screen - self.SIDE_WIDTH if screen >= 100 else screen

    def on_resize(self) -> None:
        if self._data is not None:
            self.call_after_refresh(self._show, self._data)

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.reload()
        self.query_one("#documents", DataTable).focus()

    def reload(self) -> None:
        self._gather()

    @work(thread=True, exclusive=True, group="overview")
    def _gather(self) -> None:
        """Counting a large project takes time: read everything in a thread, then fill the widgets."""
        from qualcode.store import documents as doc_repo

        bench = self.app.workbench
        with bench.db.reading() as session:
            summaries = doc_repo.summaries(session)
        data = {
            "summaries": summaries,
            "counts": bench.doc_coding_counts(),
            "blind": bench.blind,
            "progress": bench.progress(),
            "people": bench.participants(),
            "activity": self._activity(bench),
        }
        self.app.call_from_thread(self._show, data)

    def _show(self, data: dict) -> None:
        self._data = data
        bench = self.app.workbench
        summaries, counts = data["summaries"], data["counts"]
        table = self.query_one("#documents", DataTable)
        row = table.cursor_row
        columns = self._columns(self._table_width(table))
        widths = dict(columns)
        table.clear(columns=True)
        for name, width in columns:
            table.add_column(name, width=width, key=name)
        for s in sorted(summaries, key=lambda s: (s.kind, s.title.lower())):
            people = ", ".join(s.participants[:2]) + ("…" if len(s.participants) > 2 else "")
            cells = {
                "kind": Text(fit_middle(s.kind, widths["kind"])),
                "document": Text(fit_middle(s.title, widths["document"])),
                "words": Text(str(s.words), justify="right"),
                "people": Text(people),
                "codings": Text(str(counts.get(s.id, 0)), justify="right"),
            }
            table.add_row(*(cells[name] for name, _ in columns), key=str(s.id))
        if summaries:
            table.move_cursor(row=min(row, len(summaries) - 1))
        kinds = Counter(s.kind for s in summaries)
        words = sum(s.words for s in summaries)
        lines = ["[dim]R reader · K codebook · E excerpts · / search · C coder · ? help · ^p more[/dim]", ""]
        lines.append(f"[b]Documents[/b] {len(summaries)} · {words:,} words")
        lines += [f"  {kind}: {n}" for kind, n in sorted(kinds.items())]
        lines.append("")
        lines.append("[b]Coding progress[/b]" + (" [dim](blind: yours only)[/dim]" if data["blind"] else ""))
        total = len(summaries) or 1
        for name, n, docs in data["progress"]:
            who = f"[b]{escape(name)}[/b]" if name == bench.coder else escape(name)
            lines.append(f"  {who}: {n} coding{'' if n == 1 else 's'} · {docs}/{total} docs")
        self.query_one("#progress", Static).update("\n".join(lines))
        people = data["people"]
        roles = Counter(p.role or "no role" for p in people)
        text = [f"[b]Participants[/b] {len(people)}"] + [f"  {escape(r)}: {n}" for r, n in sorted(roles.items())]
        self.query_one("#participants", Static).update("\n".join(text))
        self.query_one("#activity", Static).update(data["activity"])

    def _activity(self, bench) -> str:
        blind = bench.blind
        entries = [e for e in bench.recent_activity(400)
                   if not (blind and e.entity == "coding" and e.coder != bench.coder)]
        lines = ["[b]Recent activity[/b]"]
        lines += [f"  {escape(line)}" for line in activity_lines(entries, stamp=not self.app.frozen_clock)]
        return "\n".join(lines)

    @on(DataTable.RowSelected, "#documents")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_document(int(event.row_key.value))

    def action_open_selected(self) -> None:
        table = self.query_one("#documents", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.app.open_document(int(key.value))
