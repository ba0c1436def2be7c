"""User key remapping: $QUALCODE_HOME/keymap.toml (or keymap.json) maps binding ids to keys, applied with set_keymap."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from qualcode.errors import InvalidInput
from qualcode.tui.settings import qualcode_home


def keymap_path(home: Path | None = None) -> Path | None:
    folder = home or qualcode_home()
    for name in ("keymap.toml", "keymap.json"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_keymap(home: Path | None = None) -> dict[str, str]:
    """{"apply-code": "k", "undo": "ctrl+z,u"}; a [keys] table in TOML or a flat object in either."""
    path = keymap_path(home)
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path}: cannot read the keymap ({exc})") from None
    table = data.get("keys", data) if isinstance(data, dict) else None
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise InvalidInput(f"{path}: the keymap must map binding ids to key strings, e.g. apply-code = \"k\"")
    return {str(k): v for k, v in table.items()}
