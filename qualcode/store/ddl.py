"""Dialect-specific schema the ORM cannot express: full-text index and append-only audit triggers."""

from __future__ import annotations

from sqlalchemy.engine import Connection

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5("
    "text, content='segments', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts_vocab USING fts5vocab(segments_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS segments_fts_ai AFTER INSERT ON segments BEGIN "
    "INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS segments_fts_ad AFTER DELETE ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS segments_fts_au AFTER UPDATE OF text ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN "
    "SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN "
    "SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]

POSTGRES_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_segments_tsv ON segments USING GIN (to_tsvector('english', text))",
    "CREATE INDEX IF NOT EXISTS ix_segments_trgm ON segments USING GIN (text gin_trgm_ops)",
    "CREATE OR REPLACE FUNCTION qualcode_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION qualcode_audit_append_only()",
]


def create_extra_schema(connection: Connection) -> None:
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in statements:
        if statement.startswith("CREATE EXTENSION"):
            # pg_trgm may be unavailable to a non-superuser; fuzzy search then falls back to ILIKE.
            try:
                with connection.begin_nested():
                    connection.exec_driver_sql(statement)
            except Exception:  # noqa: BLE001 - any failure here only disables trigram search
                pass
            continue
        if "gin_trgm_ops" in statement and not _has_trgm(connection):
            continue
        connection.exec_driver_sql(statement)


def _has_trgm(connection: Connection) -> bool:
    row = connection.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first()
    return row is not None
