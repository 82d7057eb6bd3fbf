"""Tables of the partnership KPI module (SQLAlchemy Core, own MetaData; same engine as the observation store).

History is never overwritten: ``kpi_actuals`` holds the current value of each KPI-quarter with a version
number (optimistic concurrency), and every change is appended to ``kpi_audit``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

kpi_metadata = MetaData()

kpis = Table(
    "kpi_kpis", kpi_metadata,
    Column("id", String(80), primary_key=True),
    Column("position", Integer, nullable=False, default=0),      # order in the framework file
    Column("pillar", String(40), nullable=False),
    Column("name_en", Text, nullable=False),
    Column("name_ru", Text),
    Column("name_kk", Text),
    Column("unit", String(20), nullable=False),                    # percent | count | rate | number | days
    Column("unit_label_en", Text),
    Column("unit_label_ru", Text),
    Column("unit_label_kk", Text),
    Column("direction", String(20), nullable=False),               # higher_is_better | lower_is_better
    Column("baseline_value", Float, nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("target_value", Float, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("min_value", Float),                                    # allowed range of an actual
    Column("max_value", Float),
    Column("owner", Text),
    Column("definition", Text),
    Column("data_source", Text),
    Column("indicator_id", String(120)),                           # catalogue indicator whose data are the actuals
    Column("aggregation", String(20), nullable=False),             # cumulative | snapshot
    Column("illustrative", Boolean, nullable=False, default=False),
)

region_targets = Table(
    "kpi_region_targets", kpi_metadata,
    Column("kpi_id", String(80), primary_key=True),
    Column("region", String(10), primary_key=True),
    Column("target_value", Float, nullable=False),
)

actuals = Table(
    "kpi_actuals", kpi_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kpi_id", String(80), nullable=False),
    Column("quarter", String(7), nullable=False),
    Column("value", Float, nullable=False),
    Column("comment", Text),
    Column("evidence_url", Text),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("illustrative", Boolean, nullable=False, default=False),
    UniqueConstraint("kpi_id", "quarter", name="uq_kpi_actual"),
)

publications = Table(
    "kpi_publications", kpi_metadata,
    Column("quarter", String(7), primary_key=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("published_by", String(120), nullable=False),
)

audit = Table(
    "kpi_audit", kpi_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user", String(120), nullable=False),
    Column("action", String(20), nullable=False),                  # create | update | publish | load_framework
    Column("kpi_id", String(80)),
    Column("quarter", String(7)),
    Column("version", Integer),
    Column("old_value", Float),
    Column("new_value", Float),
    Column("comment", Text),
    Column("evidence_url", Text),
    Column("reason", Text),
)

kpi_meta = Table(
    "kpi_meta", kpi_metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text),
)
