"""The overview under AppTest: cards name their period, freshness is per source."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page, screen_text

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


def test_overview_cards_name_their_period_and_freshness_is_per_source(store_url):
    from analytics.profile import national_headlines
    from catalogue import load_catalogue
    from data_sources.seed import open_store
    from store import all_sources, observations_for

    at = open_page("pages/overview.py")
    engine = open_store(store_url)
    headlines = national_headlines(observations_for(engine), load_catalogue())
    newest = max(int(p[:4]) for p in headlines["period"])
    dtp3 = headlines.set_index("indicator_id").loc["immunization_dtp3_pct", "period"]
    assert int(dtp3[:4]) <= newest - 5, "the store's DTP3 coverage is older than 5 years (2017)"
    text = screen_text(at)
    cards = {m.label for m in at.metric}
    # Issue 20 §14: headlines are the featured indicators with a value in the last 5 years (up to the newest one).
    assert "DTP3 immunisation coverage" not in cards and f"value for {dtp3}" not in text
    assert "Not shown here, as their latest national value is older: DTP3 immunisation coverage" in text
    shown = headlines[[int(p[:4]) > newest - 5 for p in headlines["period"]]]
    assert len(cards) == len(shown) > 3
    for period in shown["period"]:
        assert f"value for {period}" in text
    fresh = next(f.value for f in at.dataframe if "Latest period" in f.value.columns)
    assert len(fresh) == all_sources(engine)["id"].isin(observations_for(engine)["source_id"]).sum()
    assert fresh["Latest period"].nunique() > 3, "each source names its own latest period"
    assert fresh["Latest period"].iloc[0] >= fresh["Latest period"].iloc[-1]
