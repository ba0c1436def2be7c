"""Index the audit log by entity and coder, so undo/redo history stays fast on long projects.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_entity_coder", "audit_log", ["entity", "coder", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity_coder", table_name="audit_log")
