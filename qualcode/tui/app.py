"""The workbench app: modes for each screen, global keys, coder identity, themes, keymap; run_app() starts it."""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.binding import Binding

from qualcode.errors import BackupNeeded, QualcodeError
from qualcode.tui import registry, settings
from qualcode.tui.commands import WorkbenchCommands
from qualcode.tui.keymap import load_keymap
from qualcode.tui.messages import DocumentRequested
from qualcode.tui.workbench import Workbench

BUILTIN_MODES = ("overview", "reader", "codebook", "retrieve", "search")


def _screen(name: str):
    """Build a built-in screen lazily (a mode is created the first time it is shown)."""
    import importlib

    module = importlib.import_module(f"qualcode.tui.screens.{name}")
    return getattr(module, f"{name.capitalize()}Screen")()


class QualcodeApp(App):
    """Keyboard-first coding workbench; every change is committed by the core the moment it is made."""

    # Every view's styles are read at start-up: a screen's own CSS_PATH is parsed when it first opens and then
    # re-applies the whole stylesheet to every widget of every screen, which made views slow to appear.
    CSS_PATH = ["app.tcss", "screens/agreement.tcss", "screens/analysis.tcss", "screens/quotes.tcss"]
    TITLE = "qualcode"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    MODES = {name: (lambda name=name: _screen(name)) for name in ("start", *BUILTIN_MODES)}
    BINDINGS = [
        Binding("O", "show('overview')", "Overview", show=False, id="show-overview"),
        Binding("R", "show('reader')", "Reader", show=False, id="show-reader"),
        Binding("K", "show('codebook')", "Codebook", show=False, id="show-codebook"),
        Binding("E", "show('retrieve')", "Retrieve", show=False, id="show-retrieve"),
        Binding("slash", "show('search')", "Search", show=False, id="show-search"),
        Binding("C", "switch_coder", "Switch coder", show=False, id="switch-coder"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark theme", show=False, id="toggle-theme"),
        Binding("ctrl+b", "toggle_blind", "Blind mode on/off (owner)", show=False, id="toggle-blind"),
        Binding("ctrl+r", "toggle_reveal", "Reveal all coders (owner)", show=False, id="toggle-reveal"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit"),
    ]

    def __init__(self, url: str, coder: str | None = None, *, home=None):
        self.home = home
        self.user = settings.load(home)
        super().__init__()
        self.url = url
        self.requested_coder = coder
        self.user_keymap: dict[str, str] = {}
        self.frozen_clock = False  # tests set this so no wall-clock time reaches the screen (stable snapshots)
        self.workbench: Workbench | None = None
        self._pending_open: tuple[int, int, int | None] | None = None
        self._pending_retrieve: list[int] | None = None
        registry.discover()
        for view in registry.views():
            self.add_mode(view.id, lambda view=view: view.factory(self.workbench))
        if self.user.theme in self.available_themes:
            self.theme = self.user.theme

    @property
    def prefs(self) -> settings.ProjectPrefs:
        return self.user.project(self.url)

    def on_mount(self) -> None:
        try:
            self.user_keymap = load_keymap(self.home)
            self.set_keymap(self.user_keymap)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
        coder = self.requested_coder or self.prefs.coder
        if coder and self._project_exists(self.url):
            self.begin(self.url, coder)
        else:
            self.switch_mode("start")
        self.call_after_refresh(_freeze_start_up)

    def on_unmount(self) -> None:
        # Quitting folds the WAL into the project file, so the .db alone can be copied or mailed.
        if self.workbench is not None:
            self.workbench.db.dispose()
        import gc

        gc.unfreeze()  # a process that runs the app again (tests, the bench) can free this one

    def _handle_exception(self, error: Exception) -> None:
        """A locked database or a full disk becomes a notification; only real bugs still end the app."""
        from textual.worker import WorkerFailed

        from qualcode.tui.failures import ENVIRONMENT_ERRORS

        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, ENVIRONMENT_ERRORS):
            self.report_failure(cause)
            return
        super()._handle_exception(error)

    def report_failure(self, error: BaseException) -> None:
        from qualcode.tui.failures import describe, log_failure

        self.notify(describe(error, log_failure(error, self.home)), severity="error", timeout=8)

    @staticmethod
    def _project_exists(url: str) -> bool:
        from qualcode.store.locate import sqlite_path

        path = sqlite_path(url)
        return path is None or path.exists()

    def begin(self, url: str, coder: str) -> bool:
        """Open (or create) the project as `coder`, remember the choice, show the overview."""
        from qualcode.store import Database

        try:
            db = Database(url, create=True)
            bench = Workbench(db, url, coder)
        except QualcodeError as exc:
            hint = ", then run any qualcode command once with --i-have-a-backup" if isinstance(exc, BackupNeeded) else ""
            self.notify(str(exc) + hint, severity="error")
            return False
        if self.workbench is not None and self.workbench.db is not db:
            self.workbench.db.dispose()
        self.workbench, self.url = bench, url
        self._remember()
        self.switch_mode("overview")
        return True

    def _remember(self) -> None:
        self.prefs.coder = self.workbench.coder
        self.user.touch(self.url)
        self.save_settings()

    def save_settings(self) -> None:
        try:
            settings.save(self.user, self.home)
        except OSError as exc:
            self.notify(f"could not save settings: {exc}", severity="warning")

    # navigation ----------------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        if self.workbench is None:
            self.notify("choose a project and a coder first", severity="warning")
            return
        if self.current_mode != mode:
            self.switch_mode(mode)

    def open_document(self, document_id: int, start: int = 0, end: int | None = None) -> None:
        self._pending_open = (document_id, start, end)
        if self.current_mode == "reader":
            self.screen.on_screen_resume()
        else:
            self.switch_mode("reader")

    def retrieve_codes(self, code_ids: list[int]) -> None:
        """Show the excerpts of these codes in the retrieve view."""
        self._pending_retrieve = list(code_ids)
        if self.current_mode == "retrieve":
            self.screen.on_screen_resume()
        else:
            self.switch_mode("retrieve")

    def take_pending_retrieve(self) -> list[int] | None:
        pending, self._pending_retrieve = self._pending_retrieve, None
        return pending

    def take_pending_open(self) -> tuple[int, int, int | None] | None:
        pending, self._pending_open = self._pending_open, None
        return pending

    @on(DocumentRequested)
    def document_requested(self, message: DocumentRequested) -> None:
        self.open_document(message.document_id, message.start, message.end)

    def on_key(self, event) -> None:
        # Views registered by other modules get their key here, after every screen binding had its chance.
        if self.workbench is None:
            return
        for view in registry.views():
            keys = {k.strip() for k in self.user_keymap.get(f"view-{view.id}", view.key).split(",")}
            if event.character in keys or event.key in keys:
                event.stop()
                self.action_show(view.id)
                return

    def refresh_screen(self) -> None:
        resume = getattr(self.screen, "on_screen_resume", None)
        if resume is not None:
            resume()

    # identity, blind mode, theme, help --------------------------------------------------

    def action_switch_coder(self) -> None:
        if self.workbench is None:
            return
        from qualcode.tui.screens.dialogs import FuzzyPicker, PickItem, TextPrompt
        from qualcode.tui.screens.pickers import coder_items

        def switch(name) -> None:
            if name == "__new__":
                self.push_screen(TextPrompt("New coder name"), switch)
                return
            if not name or not str(name).strip():
                return
            try:
                self.workbench.switch_coder(str(name))
            except QualcodeError as exc:
                self.notify(str(exc), severity="error")
                return
            self._remember()
            self.notify(f"now coding as {self.workbench.coder}")
            self.refresh_screen()

        items = coder_items(self.workbench) + [PickItem("__new__", "+ new coder…", "new coder add")]
        self.push_screen(FuzzyPicker(f"Switch coder (now {self.workbench.coder})", items), switch)

    def _owner_flag(self, key: str, label: str) -> None:
        if self.workbench is None:
            return
        try:
            on_now = self.workbench.setting(key) == "on"
            self.workbench.set_project_flag(key, not on_now)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{label} {'off' if on_now else 'on'}")
        self.refresh_screen()

    def action_toggle_blind(self) -> None:
        self._owner_flag("blind_mode", "blind mode")

    def action_toggle_reveal(self) -> None:
        self._owner_flag("revealed", "reveal")

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"
        self.user.theme = self.theme
        if self.workbench is not None:
            self._remember()
        self.refresh_screen()

    def action_help(self) -> None:
        from qualcode.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def run_app(url: str, coder: str | None = None) -> None:
    """Open the project at `url` (created if missing) and run the workbench until the user quits."""
    QualcodeApp(url, coder=coder).run()


def _freeze_start_up() -> None:
    """Once the first screen is up: what start-up built lives as long as the app, so take it out of
    the collector's reach; otherwise each full collection walks it all, a 0.1-0.3 s pause on some
    key press (bench/tui_views_bench.py: a view's first open at 0.22-0.35 s instead of 0.1 s)."""
    import gc

    gc.collect()  # once, after the first frame: only what is alive is frozen
    gc.freeze()
