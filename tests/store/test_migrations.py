"""The Alembic history builds the same schema as the ORM, on every backend."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from qualcode.store import Database
from qualcode.store.migrate import alembic_config, current_revision, head_revision


def schema_of(engine):
    inspector = sa.inspect(engine)
    return {
        table: sorted((c["name"], str(c["type"]).split("(")[0], c["nullable"]) for c in inspector.get_columns(table))
        for table in inspector.get_table_names()
        if not table.startswith("segments_fts")
    }


def test_migrations_match_the_orm_and_stamp_head(tmp_path):
    created = Database(f"sqlite:///{tmp_path / 'created.db'}", create=True)
    migrated_engine = sa.create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    with migrated_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert schema_of(created.engine) == schema_of(migrated_engine)
    with created.engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    # The migrated file opens as a project and keeps its search triggers.
    migrated_engine.dispose()
    reopened = Database(f"sqlite:///{tmp_path / 'migrated.db'}")
    with reopened.reading() as s:
        names = set(s.execute(sa.text("SELECT name FROM sqlite_master WHERE type='trigger'")).scalars())
    assert {"segments_fts_ai", "audit_log_no_update"} <= names


def test_postgres_schema_from_create_is_complete(db):
    names = set(sa.inspect(db.engine).get_table_names())
    assert {"documents", "segments", "codings", "audit_log", "proposals", "quotes", "pseudonym_keys"} <= names
