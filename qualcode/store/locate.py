"""Where a project lives and which schema it should have, without importing SQLAlchemy (fast CLI paths use this)."""

from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT_PROJECT = "qualcode.db"


def url_for(project: str | os.PathLike | None = None, db: str | None = None) -> str:
    """The SQLAlchemy URL for --db, or for a SQLite file path given by --project."""
    if db:
        return db
    path = Path(project or os.environ.get("QUALCODE_PROJECT") or DEFAULT_PROJECT)
    return f"sqlite:///{path.expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(url[len(prefix):])


_newest: str | None = None


def newest_revision() -> str:
    """The head of the migration chain, read from the version files' headers (no Alembic import)."""
    global _newest
    if _newest is None:
        revisions, parents = set(), set()
        for script in (Path(__file__).parent / "migrations" / "versions").glob("*.py"):
            text = script.read_text(encoding="utf-8")
            if found := re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE):
                revisions.add(found.group(1))
                parents.update(re.findall(r"['\"]([^'\"]+)['\"]", _down_revision_line(text)))
        heads = revisions - parents
        # More than one head is a broken history; Alembic's own check (not this shortcut) reports it.
        _newest = heads.pop() if len(heads) == 1 else ""
    return _newest


def _down_revision_line(text: str) -> str:
    found = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", text, re.MULTILINE)
    return found.group(1) if found else ""
