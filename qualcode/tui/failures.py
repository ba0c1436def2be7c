"""Environment failures (locked database, full disk): log the traceback under $QUALCODE_HOME/logs, tell the user one line."""

from __future__ import annotations

import traceback
from datetime import datetime, timezone
from pathlib import Path

from qualcode.store.engine import DATABASE_ERRORS
from qualcode.tui.settings import qualcode_home

# Failures of the world around the app, not of the user's input: the app survives them.
ENVIRONMENT_ERRORS: tuple[type[BaseException], ...] = (*DATABASE_ERRORS, OSError)


def log_failure(error: BaseException, home: Path | None = None) -> Path | None:
    """Append the full traceback to logs/tui-errors.log; None when even the log cannot be written."""
    folder = (home or qualcode_home()) / "logs"
    path = folder / "tui-errors.log"
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp}\n{text}\n")
    except OSError:
        return None
    return path


def one_line(error: BaseException) -> str:
    """The first line of the error, without SQLAlchemy's statement dump and background links."""
    original = getattr(error, "orig", None)
    message = str(original if original is not None else error).strip().splitlines()
    first = message[0] if message else type(error).__name__
    return first[:160]


def describe(error: BaseException, log: Path | None) -> str:
    where = f" (details in {log})" if log else ""
    return f"could not complete that: {one_line(error)}{where}"
