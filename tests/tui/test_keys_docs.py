"""Help opens on the workbench's own keys, every binding id is documented, and footers never cut a key."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding

import qualcode.tui
from qualcode.tui import registry
from qualcode.tui.widgets.footer import WorkbenchFooter
from tests.tui.helpers import make_app, open_reader

DOCS = Path(__file__).resolve().parents[2] / "docs" / "coding.md"


def binding_ids() -> dict[str, str]:
    """id -> defining class, for every Binding declared in qualcode/tui, plus each registered view's key id."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(qualcode.tui.__path__, "qualcode.tui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                for binding in cls.__dict__.get("BINDINGS", ()):
                    if isinstance(binding, Binding):
                        found[binding.id or f"{name} {binding.key} (no id)"] = name
    registry.discover()
    found.update({f"view-{view.id}": "registry" for view in registry.views()})
    return found


def test_every_binding_id_is_in_the_coding_docs():
    text = DOCS.read_text(encoding="utf-8")
    ids = binding_ids()
    assert len(ids) > 100  # the walk found the screens and widgets
    missing = sorted(i for i in ids if f"`{i}`" not in text)
    assert missing == []


async def test_help_opens_on_the_workbench_keys(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reader(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-table")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        shown = rows[: table.size.height - 1]  # what the first screenful shows under the header
        keys = {row[0] for row in shown}
        assert {"R", "K", "E", "Y", "G", "D", "Q"} <= keys
        assert rows[0][0] == "Views"
        sections = [row[0] for row in rows if not row[1]]
        assert sections == ["Views", "This screen", "Everywhere", "Textual"]
        here = rows.index(["This screen", "", ""])
        textual = rows.index(["Textual", "", ""])
        assert "apply-code" in [row[2] for row in rows[here:textual]]
        ours = set(binding_ids())
        assert not any(row[2] in ours for row in rows[textual + 1:])


async def test_no_footer_key_is_cut_at_80_columns(project_url):
    app = make_app(project_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reader(pilot)
        for key in ("R", "O", "K", "E", "Y", "G", "D", "Q"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            footer = app.screen.query_one(WorkbenchFooter)
            drawn = footer.render().plain
            shown, palette = footer.fitted(footer.size.width)
            assert shown and len(drawn) <= app.size.width, app.current_mode
            for item in shown:  # each key drawn whole, in order
                assert f" {item.display} {item.description} " in drawn
            assert drawn.rstrip().endswith(f"{palette.display} {palette.description}")
            assert any(item.action == "help" for item in shown)
            everything = [i for i in footer.items()[0] if i.action != "help"]
            first = [i for i in shown if i.action != "help"]
            assert everything[: len(first)] == first  # the screen's first keys, none skipped in between
