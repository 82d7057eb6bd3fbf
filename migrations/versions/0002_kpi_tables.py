"""KPI tables (framework, region targets, actuals, publications, audit log, meta), as create_all made them.

Revision ID: 0002_kpi_tables
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_kpi_tables'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kpi_actuals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kpi_id', sa.String(length=80), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kpi_id', 'quarter', name='uq_kpi_actual')
    )
    op.create_table('kpi_audit',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('kpi_id', sa.String(length=80), nullable=True),
    sa.Column('quarter', sa.String(length=7), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('old_value', sa.Float(), nullable=True),
    sa.Column('new_value', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('kpi_kpis',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('pillar', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('name_ru', sa.Text(), nullable=True),
    sa.Column('name_kk', sa.Text(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_label_en', sa.Text(), nullable=True),
    sa.Column('unit_label_ru', sa.Text(), nullable=True),
    sa.Column('unit_label_kk', sa.Text(), nullable=True),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=False),
    sa.Column('baseline_date', sa.Date(), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('min_value', sa.Float(), nullable=True),
    sa.Column('max_value', sa.Float(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('data_source', sa.Text(), nullable=True),
    sa.Column('indicator_id', sa.String(length=120), nullable=True),
    sa.Column('aggregation', sa.String(length=20), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('kpi_meta',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('kpi_publications',
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('quarter')
    )
    op.create_table('kpi_region_targets',
    sa.Column('kpi_id', sa.String(length=80), nullable=False),
    sa.Column('region', sa.String(length=10), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('kpi_id', 'region')
    )


def downgrade() -> None:
    op.drop_table('kpi_region_targets')
    op.drop_table('kpi_publications')
    op.drop_table('kpi_meta')
    op.drop_table('kpi_kpis')
    op.drop_table('kpi_audit')
    op.drop_table('kpi_actuals')
