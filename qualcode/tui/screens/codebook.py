"""The codebook: code tree with counts (mine / all), definitions and criteria; add, rename, move, merge, pin in place."""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, Tree

from qualcode.domain import Code
from qualcode.errors import QualcodeError
from qualcode.tui.screens.dialogs import FuzzyPicker, PickItem, TextPrompt
from qualcode.tui.screens.pickers import code_items
from qualcode.tui.widgets.bars import TopBar
from qualcode.tui.widgets.footer import WorkbenchFooter
from qualcode.tui.widgets.coding_panel import definition_markup

FIELD_KEYS = {"description": "d", "inclusion": "i", "exclusion": "x"}


class CodebookScreen(Screen):
    """Every structural change goes through store.codes in one audited transaction."""

    BINDINGS = [
        Binding("a", "add_code(True)", "Add child", id="code-add-child"),
        Binding("A", "add_code(False)", "Add top", show=False, id="code-add-top"),
        Binding("r", "rename", "Rename", id="code-rename"),
        Binding("m", "move", "Move", id="code-move"),
        Binding("g", "merge", "Merge", id="code-merge"),
        Binding("p", "pin", "Pin 1-9", id="code-pin"),
        *[Binding(key, f"edit_field('{field}')", f"Edit {field}", show=False, id=f"code-edit-{field}")
          for field, key in FIELD_KEYS.items()],
        Binding("e", "retrieve", "Excerpts", id="code-excerpts"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Codebook")
        with Horizontal(id="codebook-body"):
            tree = Tree("codes", id="code-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="code-detail"):
                yield Static("[dim]reading the codebook…[/dim]", id="code-info")
        yield WorkbenchFooter()

    _wanted: int | None = None  # the code to put the cursor on once the tree is laid out

    @property
    def bench(self):
        return self.app.workbench

    _counts: dict[int, tuple[int, int | None]] = {}

    @dataclass
    class Gathered(Message):
        codes: list[Code]
        counts: dict[int, tuple[int, int | None]]

    def on_screen_resume(self) -> None:
        self.query_one(TopBar).update_badge()
        self.query_one(Tree).focus()
        self._gather()  # the screen draws at once; codes and counts arrive from a worker

    @work(thread=True, exclusive=True, group="codebook")
    def _gather(self) -> None:
        self.post_message(self.Gathered(self.bench.codes(refresh=True), self.bench.code_counts()))

    @on(Gathered)
    def _gathered(self, message: Gathered) -> None:
        self._fill(message.codes, message.counts)

    def reload(self, select_id: int | None = None) -> None:
        """Read the codebook now (after a change made here, whose result the next key may act on)."""
        if select_id is not None:
            self._wanted = select_id
        self._fill(self.bench.codes(refresh=True), self.bench.code_counts())

    def _fill(self, codes: list[Code], counts: dict[int, tuple[int, int | None]]) -> None:
        tree = self.query_one(Tree)
        keep = self._wanted if self._wanted is not None else (self.selected.id if self.selected else None)
        self._counts = counts
        pins = [c.id for c in self.bench.pinned_codes(self.app.prefs.pinned)] if self.app.prefs.pinned else []
        tree.clear()
        tree.root.expand()
        nodes = {None: tree.root}
        parents = {c.parent_id for c in codes}
        target = None
        for code in codes:
            mine, every = counts.get(code.id, (0, 0))
            shown = f"{mine}/{every}" if every is not None else f"{mine}/–"
            pin = f" [b]{pins.index(code.id) + 1}[/b]" if code.id in pins else ""
            label = f"[{self.bench.colour(code)}]■[/] {escape(code.name)} [dim]{shown}[/dim]{pin}"
            parent = nodes.get(code.parent_id, tree.root)
            if code.id in parents:
                node = parent.add(label, data=code, expand=True)
            else:
                node = parent.add_leaf(label, data=code)
            nodes[code.id] = node
            if code.id == keep:
                target = node
        target = target or (tree.root.children[0] if tree.root.children else None)
        # Tree lines are laid out on the next refresh; the cursor can only land after that.
        self.call_after_refresh(self._land, target)

    def _land(self, node) -> None:
        self._wanted = None
        if node is not None:
            self.query_one(Tree).move_cursor(node)
        self._show_detail()

    @property
    def selected(self) -> Code | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None and isinstance(node.data, Code) else None

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        code = self.selected
        info = self.query_one("#code-info", Static)
        if code is None:
            info.update("No codes yet: press A to add one.")
            return
        mine, every = self._counts.get(code.id, (0, 0))
        lines = [f"[dim]{escape(code.path)}[/dim]", definition_markup(code)]
        if code.keywords:
            lines.append(f"[b]keywords[/b] {escape(', '.join(code.keywords))}")
        for example in code.examples[:3]:
            lines.append(f"[i]“{escape(example)}”[/i]")
        lines.append(f"\ncodings: {mine} mine · " + (f"{every} all coders" if every is not None else "others hidden (blind)"))
        lines.append("[dim]d/i/x edit description, inclusion, exclusion · e excerpts[/dim]")
        info.update("\n".join(lines))

    # changes -----------------------------------------------------------------------

    def _change(self, message: str, call) -> None:
        try:
            with self.bench.db.transaction() as session:
                result = call(session)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(message, timeout=2)
        self.reload(select_id=getattr(result, "id", None))

    def action_add_code(self, as_child: bool) -> None:
        from qualcode.store import codes

        parent = self.selected.path if as_child and self.selected else None

        def add(name: str | None) -> None:
            if name:
                self._change(f"added {name}", lambda s: codes.add(s, name, parent=parent, coder=self.bench.coder))

        self.app.push_screen(TextPrompt(f"New code under {parent}" if parent else "New top-level code"), add)

    def action_rename(self) -> None:
        from qualcode.store import codes

        code = self.selected
        if code is None:
            return

        def rename(name: str | None) -> None:
            if name and name != code.name:
                self._change(f"renamed to {name}", lambda s: codes.rename(s, code.path, name, coder=self.bench.coder))

        self.app.push_screen(TextPrompt(f"Rename {code.path}", code.name), rename)

    def action_move(self) -> None:
        from qualcode.store import codes

        code = self.selected
        if code is None:
            return
        items = [PickItem("", "(top level)", "top level root")] + [i for i in code_items(self.bench) if i.value != code.id]

        def move(target) -> None:
            if target is None:
                return
            parent = self.bench.code(int(target)).path if target != "" else None
            self._change(f"moved {code.name}", lambda s: codes.move(s, code.path, parent, coder=self.bench.coder))

        self.app.push_screen(FuzzyPicker(f"Move {code.path} under…", items), move)

    def action_merge(self) -> None:
        from qualcode.store import codes

        code = self.selected
        if code is None:
            return
        items = [i for i in code_items(self.bench) if i.value != code.id]

        def merge(target) -> None:
            if target is None:
                return
            into = self.bench.code(int(target))
            self._change(f"merged {code.path} into {into.path}",
                         lambda s: codes.merge(s, code.path, into.path, coder=self.bench.coder)[0])

        self.app.push_screen(FuzzyPicker(f"Merge {code.path} into…", items), merge)

    def action_edit_field(self, field: str) -> None:
        from qualcode.store import codes

        code = self.selected
        if code is None:
            return

        def save(value: str | None) -> None:
            if value is not None:
                self._change(f"{field} saved", lambda s: codes.update_fields(s, code.path, {field: value}, coder=self.bench.coder))

        self.app.push_screen(TextPrompt(f"{field.capitalize()} of {code.path}", getattr(code, field)), save)

    def action_pin(self) -> None:
        code = self.selected
        if code is None:
            return
        prefs = self.app.prefs
        if not prefs.pinned:
            # Start from what the keys do now, so pinning one code does not silently drop the defaults.
            prefs.pinned = [c.id for c in self.bench.pinned_codes([])]
        if code.id in prefs.pinned:
            prefs.pinned.remove(code.id)
            self.notify(f"unpinned {code.path}", timeout=2)
        elif len(prefs.pinned) >= 9:
            self.notify("nine codes are pinned already; unpin one first", severity="warning")
            return
        else:
            prefs.pinned.append(code.id)
            self.notify(f"{code.path} is on key {len(prefs.pinned)}", timeout=2)
        self.app.save_settings()
        self.reload()

    def action_retrieve(self) -> None:
        if self.selected is not None:
            self.app.retrieve_codes([self.selected.id])
