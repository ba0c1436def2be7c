"""Open the coding workbench, or say where the project is when the TUI is not available."""

from __future__ import annotations

from qualcode.cli.common import console


def open_tui(url: str, coder: str | None = None) -> None:
    try:
        from qualcode.tui.app import run_app  # textual loads only here, never for plain commands
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("qualcode.tui"):
            raise
        console.print(f"The coding workbench is not built yet. Project: {url}")
        return
    run_app(url, coder=coder)
