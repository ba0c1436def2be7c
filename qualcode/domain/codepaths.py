"""The slug rule for code names and paths: `time pressure`, `Time-Pressure` and `time_pressure` are one code."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualcode.domain.models import Code

_APOSTROPHES = re.compile(r"['’‘`]")
_SEPARATORS = re.compile(r"[\W_]+")


def name_slug(name: str) -> str:
    """A code name as it is matched: case folded, apostrophes dropped, other runs of non-letters one '-'.

    `someone else's responsibility` -> `someone-elses-responsibility`.
    """
    return _SEPARATORS.sub("-", _APOSTROPHES.sub("", str(name).casefold())).strip("-")


def path_slug(path: str) -> str:
    """`Barriers/Time pressure` -> `barriers/time-pressure`: each part of a path slugged."""
    return "/".join(name_slug(part) for part in str(path).strip().strip("/").split("/"))


def by_slug(codes: list[Code], text: str) -> list[Code]:
    """Codes a reference names under the slug rule (case, spaces and punctuation ignored):
    the whole path, else a unique name, else a path ending."""
    wanted = path_slug(text)
    slugs = {c.id: path_slug(c.path) for c in codes}
    found = [c for c in codes if slugs[c.id] == wanted]
    if not found and "/" not in wanted:
        found = [c for c in codes if name_slug(c.name) == wanted]
    return found or [c for c in codes if slugs[c.id].endswith("/" + wanted)]
