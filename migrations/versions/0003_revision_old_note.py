"""observation_revisions.old_note: the note a revised value had (hardening).

Stores that ran the app between that change and this migration already have the column (``add_missing_columns``
added it), so it is only added where missing.

Revision ID: 0003_revision_old_note
Revises: 0002_kpi_tables
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_revision_old_note"
down_revision = "0002_kpi_tables"
branch_labels = None
depends_on = None


def _has_column(table: str, column: str) -> bool:
    return column in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    if not _has_column("observation_revisions", "old_note"):
        with op.batch_alter_table("observation_revisions", schema=None) as batch_op:
            batch_op.add_column(sa.Column("old_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observation_revisions", schema=None) as batch_op:
        batch_op.drop_column("old_note")
