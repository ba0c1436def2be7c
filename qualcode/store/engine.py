"""Open a project database: SQLite pragmas, write transactions, schema creation and upgrades."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.errors import InvalidInput, PermissionDenied, QualcodeError

BUSY_TIMEOUT_MS = 60_000
DEFAULT_PROJECT = "qualcode.db"


def url_for(project: str | os.PathLike | None = None, db: str | None = None) -> str:
    """The SQLAlchemy URL for --db, or for a SQLite file path given by --project."""
    if db:
        return db
    path = Path(project or os.environ.get("QUALCODE_PROJECT") or DEFAULT_PROJECT)
    return f"sqlite:///{path.expanduser().resolve()}"


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        # pysqlite's own transaction handling would BEGIN lazily; we issue BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Writers take the lock up front so two coders never deadlock upgrading a read lock.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One project database: a write session factory and a read session factory."""

    def __init__(self, url: str, *, create: bool = False, upgrade: bool = True):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        try:
            if self.is_sqlite:
                path = sqlite_path(url)
                if path is not None and not path.exists() and not create:
                    raise QualcodeError(
                        f"no project at {path}; create one with 'qualcode init' or pass --project"
                    )
                if path is not None and not path.parent.exists():
                    raise QualcodeError(f"folder {path.parent} does not exist")
                self.engine = _sqlite_engine(url, immediate=True)
                self.read_engine = _sqlite_engine(url, immediate=False)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
                self.read_engine = self.engine
        except ArgumentError:
            raise InvalidInput(f"not a database URL: {url}") from None
        except ModuleNotFoundError as exc:
            raise InvalidInput(f"no driver for {url.split(':', 1)[0]}: {exc.name} is not installed") from None
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)
        try:
            from qualcode.store.migrate import ensure_schema

            ensure_schema(self, upgrade=upgrade)
        except OperationalError as exc:
            raise QualcodeError(f"cannot open the project database: {exc.orig}") from None
        except DBAPIError as exc:
            if _refused(exc) is None:
                raise
            # A coder role may not change the schema; the owner's role upgrades it.
            raise PermissionDenied(
                "this project's database needs an upgrade that only its owner's role can make: "
                "open it once as the owner (any qualcode command)"
            ) from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed at the end of the block, rolled back on any error."""
        try:
            with self._writer.begin() as session:
                yield session
        except DBAPIError as exc:
            refusal = _refused(exc)
            if refusal is None:
                raise
            raise refusal from None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self._reader() as session:
                yield session
        except DBAPIError as exc:
            refusal = _refused(exc)
            if refusal is None:
                raise
            raise refusal from None

    def backup_sqlite(self, reason: str) -> Path | None:
        """Copy the SQLite file beside itself (online backup API) before a risky change."""
        path = sqlite_path(self.url)
        if path is None or not path.exists():
            return None
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
        backup_to(path, target)
        return target

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def _refused(exc: DBAPIError) -> PermissionDenied | None:
    """A team-mode refusal by the database (SQLSTATE 42501: a grant or row policy) as one line, no SQL."""
    if getattr(exc.orig, "sqlstate", None) != "42501":
        return None
    reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "permission denied"
    return PermissionDenied(f"refused by the database in team mode: {reason}")


def sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(url[len(prefix):])


def backup_to(source: Path, target: Path) -> None:
    import sqlite3

    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def copy_file(source: Path, target: Path) -> None:
    shutil.copy2(source, target)
