"""A new project is built aside and appears whole: a SQLite file moved into place only when complete."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import make_url

from qualcode.errors import InvalidInput, ProjectExists
from qualcode.store.engine import Database
from qualcode.store.locate import sqlite_path


@contextmanager
def new_project(url: str) -> Iterator[Database]:
    """Yield a Database for a new project at `url`. A SQLite file is written under a hidden name and
    linked into place at the end of the block, never over a file that appeared meanwhile; on any
    error nothing is left behind. A server database is opened as it is (the caller checks it is empty)."""
    target = sqlite_path(url)
    if target is None:
        db = Database(url, create=True)
        try:
            yield db
        finally:
            db.dispose()
        return
    if target.exists():
        raise ProjectExists(str(target))
    if not target.parent.is_dir():
        raise InvalidInput(f"folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.importing")
    db = Database(f"sqlite:///{partial}", create=True)
    try:
        yield db
        db.dispose()
        _checkpoint(partial)
        _place(partial, target)
    finally:
        db.dispose()
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)


def label(url: str) -> str:
    """Where a project lives, fit to print: a file path, or a database URL without its password."""
    target = sqlite_path(url)
    if target is not None:
        return str(target)
    return make_url(url).render_as_string(hide_password=True)


def _place(partial: Path, target: Path) -> None:
    """Move the finished project into place without ever replacing a file that appeared meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise ProjectExists(str(target), appeared=True) from None
    except OSError:  # a filesystem without hard links
        if target.exists():
            raise ProjectExists(str(target), appeared=True) from None
        os.replace(partial, target)


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file so the renamed project is one self-contained database."""
    connection = sqlite3.connect(str(path))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
