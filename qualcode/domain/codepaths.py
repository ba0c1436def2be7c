"""The slug rule for code names and paths: `time pressure`, `Time-Pressure` and `time_pressure` are one code."""

from __future__ import annotations

import re

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
