"""Several replicas share one store: a change written by another process reaches this process's cached pages within
``ui.data.VERSION_CHECK_S`` seconds, without a restart (page caches are keyed by the store's data version)."""

from __future__ import annotations

import time

import pandas as pd
import pytest
import streamlit
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.access import Identity
from store import make_engine, observations_for
from store.revisions import write_observations
from store.schema import OBSERVATION_COLUMNS, sources
from tests.conftest import ROOT
from tests.figures import page_figures

INDICATOR, PERIOD, REGION = "physicians_per_10k", "2022", "KZ-39"


def drawn_value(at: AppTest) -> float:
    fig = page_figures(at)[0]
    values = {row[0]: row[1] for trace in fig["data"] for row in trace["customdata"]}
    return values[REGION]


def test_a_value_changed_by_another_replica_shows_on_the_map_within_seconds(
        app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.data

    monkeypatch.setattr(ui.data, "VERSION_CHECK_S", 0.5)
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["indicator"], at.query_params["period"] = INDICATOR, PERIOD
    at.run()
    at.switch_page("pages/regional_map.py")
    at.run()
    assert not at.exception
    before = drawn_value(at)

    other_replica = make_engine(app_env)  # its own engine and connections, like another process
    stored = observations_for(other_replica, INDICATOR)
    row = stored[(stored["region"] == REGION) & (stored["period"] == PERIOD)][list(OBSERVATION_COLUMNS)].copy()
    row["value"] = before + 7.25
    with other_replica.connect() as conn:
        source = dict(conn.execute(select(sources).where(sources.c.id == row["source_id"].iloc[0])).mappings().one())
    summary = write_observations(other_replica, pd.DataFrame(row), source, Identity("erlan", "editor"))
    assert summary.changed == 1
    other_replica.dispose()

    time.sleep(0.6)
    at.run()
    assert not at.exception
    assert drawn_value(at) == pytest.approx(before + 7.25)
    shown = str(at.dataframe[0].value.set_index("Code").loc[REGION].iloc[2])  # the table shows formatted numbers
    assert float(shown.replace("\u00a0", "").replace(",", "")) == pytest.approx(before + 7.25, abs=0.1)
