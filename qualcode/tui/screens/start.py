"""The start screen: pick or create a project, then pick the coder identity (remembered per project and user)."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.store.locate import sqlite_path, url_for
from qualcode.tui.widgets.footer import WorkbenchFooter


def _as_url(text: str) -> str:
    text = text.strip()
    return text if "://" in text else url_for(text)


def _label(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else url.split("@")[-1]


class StartScreen(Screen):
    """Two steps on one screen: project (path or URL, or a recent one), then coder (known or new)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static("[b]qualcode[/b] · coding workbench", id="start-title")
            yield Static("Project file or database URL (enter opens it; a new file is created)")
            yield Input(_label(self.app.url), id="project-input")
            yield Static("Recent projects", id="recent-label")
            yield OptionList(id="recent")
            yield Static("Coder: who is coding (enter to start)", id="coder-label")
            yield Input(placeholder="your name, e.g. alex", id="coder-input")
            yield OptionList(id="coders")
        yield WorkbenchFooter()

    def on_mount(self) -> None:
        recent = self.query_one("#recent", OptionList)
        recent.add_options([Option(escape(_label(url)), id=url) for url in self.app.user.recent])
        recent.display = bool(self.app.user.recent)
        self.query_one("#recent-label", Static).display = bool(self.app.user.recent)
        remembered = self.app.requested_coder or self.app.prefs.coder
        if remembered:
            self.query_one("#coder-input", Input).value = remembered
        self._load_coders(self.app.url)
        # A project already on disk (given with --project) only needs a coder: type straight into that field.
        path = sqlite_path(self.app.url)
        first = "#coder-input" if path is None or path.exists() else "#project-input"
        self.query_one(first, Input).focus()

    def _load_coders(self, url: str) -> None:
        """Show the coders already in the project, if it exists (never create anything just to look)."""
        from qualcode.errors import QualcodeError
        from qualcode.store import Database, coders

        options = self.query_one("#coders", OptionList)
        options.clear_options()
        path = sqlite_path(url)
        if path is not None and not path.exists():
            self.query_one("#coder-label", Static).update("Coder: new project, it will be created when you start")
            return
        try:
            db = Database(url)
            with db.reading() as session:
                names = [c.name for c in coders.list_all(session)]
            db.dispose()
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        options.add_options([Option(escape(n), id=n) for n in names])
        self.query_one("#coder-label", Static).update("Coder: pick one below or type a new name (enter to start)")

    @on(Input.Submitted, "#project-input")
    def project_chosen(self, event: Input.Submitted) -> None:
        url = _as_url(event.value)
        self.app.url = url
        self._load_coders(url)
        coder = self.app.user.project(url).coder
        if coder:
            self.query_one("#coder-input", Input).value = coder
        self.query_one("#coder-input", Input).focus()

    @on(OptionList.OptionSelected, "#recent")
    def recent_chosen(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#project-input", Input)
        field.value = _label(event.option.id)
        self.project_chosen(Input.Submitted(field, field.value))

    @on(OptionList.OptionSelected, "#coders")
    def coder_chosen(self, event: OptionList.OptionSelected) -> None:
        self._start(event.option.id)

    @on(Input.Submitted, "#coder-input")
    def coder_typed(self, event: Input.Submitted) -> None:
        coders = self.query_one("#coders", OptionList)
        if not event.value.strip() and coders.highlighted is not None:
            self._start(coders.get_option_at_index(coders.highlighted).id)
            return
        self._start(event.value)

    def on_key(self, event) -> None:
        # Down from the empty coder field walks into the listed coders, where enter starts at once.
        coders = self.query_one("#coders", OptionList)
        if event.key == "down" and self.focused is self.query_one("#coder-input", Input) and coders.option_count:
            coders.focus()
            if coders.highlighted is None:
                coders.highlighted = 0
            event.stop()

    def _start(self, coder: str) -> None:
        if not coder.strip():
            self.notify("type a coder name first", severity="warning")
            return
        url = _as_url(self.query_one("#project-input", Input).value)
        path = sqlite_path(url)
        if path is not None and not path.parent.exists():
            self.notify(f"folder {Path(path).parent} does not exist", severity="error")
            return
        self.app.begin(url, coder.strip())
