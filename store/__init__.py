"""Observation store (SQLAlchemy): every table (``store.schema``), migrations, the one write path, read queries."""

from store.db import ensure_schema, make_engine, open_store
from store.queries import all_sources, observations_for, periods_for, with_sources
from store.version import data_version

__all__ = ["all_sources", "data_version", "ensure_schema", "make_engine", "observations_for", "open_store",
           "periods_for", "with_sources"]
