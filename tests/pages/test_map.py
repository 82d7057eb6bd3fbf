"""The regional map page under AppTest, as a reader notices it: the recent change up to the period shown, every
source named in full."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


def test_map_recent_change_describes_the_trend_up_to_the_period_shown(store_url):
    from data_sources.seed import open_store
    from store import periods_for

    second = periods_for(open_store(store_url), "life_expectancy_years", regional_only=True)[1]
    at = open_page("pages/regional_map.py", {"indicator": "life_expectancy_years", "period": second})
    table = next(frame.value for frame in at.dataframe if "Recent change" in frame.value.columns)
    assert (table["Period"] == second).all()
    shown = table.loc[table["Recent change"] != "", "Recent change"]
    assert len(shown) and shown.str.contains("Cannot be calculated").all(), "two points so far: no trend"


def test_map_caption_names_every_source_in_full(store_url):
    from data_sources.seed import open_store
    from store import all_sources, observations_for, with_sources

    at = open_page("pages/regional_map.py", {"indicator": "life_expectancy_years", "period": "2022"})
    engine = open_store(store_url)
    obs = with_sources(observations_for(engine, "life_expectancy_years", "2022"), all_sources(engine))
    from core.text import plain

    captions = "\n".join(c.value for c in at.caption)  # Markdown source: outside text is escaped, never cut
    for title in obs["source_title"].dropna().unique():
        assert plain(title, None) in captions, title
