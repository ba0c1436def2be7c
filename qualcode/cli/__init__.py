"""The qualcode command line: a thin noun-verb layer over the headless core (typer + rich).

`main` first offers the command to qualcode.cli.quick, which answers the most frequent listings
on a SQLite project without importing typer or SQLAlchemy; everything else, and anything quick is
unsure of, goes to the full command tree in qualcode.cli.tree (`app`, built on first use).
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    """Entry point for the `qualcode` script."""
    from qualcode.cli.quick import answer

    if answer(sys.argv[1:]):
        return
    from qualcode.cli.tree import main as run_tree

    run_tree()


def __getattr__(name: str) -> Any:
    if name in ("app", "COMMAND_MODULES"):
        from qualcode.cli import tree

        return getattr(tree, name)
    raise AttributeError(f"module 'qualcode.cli' has no attribute {name!r}")
