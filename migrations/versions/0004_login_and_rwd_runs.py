"""Log-in tables (auth_sessions, auth_throttle) and rwd_runs under Alembic.

Before this revision the app created these three tables itself at start (``create_all`` in ``auth/schema.py`` and
``rwd/store_write.py``), so a store that ran the app already has them, with the columns below (they never changed)
and with data worth keeping (sessions, throttle counters, run reports): a table is only created where it is missing.

Revision ID: 0004_login_and_rwd_runs
Revises: 0003_revision_old_note
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_login_and_rwd_runs"
down_revision = "0003_revision_old_note"
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("auth_sessions"):
        op.create_table(
            "auth_sessions",
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("user_name", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("token_hash"),
        )
        with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_auth_sessions_user_name"), ["user_name"], unique=False)
    if _missing("auth_throttle"):
        op.create_table(
            "auth_throttle",
            sa.Column("key", sa.String(length=200), nullable=False),
            sa.Column("failures", sa.Integer(), nullable=False),
            sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("key"),
        )
    if _missing("rwd_runs"):
        op.create_table(
            "rwd_runs",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("extract_name", sa.Text(), nullable=False),
            sa.Column("as_of", sa.String(length=10), nullable=False),
            sa.Column("engine", sa.String(length=20), nullable=False),
            sa.Column("synthetic", sa.Boolean(), nullable=False),
            sa.Column("report", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )


def downgrade() -> None:
    op.drop_table("rwd_runs")
    op.drop_table("auth_throttle")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_sessions_user_name"))
    op.drop_table("auth_sessions")
