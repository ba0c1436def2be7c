"""The Alembic history builds the same schema as the ORM, on every backend."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from qualcode.store import Database
from qualcode.store.migrate import alembic_config, current_revision, head_revision


def schema_of(engine):
    inspector = sa.inspect(engine)
    return {
        table: (
            sorted((c["name"], str(c["type"]).split("(")[0], c["nullable"]) for c in inspector.get_columns(table)),
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
        )
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


def test_an_older_project_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO documents (guid, title, kind, text, meta, word_count, created) "
            "VALUES ('g', 'kept', 'interview', 'some words', '{}', 2, '2026-01-01')"
        )
    engine.dispose()
    db = Database(f"sqlite:///{path}")
    backups = list(tmp_path.glob("old.before-upgrade-*.db"))
    assert len(backups) == 1
    with db.reading() as s:
        assert s.execute(sa.text("SELECT title FROM documents")).scalar() == "kept"
        assert "ix_audit_log_entity_coder" in {i["name"] for i in sa.inspect(s.connection()).get_indexes("audit_log")}
    with db.engine.connect() as connection:
        assert current_revision(connection) == head_revision() == "0003"
    old = sa.create_engine(f"sqlite:///{backups[0]}")
    with old.connect() as connection:
        assert current_revision(connection) == "0001"
        assert connection.exec_driver_sql("SELECT count(*) FROM documents").scalar() == 1
    old.dispose()
