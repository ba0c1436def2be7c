"""Dialect-specific schema the ORM cannot express: full-text index, append-only audit, team-mode functions."""

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

# Team mode (qualcode.store.team) builds on these. A coder role has no INSERT on audit_log: its entries go
# through qualcode_audit_append, which runs as the owner and writes the coder bound to the caller's
# login role, never a name the caller supplies, and only for a coding that is the caller's own in
# the state the same transaction left it. So an audit entry cannot be forged in another's name.
TEAM_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION qualcode_my_coder_id() RETURNS integer LANGUAGE sql STABLE AS "
    "$$ SELECT min(id) FROM coders WHERE db_user = current_user $$",
    "CREATE OR REPLACE FUNCTION qualcode_my_coder_name() RETURNS text LANGUAGE sql STABLE AS "
    "$$ SELECT min(name) FROM coders WHERE db_user = current_user $$",
    # Blind and not yet revealed: the rule the workbench shows, now also the rule the database applies.
    "CREATE OR REPLACE FUNCTION qualcode_blind_hidden() RETURNS boolean LANGUAGE sql STABLE AS "
    "$$ SELECT coalesce((SELECT value FROM project_meta WHERE key = 'blind_mode'), 'off') = 'on' "
    "AND coalesce((SELECT value FROM project_meta WHERE key = 'revealed'), 'off') <> 'on' $$",
    """CREATE OR REPLACE FUNCTION qualcode_audit_append(
        p_action text, p_entity text, p_entity_id integer, p_coder text, p_before json, p_after json)
    RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        me record;
        new_id integer;
        state json;
        exists_own boolean;
        exists_other boolean;
    BEGIN
        IF pg_has_role(session_user, (SELECT tableowner FROM pg_tables
                                      WHERE schemaname = 'public' AND tablename = 'audit_log'), 'MEMBER') THEN
            INSERT INTO audit_log (at, coder, action, entity, entity_id, before, after)
            VALUES (now(), p_coder, p_action, p_entity, p_entity_id, p_before, p_after) RETURNING id INTO new_id;
            RETURN new_id;
        END IF;
        SELECT id, name INTO me FROM coders WHERE db_user = session_user ORDER BY id LIMIT 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'the database role ' || session_user || ' is not bound to a coder';
        END IF;
        IF p_entity NOT IN ('coding', 'memo', 'suggestion', 'proposal', 'proposal_run') THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'coder ' || me.name || ' may not write ' || p_entity || ' entries to the audit log';
        END IF;
        IF p_entity = 'coding' THEN
            exists_own := EXISTS (SELECT 1 FROM codings WHERE id = p_entity_id AND coder_id = me.id);
            exists_other := EXISTS (SELECT 1 FROM codings WHERE id = p_entity_id AND coder_id <> me.id);
            state := CASE WHEN p_action IN ('undo', 'redo') THEN p_after -> 'state' ELSE p_after END;
            IF exists_other
               OR coalesce((p_before ->> 'coder_id')::integer, me.id) <> me.id
               OR coalesce((state ->> 'coder_id')::integer, me.id) <> me.id
               OR (p_action IN ('add', 'update') AND NOT exists_own)
               OR (p_action = 'delete' AND exists_own)
               OR (p_action IN ('undo', 'redo') AND exists_own <> (state IS NOT NULL AND json_typeof(state) = 'object'))
            THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'coder ' || me.name || ' cannot record ' || p_action || ' of coding '
                              || coalesce(p_entity_id::text, '?') || ' (not their own, or not what was done)';
            END IF;
        ELSIF p_entity = 'memo' AND EXISTS (SELECT 1 FROM memos WHERE id = p_entity_id
                                            AND coder_id IS DISTINCT FROM me.id) THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'coder ' || me.name || ' cannot record a change to memo ' || coalesce(p_entity_id::text, '?');
        END IF;
        INSERT INTO audit_log (at, coder, action, entity, entity_id, before, after)
        VALUES (now(), me.name, p_action, p_entity, p_entity_id, p_before, p_after) RETURNING id INTO new_id;
        RETURN new_id;
    END $$""",
    # Only roles granted it by `team bind` may call it.
    "REVOKE ALL ON FUNCTION qualcode_audit_append(text, text, integer, text, json, json) FROM PUBLIC",
]


def create_extra_schema(connection: Connection) -> None:
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL + TEAM_FUNCTIONS
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
