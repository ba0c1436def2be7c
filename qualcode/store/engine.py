"""Open a project database: SQLite pragmas, write transactions, schema creation and upgrades."""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.errors import BackupNeeded, InvalidInput, PermissionDenied, QualcodeError, ValueRefused
from qualcode.store.locate import newest_revision, sqlite_path

BUSY_TIMEOUT_MS = 60_000
# Failures of the database layer that are not the user's input (a locked file, a lost server).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError,)
# A write burst is over when nothing was written for this long; then the WAL is folded into the file.
IDLE_CHECKPOINT_S = 1.0

_open_databases: weakref.WeakSet[Database] = weakref.WeakSet()


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

    def __init__(self, url: str, *, create: bool = False, upgrade: bool = True, has_backup: bool = False):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # PostgreSQL has no file to copy aside: its owner confirms a pg_dump before an upgrade.
        self.has_backup = has_backup
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
        self._idle_timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        _open_databases.add(self)
        try:
            if self._stamped_revision() == newest_revision():
                return  # the common case: one query, and Alembic is never imported
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

    def _stamped_revision(self) -> str | None:
        try:
            with self.read_engine.connect() as connection:
                row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        except DBAPIError:
            return None  # a new database: no table yet
        return row[0] if row is not None else None

    def prepare_upgrade(self) -> None:
        """Before a schema upgrade: copy a SQLite file aside; refuse a PostgreSQL one without a backup."""
        if self.is_sqlite:
            self.backup_sqlite("before-upgrade")
            return
        if not self._owns_schema():  # a coder's role cannot upgrade anyway: no backup talk, send them to the owner
            raise PermissionDenied(
                "this project's database needs an upgrade that only its owner's role can make: "
                "open it once as the owner (any qualcode command)"
            )
        if not self.has_backup:
            raise BackupNeeded(
                f"this PostgreSQL project needs a schema upgrade (to {newest_revision()}); back it up first "
                "(pg_dump --format=custom --file=study.dump DBNAME)"
            )

    def _owns_schema(self) -> bool:
        """Whether this PostgreSQL role may alter the project's tables (owns them, or is a member of the owner)."""
        with self.read_engine.connect() as connection:
            owner = connection.exec_driver_sql(
                "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
            ).scalar()
            if owner is None:
                return True
            member = connection.execute(text("SELECT pg_has_role(current_user, :owner, 'USAGE')"), {"owner": owner})
            return bool(member.scalar())

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed at the end of the block, rolled back on any error."""
        try:
            with self._writer.begin() as session:
                yield session
        except DataError as exc:
            # vet() and the length checks should have caught it; never echo the SQL parameters (transcript text).
            raise ValueRefused(f"the database refused a value ({type(exc.orig).__name__})") from None
        except DBAPIError as exc:
            refusal = _refused(exc)
            if refusal is None:
                raise
            raise refusal from None
        self._schedule_checkpoint()

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

    def checkpoint(self) -> None:
        """Copy every committed page from the -wal file into the project file (SQLite; no-op elsewhere).

        PASSIVE never waits: a coder reading in another process keeps working, and whatever that
        reader still pins is folded in by the next checkpoint.
        """
        if self.is_sqlite:
            self._passive_checkpoint()

    def _passive_checkpoint(self) -> None:
        path = sqlite_path(self.url)
        if path is None or not path.exists():
            return  # never let a checkpoint create an empty project where the file went away
        connection = self.engine.raw_connection()
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").close()
        finally:
            connection.close()

    def _schedule_checkpoint(self) -> None:
        # Users copy, mail and sync the .db file alone, so a burst of writes must not stay in the WAL.
        if not self.is_sqlite:
            return
        with self._timer_lock:
            _open_databases.add(self)  # used again after a dispose: close it again at exit
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            self._idle_timer = threading.Timer(IDLE_CHECKPOINT_S, self._idle_checkpoint)
            self._idle_timer.daemon = True
            self._idle_timer.start()

    def _idle_checkpoint(self) -> None:
        try:
            self.checkpoint()
        except Exception:  # noqa: BLE001 - best effort; close() checkpoints again
            pass

    def dispose(self) -> None:
        """Close the project cleanly: checkpoint the WAL into the file, then close every connection.

        The CLI calls this at exit for every open database, and the workbench when it quits, so a
        closed project is one self-contained file.
        """
        with self._timer_lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
        if self.is_sqlite:
            try:
                self._passive_checkpoint()
            except Exception:  # noqa: BLE001 - a locked or vanished file must not stop the exit
                pass
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
        _open_databases.discard(self)

    close = dispose


def close_all() -> None:
    """Close every database this process opened (registered at exit)."""
    for db in list(_open_databases):
        db.dispose()


atexit.register(close_all)


def leftover_wal(url: str) -> str | None:
    """A sentence when a non-empty -wal file is beside the project, else None.

    Call it before opening the project: opening and closing it folds the WAL in.
    """
    path = sqlite_path(url)
    if path is None:
        return None
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return None
    return (
        f"{wal.name} ({wal.stat().st_size} bytes) is beside {path.name}: another qualcode has the project "
        f"open, or one did not close cleanly; until it is closed, a copy of {path.name} alone may miss "
        "recent work (opening and closing the project folds it in)"
    )


def _refused(exc: DBAPIError) -> PermissionDenied | None:
    """A team-mode refusal by the database (SQLSTATE 42501: a grant or row policy) as one line, no SQL."""
    if getattr(exc.orig, "sqlstate", None) != "42501":
        return None
    reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "permission denied"
    return PermissionDenied(f"refused by the database in team mode: {reason}")


def backup_to(source: Path, target: Path) -> None:
    import sqlite3

    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
