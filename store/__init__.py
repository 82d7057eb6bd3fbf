"""Observation store (SQLAlchemy): schema, opening/seeding, and read queries."""

from store.db import init_store, make_engine, open_store
from store.queries import all_sources, observations_for, periods_for, with_sources
from store.version import data_version

__all__ = ["all_sources", "data_version", "init_store", "make_engine", "observations_for", "open_store", "periods_for",
           "with_sources"]
