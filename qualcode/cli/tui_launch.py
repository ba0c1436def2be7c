"""Open the coding workbench, or say why it cannot open (the TUI's libraries are not installed)."""

from __future__ import annotations

from qualcode.errors import QualcodeError


def open_tui(url: str, coder: str | None = None) -> None:
    try:
        from qualcode.tui.app import run_app  # textual loads only here, never for plain commands
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("textual", "textual_plotext"):
            raise
        raise QualcodeError(
            f"the coding workbench needs {exc.name}, which is not installed: reinstall qualcode; "
            "every other command works without it"
        ) from None
    run_app(url, coder=coder)
