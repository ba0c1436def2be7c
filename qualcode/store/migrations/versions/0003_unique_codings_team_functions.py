"""One coding per span, code and coder (exact duplicates removed, keeping the lowest id); team-mode functions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SPAN = ("document_id", "start", "end", "code_id", "coder_id")

audit_log = sa.table(
    "audit_log",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("coder", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def upgrade() -> None:
    bind = op.get_bind()
    _remove_duplicate_codings(bind)
    op.create_index("uq_codings_span", "codings", list(SPAN), unique=True)
    if bind.dialect.name == "postgresql":
        from qualcode.store.ddl import TEAM_FUNCTIONS

        for statement in TEAM_FUNCTIONS:
            bind.exec_driver_sql(statement)
        # A project already in team mode gets the stricter rules now, not at the next `team enable`.
        team_mode = bind.exec_driver_sql("SELECT value FROM project_meta WHERE key = 'team_mode'").scalar()
        if team_mode == "on":
            from qualcode.store.team import apply_rules

            apply_rules(bind)


def _remove_duplicate_codings(bind) -> None:
    """Keep the lowest id of each duplicate group; quotes and memos on a removed copy move to the kept one."""
    columns = ", ".join(f'"{c}"' for c in SPAN)
    joined = " AND ".join(f'c."{c}" = k."{c}"' for c in SPAN)
    pairs = bind.execute(sa.text(
        f"SELECT c.id, k.keep FROM codings c JOIN (SELECT {columns}, MIN(id) AS keep FROM codings "
        f"GROUP BY {columns} HAVING COUNT(*) > 1) k ON {joined} WHERE c.id <> k.keep ORDER BY c.id"
    )).all()
    now = datetime.now(timezone.utc)
    for removed, kept in pairs:
        bind.execute(sa.text("UPDATE quotes SET coding_id = :kept WHERE coding_id = :removed"), {"kept": kept, "removed": removed})
        bind.execute(sa.text("UPDATE memos SET target_id = :kept WHERE target = 'coding' AND target_id = :removed"),
                     {"kept": kept, "removed": removed})
        bind.execute(sa.text("DELETE FROM codings WHERE id = :removed"), {"removed": removed})
        # Audited so the log still replays to the codings that exist; no coder, so nobody's undo restores it.
        bind.execute(audit_log.insert().values(
            at=now, coder=None, action="delete", entity="coding", entity_id=removed,
            before={"id": removed, "duplicate_of": kept}, after={"migration": "0003"},
        ))


def downgrade() -> None:
    op.drop_index("uq_codings_span", table_name="codings")
