"""The store opens, seeds and reads the same on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from data_sources.seed import init_store
from store import make_engine
from store.schema import observations


def test_the_store_seeds_the_same_rows_on_both_databases(any_db_url: str) -> None:
    engine = init_store(make_engine(any_db_url))
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(observations)).scalar_one()
        regions = conn.execute(select(func.count(observations.c.region.distinct()))).scalar_one()
    engine.dispose()
    assert rows > 1000
    assert regions == 21  # the 20 units and KZ


def test_the_data_version_changes_with_every_kind_of_write(any_db_url: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import insert, update

    from store import data_version
    from store.schema import observation_revisions, sources

    engine = init_store(make_engine(any_db_url))
    seen = {data_version(engine)}
    assert data_version(engine) in seen  # stable while nothing is written
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(update(sources).where(sources.c.id == select(func.min(sources.c.id)).scalar_subquery())
                     .values(last_attempt_at=now))
    seen.add(data_version(engine))
    with engine.begin() as conn:
        conn.execute(insert(observation_revisions).values(
            indicator_id="x", region="KZ-10", period="2024", new_value=1.0, new_source_id="s", changed_at=now,
            changed_by="test"))
    seen.add(data_version(engine))
    engine.dispose()
    assert len(seen) == 3
