"""Create a new project schema and stamp it, or back up an old one and upgrade it with Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from qualcode.store.ddl import create_extra_schema
from qualcode.store.orm import Base, MetaRow

if TYPE_CHECKING:
    from qualcode.store.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(db: Database, upgrade: bool = True) -> None:
    """New database: create_all + stamp head. Older revision: backup, then upgrade."""
    with db.read_engine.connect() as connection:
        revision = current_revision(connection)
        has_tables = inspect(connection).has_table("documents")
    if not has_tables:
        with db.engine.begin() as connection:
            Base.metadata.create_all(connection)
            create_extra_schema(connection)
            connection.execute(MetaRow.__table__.insert(), [{"key": "codebook_version", "value": "1"}])
            command.stamp(alembic_config(connection), "head")
        return
    head = head_revision()
    if revision == head or not upgrade:
        return
    db.prepare_upgrade()
    with db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
