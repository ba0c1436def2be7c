"""Team mode on PostgreSQL: each coder writes through their own database role, enforced by row-level security."""

from __future__ import annotations

import re

from sqlalchemy import text

from qualcode.errors import InvalidInput, PermissionDenied
from qualcode.store import audit, coders, meta
from qualcode.store.engine import Database
from qualcode.store.orm import CoderRow

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
CODER_TABLES = ("codings", "memos", "suggestion_feedback")
SHARED_WRITE_TABLES = (
    "documents", "segments", "participants", "document_participants", "codes", "coders", "project_meta",
    "assignments", "agreement_audits", "proposals", "quotes", "pseudonym_keys", "sets", "audit_log",
)

# A coding may be written only by the role bound to its coder; everyone reads everything
# (blind mode is a presentation rule in the workbench, not a secret).
POLICY_SQL = [
    "ALTER TABLE codings ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS qualcode_read ON codings",
    "CREATE POLICY qualcode_read ON codings FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS qualcode_own_write ON codings",
    "CREATE POLICY qualcode_own_write ON codings FOR ALL "
    "USING (coder_id IN (SELECT id FROM coders WHERE db_user = current_user)) "
    "WITH CHECK (coder_id IN (SELECT id FROM coders WHERE db_user = current_user))",
]


def current_user(db: Database) -> str | None:
    if db.dialect != "postgresql":
        return None
    with db.reading() as session:
        return session.execute(text("SELECT current_user")).scalar()


def enable(db: Database) -> None:
    """Turn on row-level security for codings (run as the database owner)."""
    if db.dialect != "postgresql":
        raise InvalidInput("team mode needs a PostgreSQL project (--db postgresql+psycopg://...)")
    with db.transaction() as session:
        for statement in POLICY_SQL:
            session.execute(text(statement))
        meta.put(session, "team_mode", "on")
        audit.record(session, "enable", "team_mode", None, after={"team_mode": "on"})


def bind_coder(db: Database, coder: str, role: str) -> None:
    """Bind a coder to a database role and grant that role what coding needs (run as the owner)."""
    if db.dialect != "postgresql":
        raise InvalidInput("team mode needs a PostgreSQL project")
    if not ROLE_NAME.match(role):
        raise InvalidInput(f"'{role}' is not a plain PostgreSQL role name (lowercase letters, digits, _)")
    with db.transaction() as session:
        exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if not exists:
            raise InvalidInput(f"no database role '{role}'; create it first: CREATE ROLE {role} LOGIN PASSWORD '...'")
        row = session.query(CoderRow).filter(CoderRow.name == coder).one_or_none()
        if row is None:
            coders.add(session, coder, db_user=role)
        else:
            before = row.db_user
            row.db_user = role
            audit.record(session, "bind", "coder", row.id, before={"db_user": before}, after={"db_user": role})
        tables = ", ".join(CODER_TABLES + SHARED_WRITE_TABLES)
        session.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {role}"))
        session.execute(text("GRANT SELECT ON alembic_version TO " + role))
        session.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))


def check_identity(db: Database, coder_name: str) -> None:
    """In team mode a connection may act only as the coder bound to its role."""
    if db.dialect != "postgresql":
        return
    with db.reading() as session:
        if meta.get(session, "team_mode") != "on":
            return
        user = session.execute(text("SELECT current_user")).scalar()
        row = session.query(CoderRow).filter(CoderRow.name == coder_name).one_or_none()
    if row is None or row.db_user != user:
        raise PermissionDenied(
            f"in team mode the database role '{user}' cannot code as '{coder_name}'; "
            "connect with that coder's own role"
        )
