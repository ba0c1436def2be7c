"""Team mode on PostgreSQL: least privilege per coder role, enforced by grants, row-level security and the audit function."""

from __future__ import annotations

import re

from sqlalchemy import text

from qualcode.errors import InvalidInput, PermissionDenied
from qualcode.store import audit, coders, meta
from qualcode.store.engine import Database
from qualcode.store.orm import CoderRow

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

# What a coder role may do; everything else (documents, codes, coders, project_meta, participants'
# names, pseudonym keys, the audit log itself) is the owner's. Reads of the rest are plain SELECTs.
OWN_ROWS = ("codings", "memos", "suggestion_feedback")
CODER_WRITES = OWN_ROWS + ("proposals",)
CODER_READS = (
    "documents", "segments", "document_participants", "codes", "coders", "project_meta", "assignments",
    "agreement_audits", "quotes", "sets", "audit_log", "alembic_version",
)
# Participants: labels, roles and attributes; never names or aliases (they are the anonymisation key).
PARTICIPANT_COLUMNS = ("id", "guid", "label", "role", "attributes")
# Audit entries anyone may read; coding, memo and suggestion entries of others only while not blind;
# anything else (participants' details, quotes) is the owner's alone.
SHARED_AUDIT = ("code", "coder", "document", "project", "assignment", "agreement_audit", "set", "proposal",
                "proposal_run", "quote_bank")
BLINDED_AUDIT = ("coding", "memo", "suggestion")

MINE = "coder_id = qualcode_my_coder_id()"
VISIBLE = f"({MINE} OR NOT qualcode_blind_hidden())"


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{n}'" for n in names)


POLICIES: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "codings": {"SELECT": (VISIBLE, None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE), "DELETE": (MINE, None)},
    "memos": {"SELECT": (VISIBLE, None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE), "DELETE": (MINE, None)},
    "suggestion_feedback": {"SELECT": (MINE, None), "INSERT": (None, MINE), "UPDATE": (MINE, MINE), "DELETE": (MINE, None)},
    "audit_log": {"SELECT": (
        f"coder = qualcode_my_coder_name() OR entity IN ({_quoted(SHARED_AUDIT)}) "
        f"OR (entity IN ({_quoted(BLINDED_AUDIT)}) AND NOT qualcode_blind_hidden())", None)},
}


def _policy_sql() -> list[str]:
    statements = []
    for table, rules in POLICIES.items():
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for old in ("qualcode_read", "qualcode_own_write"):  # the policies of the first release
            statements.append(f"DROP POLICY IF EXISTS {old} ON {table}")
        for command, (using, check) in rules.items():
            name = f"qualcode_{command.lower()}"
            statements.append(f"DROP POLICY IF EXISTS {name} ON {table}")
            clause = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
            statements.append(f"CREATE POLICY {name} ON {table} FOR {command}{clause}")
    return statements


def _grant_sql(connection, role: str) -> list[str]:
    sequences = [
        connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": t}).scalar() for t in CODER_WRITES
    ]
    return [
        # Start from nothing: a role bound by the first release held write on every table.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
        f"GRANT SELECT ON {', '.join(CODER_READS)} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(CODER_WRITES)} TO {role}",
        f"GRANT SELECT ({', '.join(PARTICIPANT_COLUMNS)}) ON participants TO {role}",
        f"GRANT USAGE ON SEQUENCE {', '.join(s for s in sequences if s)} TO {role}",
        f"GRANT EXECUTE ON FUNCTION qualcode_audit_append(text, text, integer, text, json, json) TO {role}",
    ]


def _owner_role(connection) -> str:
    return connection.execute(
        text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'documents'")
    ).scalar()


def is_owner(connection) -> bool:
    """The connection's role owns the project's tables (or is a member of the owner role, or a superuser)."""
    return bool(connection.execute(text("SELECT pg_has_role(current_user, :o, 'MEMBER')"), {"o": _owner_role(connection)}).scalar())


def apply_rules(connection) -> None:
    """Policies on every table with coders' or participants' data, and fresh grants for every bound role."""
    connection.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"))
    for statement in _policy_sql():
        connection.execute(text(statement))
    owner = _owner_role(connection)
    roles = connection.execute(text("SELECT DISTINCT db_user FROM coders WHERE db_user IS NOT NULL")).scalars()
    for role in list(roles):
        if role != owner and ROLE_NAME.match(role) and _role_exists(connection, role):
            for statement in _grant_sql(connection, role):
                connection.execute(text(statement))


def _role_exists(connection, role: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _require_postgres(db: Database) -> None:
    if db.dialect != "postgresql":
        raise InvalidInput("team mode needs a PostgreSQL project (--db postgresql+psycopg://...)")


def _require_owner_role(session, what: str) -> None:
    if not is_owner(session.connection()):
        user = session.execute(text("SELECT current_user")).scalar()
        raise PermissionDenied(f"only the project owner's database role can {what}; '{user}' is a coder role")


def current_user(db: Database) -> str | None:
    if db.dialect != "postgresql":
        return None
    with db.reading() as session:
        return session.execute(text("SELECT current_user")).scalar()


def enable(db: Database) -> None:
    """Turn on team mode: row-level security and least-privilege grants (run as the database owner)."""
    _require_postgres(db)
    with db.transaction() as session:
        _require_owner_role(session, "turn on team mode")
        apply_rules(session.connection())
        meta.put(session, "team_mode", "on")
        audit.record(session, "enable", "team_mode", None, after={"team_mode": "on"})


def bind_coder(db: Database, coder: str, role: str) -> None:
    """Bind a coder to a database role and grant that role what coding needs, no more (run as the owner)."""
    _require_postgres(db)
    if not ROLE_NAME.match(role):
        raise InvalidInput(f"'{role}' is not a plain PostgreSQL role name (lowercase letters, digits, _)")
    with db.transaction() as session:
        _require_owner_role(session, "bind coders to roles")
        connection = session.connection()
        if not _role_exists(connection, role):
            raise InvalidInput(f"no database role '{role}'; create it first: CREATE ROLE {role} LOGIN PASSWORD '...'")
        taken = session.query(CoderRow).filter(CoderRow.db_user == role, CoderRow.name != coder).first()
        if taken is not None:
            raise InvalidInput(f"the role '{role}' is already bound to coder '{taken.name}'; one role per coder")
        row = session.query(CoderRow).filter(CoderRow.name == coder).one_or_none()
        if row is None:
            coders.add(session, coder, db_user=role)
        else:
            before = row.db_user
            row.db_user = role
            audit.record(session, "bind", "coder", row.id, before={"db_user": before}, after={"db_user": role})
        session.flush()
        if role != _owner_role(connection):
            for statement in _grant_sql(connection, role):
                session.execute(text(statement))


def team_mode_on(session) -> bool:
    return session.get_bind().dialect.name == "postgresql" and meta.get(session, "team_mode") == "on"


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


def require_owner(session, what: str) -> None:
    """Owner-only study-design actions (blind mode, reveal): in team mode, the owner's role and no other."""
    if team_mode_on(session):
        _require_owner_role(session, what)
