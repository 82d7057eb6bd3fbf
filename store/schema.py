"""Tables of the observation store (SQLAlchemy Core; SQLite by default, PostgreSQL by DATABASE_URL).

``observations`` is the one tidy table every page reads: one row per indicator × region × period, with
provenance (source, retrieval time) and flags for illustrative (synthetic) and derived values.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
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

OBSERVATION_COLUMNS: tuple[str, ...] = (
    "indicator_id", "region", "period", "value", "numerator", "denominator", "ci_lower", "ci_upper", "source_id",
    "retrieved_at", "synthetic", "derived", "note",
)
