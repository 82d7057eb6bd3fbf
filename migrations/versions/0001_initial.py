"""Initial schema of the observation store: sources, observations, their revisions, meta (as create_all made it).

Revision ID: 0001_initial
Revises: None
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meta',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('observation_revisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('indicator_id', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('old_value', sa.Float(), nullable=True),
    sa.Column('old_numerator', sa.Float(), nullable=True),
    sa.Column('old_denominator', sa.Float(), nullable=True),
    sa.Column('old_synthetic', sa.Boolean(), nullable=True),
    sa.Column('old_derived', sa.Boolean(), nullable=True),
    sa.Column('old_source_id', sa.String(length=120), nullable=True),
    sa.Column('old_retrieved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('new_value', sa.Float(), nullable=False),
    sa.Column('new_source_id', sa.String(length=120), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('observation_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_revisions_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('licence', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.String(length=20), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('observations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('indicator_id', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('ci_lower', sa.Float(), nullable=True),
    sa.Column('ci_upper', sa.Float(), nullable=True),
    sa.Column('source_id', sa.String(length=120), nullable=False),
    sa.Column('retrieved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('derived', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'region', 'period', name='uq_observation')
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_indicator_id'), ['indicator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_indicator_id'))

    op.drop_table('observations')
    op.drop_table('sources')
    with op.batch_alter_table('observation_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_revisions_indicator_id'))

    op.drop_table('observation_revisions')
    op.drop_table('meta')
