"""Every table of the product, in one ``MetaData`` (SQLAlchemy Core; SQLite by default, PostgreSQL by DATABASE_URL).

This module is the schema: Alembic (``migrations/``) compares it with a database and ``alembic upgrade head``
(``store.migrate.upgrade``) is the only thing that creates or changes tables. A new column goes here, then into a
migration (``migrations/README.md``). The packages that use a table import it from here (``kpi.schema`` and
``auth.schema`` name theirs).

* Observations: ``observations`` is the one tidy table every page reads: one row per indicator × region × period,
  with provenance (source, retrieval time) and flags for illustrative (synthetic) and derived values; ``sources``,
  ``observation_revisions`` (every replaced value), ``meta``.
* KPI module (``kpi_*``): history is never overwritten: ``kpi_actuals`` holds the current value of each
  KPI-quarter with a version number (optimistic concurrency), and every change is appended to ``kpi_audit``.
* Log-in (``auth_*``): ``auth_sessions`` holds one row per log-in, only the SHA-256 of the random token the
  browser's cookie carries (a copy of the table logs nobody in); ``auth_throttle`` counts failed log-ins per user
  name and per client address, so every replica on the same database applies the same delays.
* Real-world data: ``rwd_runs``, the report of each ``python -m rwd compute`` run.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

sources = Table(
    "sources", metadata,
    Column("id", String(120), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text),
    Column("url", Text),
    Column("licence", Text, nullable=False),
    Column("kind", String(20), nullable=False, default="snapshot"),  # snapshot | api | upload | derived | synthetic
    Column("as_of", DateTime(timezone=True)),             # when the data were last retrieved successfully
    Column("last_attempt_at", DateTime(timezone=True)),   # last refresh attempt, successful or not
    Column("last_status", String(20), default="ok"),      # ok | failed
    Column("last_error", Text),
)

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", String(120), nullable=False, index=True),
    Column("region", String(10), nullable=False),  # ISO 3166-2:KZ code, or "KZ" for the national value
    Column("period", String(7), nullable=False),   # "2024" or "2024Q3"
    Column("value", Float, nullable=False),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("ci_lower", Float),
    Column("ci_upper", Float),
    Column("source_id", String(120), ForeignKey("sources.id"), nullable=False),
    Column("retrieved_at", DateTime(timezone=True), nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("derived", Boolean, nullable=False, default=False),
    Column("note", Text),
    UniqueConstraint("indicator_id", "region", "period", name="uq_observation"),
)

meta = Table(
    "meta", metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text),
)

observation_revisions = Table(
    "observation_revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", String(120), nullable=False, index=True),
    Column("region", String(10), nullable=False),
    Column("period", String(7), nullable=False),
    Column("old_value", Float),
    Column("old_numerator", Float),
    Column("old_denominator", Float),
    Column("old_synthetic", Boolean),
    Column("old_derived", Boolean),
    Column("old_source_id", String(120)),
    Column("old_retrieved_at", DateTime(timezone=True)),
    Column("old_note", Text),  # e.g. a boundary note the new row replaced
    Column("new_value", Float, nullable=False),
    Column("new_source_id", String(120), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", Text, nullable=False),  # the user (or "system (CLI)") who ran the import or refresh
)

# --- KPI module ------------------------------------------------------------------------------------------------

kpi_kpis = Table(
    "kpi_kpis", metadata,
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

kpi_region_targets = Table(
    "kpi_region_targets", metadata,
    Column("kpi_id", String(80), primary_key=True),
    Column("region", String(10), primary_key=True),
    Column("target_value", Float, nullable=False),
)

kpi_actuals = Table(
    "kpi_actuals", metadata,
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

kpi_publications = Table(
    "kpi_publications", metadata,
    Column("quarter", String(7), primary_key=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("published_by", String(120), nullable=False),
)

kpi_audit = Table(
    "kpi_audit", metadata,
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
    "kpi_meta", metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text),
)

# --- Log-in ------------------------------------------------------------------------------------------------------

auth_sessions = Table(
    "auth_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

auth_throttle = Table(
    "auth_throttle", metadata,
    Column("key", String(200), primary_key=True),  # "user:<name>" or "addr:<client address>"
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failure_at", DateTime(timezone=True)),
    Column("blocked_until", DateTime(timezone=True)),
)

# --- Real-world data runs ----------------------------------------------------------------------------------------

rwd_runs = Table(
    "rwd_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("extract_name", Text, nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("engine", String(20), nullable=False),
    Column("synthetic", Boolean, nullable=False),
    Column("report", Text, nullable=False),  # JSON: checks, coverage by region, definitions, periods (aggregates)
)

OBSERVATION_COLUMNS: tuple[str, ...] = (
    "indicator_id", "region", "period", "value", "numerator", "denominator", "ci_lower", "ci_upper", "source_id",
    "retrieved_at", "synthetic", "derived", "note",
)
