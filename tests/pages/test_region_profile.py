"""The region profile under AppTest: each value with its indicator's decimals, and downloads with human headers
for people and machine ids in the tidy CSV."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.apptest_helpers import MACHINE_IDS, open_page, screen_text

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


def test_profile_formats_each_value_with_its_indicators_decimals_and_shows_no_none(store_url):
    from catalogue import load_catalogue
    from core.i18n import format_number
    from data_sources.seed import open_store
    from store import observations_for

    at = open_page("pages/region_profile.py", {"region": "KZ-75"})
    catalogue = load_catalogue()
    rows = {re.sub(r" \[\d+\]$", "", row["Indicator"]): row for frame in at.table  # "[n]": the source's note
            if "Indicator" in frame.value.columns for _i, row in frame.value.iterrows()}
    for indicator_id in ("population_total", "life_expectancy_years", "physicians_per_10k"):
        ind = catalogue[indicator_id]
        obs = observations_for(open_store(store_url), indicator_id, region="KZ-75")
        latest = obs.sort_values("period").iloc[-1]
        assert rows[ind.label("en")]["Value"] == format_number(latest["value"], "en", ind.decimals), indicator_id
    text = screen_text(at)
    assert "None" not in text and "nan" not in text.split()


def test_profile_downloads_human_headers_for_people_and_machine_ids_in_the_tidy_csv(monkeypatch):
    import io

    import ui.downloads

    served: list[bytes] = []
    real = ui.downloads.to_csv_bytes
    monkeypatch.setattr(ui.downloads, "to_csv_bytes", lambda df, *lang: served.append(real(df, *lang)) or served[-1])
    monkeypatch.setattr(ui.downloads, "deferred", lambda build, *args: build(*args))  # build as if clicked
    open_page("pages/region_profile.py", {"region": "KZ-75"})
    people, tidy = (pd.read_csv(io.BytesIO(b), encoding="utf-8-sig") for b in served[:2])
    assert not [c for c in people.columns if c in MACHINE_IDS or "_" in c], list(people.columns)
    assert {"Indicator", "Value", "Kazakhstan", "Unit"} <= set(people.columns)
    assert pd.api.types.is_numeric_dtype(people["Value"]), "numbers stay numbers in the people's file"
    assert {"indicator_id", "ci_lower", "ci_upper", "region"} <= set(tidy.columns)
