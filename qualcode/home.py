"""The per-user folder: $QUALCODE_HOME, default ~/.qualcode (settings, logs, caches)."""

from __future__ import annotations

import os
from pathlib import Path


def qualcode_home() -> Path:
    """$QUALCODE_HOME, default ~/.qualcode; tests point it at a temporary folder."""
    return Path(os.environ.get("QUALCODE_HOME") or Path.home() / ".qualcode").expanduser()
