"""The one page cache (docs/caching.md). ``ui.data.store_read``: a cached page read is keyed by the store, the read
policy and the store's data version by construction, so a write to the store makes the next read fresh (no stale
page), without any caller passing the version. ``ui.compute.cached_result``: keyed by the content of its inputs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import select

from core.access import Identity
from store import make_engine, observations_for
from store.revisions import write_observations
from store.schema import OBSERVATION_COLUMNS, sources

INDICATOR, PERIOD, REGION = "physicians_per_10k", "2022", "KZ-39"
EDITOR = Identity("erlan", "editor")


@pytest.fixture()
def internal_store(seeded_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A seeded store read by the internal instance (which checks the store's version on every read)."""
    import ui.context

    monkeypatch.setenv("DATABASE_URL", seeded_db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    monkeypatch.delenv("DENSAULYQ_CONFIG", raising=False)
    ui.context.settings.clear()
    yield seeded_db_url
    ui.context.settings.clear()


def _change_value(url: str, delta: float) -> float:
    """Write the region's value plus ``delta`` through the store's one write path, as another process would."""
    engine = make_engine(url)
    stored = observations_for(engine, INDICATOR)
    row = stored[(stored["region"] == REGION) & (stored["period"] == PERIOD)][list(OBSERVATION_COLUMNS)].copy()
    row["value"] = row["value"] + delta
    with engine.connect() as conn:
        source = dict(conn.execute(select(sources).where(sources.c.id == row["source_id"].iloc[0])).mappings().one())
    assert write_observations(engine, pd.DataFrame(row), source, EDITOR).changed == 1
    engine.dispose()
    return float(row["value"].iloc[0])


def _shown(frame: pd.DataFrame) -> float:
    return float(frame.set_index("region").loc[REGION, "value"])


def test_a_write_makes_the_next_read_fresh(internal_store: str) -> None:
    from ui import data

    before = _shown(data.observations(INDICATOR, PERIOD))
    assert _shown(data.observations(INDICATOR, PERIOD)) == before  # served from the cache
    written = _change_value(internal_store, 3.5)
    assert _shown(data.observations(INDICATOR, PERIOD)) == pytest.approx(written) == pytest.approx(before + 3.5)


def test_a_write_reaches_the_map_built_from_the_read(internal_store: str) -> None:
    from ui import data
    from ui.map_view import map_view

    indicator = data.catalogue()[INDICATOR]

    def drawn() -> float:
        _fig, frame, _obs = map_view(indicator, PERIOD, "value", 0.95, "byar", "en")
        return _shown(frame)

    before = drawn()
    _change_value(internal_store, -2.0)
    assert drawn() == pytest.approx(before - 2.0)


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch):
    """A store read that counts its builds, with the store's version and URL under the test's control."""
    import ui.data

    state = {"version": "v1", "url": "sqlite:///a.sqlite", "builds": []}
    monkeypatch.setattr(ui.data, "store_version", lambda *a, **k: state["version"])
    monkeypatch.setattr(ui.data, "_url", lambda: state["url"])
    monkeypatch.setattr(ui.data, "policy", lambda: "public policy")
    monkeypatch.setattr(ui.data, "language", lambda: "ru")

    @ui.data.store_read(8)
    def read_twice(read: ui.data.StoreRead, n: int) -> list[int]:
        state["builds"].append((read.url, read.version, n))
        return [n, n]

    return state, read_twice


def test_the_decorator_keys_on_the_store_version(counted) -> None:
    state, read_twice = counted
    assert read_twice(1) == read_twice(1) == [1, 1]
    assert state["builds"] == [("sqlite:///a.sqlite", "v1", 1)]
    state["version"] = "v2"  # a write somewhere
    assert read_twice(1) == [1, 1]
    assert state["builds"][-1] == ("sqlite:///a.sqlite", "v2", 1) and len(state["builds"]) == 2


def test_two_stores_never_share_an_entry_and_callers_get_their_own_copy(counted) -> None:
    state, read_twice = counted
    mine = read_twice(2)
    mine.append(99)  # a caller changing what it got
    state["url"] = "sqlite:///b.sqlite"
    assert read_twice(2) == [2, 2]
    state["url"] = "sqlite:///a.sqlite"
    assert read_twice(2) == [2, 2] and len(state["builds"]) == 2


def test_the_language_is_part_of_the_key_unless_a_read_has_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.data

    lang = {"now": "en"}
    monkeypatch.setattr(ui.data, "store_version", lambda *a, **k: "v1")
    monkeypatch.setattr(ui.data, "_url", lambda: "sqlite:///a.sqlite")
    monkeypatch.setattr(ui.data, "policy", lambda: "p")
    monkeypatch.setattr(ui.data, "language", lambda: lang["now"])

    @ui.data.store_read()
    def title(read: ui.data.StoreRead) -> str:
        return {"en": "Map", "ru": "Карта"}[read.lang or "en"]

    @ui.data.store_read(per_language=False)
    def plain(read: ui.data.StoreRead) -> str | None:
        return read.lang

    assert (title(), plain()) == ("Map", None)
    lang["now"] = "ru"
    assert (title(), plain()) == ("Карта", None)


_CALLS: list[float] = []


def _mean(frame: pd.DataFrame, factor: float) -> float:
    _CALLS.append(factor)
    return float(frame["x"].mean() * factor)


def test_a_pure_result_is_computed_once_per_content_of_its_inputs() -> None:
    from ui.compute import cached_result

    _CALLS.clear()
    assert cached_result(_mean, pd.DataFrame({"x": [1.0, 3.0]}), 2.0) == 4.0
    assert cached_result(_mean, pd.DataFrame({"x": [1.0, 3.0]}), 2.0) == 4.0  # another frame, same cells
    assert len(_CALLS) == 1
    assert cached_result(_mean, pd.DataFrame({"x": [1.0, 5.0]}), 2.0) == 6.0  # one cell changed: new data
    assert cached_result(_mean, pd.DataFrame({"x": [1.0, 3.0]}), 3.0) == 6.0  # another argument
    assert len(_CALLS) == 3


def test_content_keys_follow_cells_inside_containers_and_dataclasses() -> None:
    from catalogue import load_catalogue
    from ui.process_cache import content_key

    indicator = load_catalogue()[INDICATOR]
    frame = pd.DataFrame({"region": ["KZ-39"], "value": [21.5]})
    same = content_key((indicator, {"obs": frame.copy()}))
    assert content_key((indicator, {"obs": frame})) == same
    assert content_key((indicator, {"obs": frame.assign(value=21.6)})) != same
    assert content_key((replace(indicator, decimals=indicator.decimals + 1), {"obs": frame})) != same


def test_table_fingerprints_follow_cells_names_types_and_index_and_survive_unpicklable_cells() -> None:
    from ui.process_cache import frame_digest

    def table() -> pd.DataFrame:  # built afresh each time, as a page builds its table on every run
        return pd.DataFrame({"Region": ["Abai", "Astana"], "Value": [21.5, 30.25], "Trend": [[1.0, 2.0], [3.0, 1.0]]})

    same = frame_digest(table())
    assert frame_digest(table()) == same
    assert frame_digest(table().assign(Value=[21.5, 30.5])) != same
    assert frame_digest(table().assign(Trend=[[1.0, 2.0], [3.0, 2.0]])) != same
    assert frame_digest(table().rename(columns={"Value": "Value, %"})) != same
    assert frame_digest(table().astype({"Value": "float32"})) != same
    assert frame_digest(table().set_axis([5, 6])) != same
    unpicklable = table().assign(Fn=[lambda: 1, lambda: 2])  # hashed cell by cell (by their text) instead
    assert frame_digest(unpicklable) is not None and frame_digest(unpicklable) != same
