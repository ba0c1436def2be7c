"""Where other modules plug views and reader side panels into the workbench, without editing the app.

A view is a full screen reachable by a key, from the command palette and from the help screen::

    # qualcode/tui/screens/agreement_review.py
    from qualcode.tui import registry

    class AgreementScreen(Screen): ...

    registry.register_view(registry.View(
        id="agreement", title="Agreement review", key="A",
        factory=lambda bench: AgreementScreen(),   # bench: qualcode.tui.workbench.Workbench
        description="Disagreements between coders, one unit at a time",
    ))

A reader panel is a widget stacked in the reader's side panel under the codings at the caret. Give it
the CSS class ``reader-panel``; if it has a method ``reader_context(ctx: ReaderContext)``, the reader
calls it whenever the caret or selection moves (keep it cheap; start a worker for slow work)::

    registry.register_panel(registry.Panel(
        id="suggestions", title="Suggestions",
        factory=lambda bench: SuggestionsPanel(bench, classes="reader-panel"),
    ))

A view's key can be remapped in keymap.toml as ``view-<id> = "..."``. Every module under
``qualcode/tui/screens/`` is imported when the app starts (``discover()``), so
registering at import time is enough. Views become Textual modes: each keeps its own screen stack,
and its screen receives ``ScreenResume`` whenever it is shown again (reload data there).
The app reads ``app.workbench`` (project, coder, blind-mode visibility: use ``bench.visible(codings)``
so blind coding holds on every view) and ``app.open_document(doc_id, start, end)`` jumps into the reader.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qualcode.domain import Coding


@dataclass(frozen=True, slots=True)
class View:
    """A screen other modules add: `factory(workbench)` builds it once; `key` switches to it."""

    id: str
    title: str
    key: str
    factory: Callable[[Any], Any]
    description: str = ""


@dataclass(frozen=True, slots=True)
class Panel:
    """A widget in the reader's side panel: `factory(workbench)` builds it when the reader is composed."""

    id: str
    title: str
    factory: Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class ReaderContext:
    """What a reader panel learns when the caret moves."""

    document_id: int | None
    cursor: int
    selection: tuple[int, int] | None
    codings: tuple[Coding, ...]


_views: dict[str, View] = {}
_panels: dict[str, Panel] = {}


def register_view(view: View) -> View:
    """Add or replace a view (same id replaces, so re-importing a module is harmless)."""
    _views[view.id] = view
    return view


def register_panel(panel: Panel) -> Panel:
    _panels[panel.id] = panel
    return panel


def unregister(item_id: str) -> None:
    """Remove a view or panel by id (tests, or a module that withdraws a view)."""
    _views.pop(item_id, None)
    _panels.pop(item_id, None)


def views() -> list[View]:
    return list(_views.values())


def panels() -> list[Panel]:
    return list(_panels.values())


def discover(package: str = "qualcode.tui.screens") -> list[str]:
    """Import every module of `package` so their register_* calls run; returns the module names."""
    module = importlib.import_module(package)
    names = []
    for info in pkgutil.iter_modules(module.__path__):
        importlib.import_module(f"{package}.{info.name}")
        names.append(info.name)
    return names
