"""The body of `qualcode anonymise FILE [--roster F] [--json]`: what the command prints."""

from __future__ import annotations

import json
from pathlib import Path

from qualcode.errors import InvalidInput, NotFound

from .anonymiser import Anonymiser
from .roster import Roster


def anonymise_file(path: str | Path, roster_path: str | Path | None = None, as_json: bool = False) -> str:
    """Masked text of a UTF-8 text file, or JSON with the spans found and the masked text."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and retry") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    roster = Roster.from_file(roster_path) if roster_path is not None else None
    result = Anonymiser(roster=roster).mask(text)
    if not as_json:
        return result.text
    return json.dumps(
        {
            "file": str(path),
            "spans": [span.to_dict() for span in result.spans],
            "masked_text": result.text,
        },
        ensure_ascii=False,
        indent=2,
    )
