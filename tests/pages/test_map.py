"""Defects a user saw on the pages (issue 8 §3), each checked the way a user would notice it, under AppTest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('defects') / 'store.sqlite'}"


@pytest.fixture(autouse=True)
def app_store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import ui.context

    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    monkeypatch.delenv("DENSAULYQ_CONFIG", raising=False)
    monkeypatch.delenv("DENSAULYQ_LANGUAGE", raising=False)
    ui.context.settings.clear()
    streamlit.cache_resource.clear()
    yield store_url
    ui.context.settings.clear()


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def screen_text(at: AppTest) -> str:
    """Every text a reader sees: headings, markdown, captions, notices, metrics, and every table cell and header."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(el.value) for el in getattr(at, kind)]
    for metric in at.metric:
        parts += [str(metric.label), str(metric.value), str(metric.delta or "")]
    for frame in [*at.dataframe, *at.table]:
        df = frame.value
        parts += [str(c) for c in df.columns]
        for column in df.columns:
            if column in BLANK_WHEN_MISSING:
                continue
            parts += ["None" if _missing(v) else str(v) for v in df[column]]  # the grid writes "None" for null
    return "\n".join(parts)


BLANK_WHEN_MISSING = {"Progress"}  # progress bars draw an empty cell for a missing value


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists (sparklines, labels)
        return False


def test_kpi_with_regional_targets_shows_region_names():
    at = open_page("pages/kpi_detail.py", {"kpi": "yhp_young_people_reached"})
    targets = next(frame.value for frame in at.dataframe if "Region" in frame.value.columns)
    assert {"Almaty", "Astana", "Shymkent"} <= set(targets["Region"])


def test_map_recent_change_describes_the_trend_up_to_the_period_shown(store_url):
    from store import open_store, periods_for

    second = periods_for(open_store(store_url), "life_expectancy_years", regional_only=True)[1]
    at = open_page("pages/regional_map.py", {"indicator": "life_expectancy_years", "period": second})
    table = next(frame.value for frame in at.dataframe if "Recent change" in frame.value.columns)
    assert (table["Period"] == second).all()
    shown = table.loc[table["Recent change"] != "", "Recent change"]
    assert len(shown) and shown.str.contains("Cannot be calculated").all(), "two points so far: no trend"


def test_compare_scatter_says_which_regions_are_missing_and_why():
    at = open_page("pages/compare.py", {"x": "physicians_per_10k", "y": "life_expectancy_years"})
    notes = [c.value for c in at.caption if c.value.startswith("Not on the plot")]
    assert any("Shymkent" in n and "no value of Physicians per 10,000 for 2022" in n for n in notes), notes


@pytest.mark.parametrize(("page", "query", "asked", "shown"), [
    ("pages/regional_map.py", {"indicator": "physicians_per_10k", "period": "2025"}, "2025", "2022"),
    ("pages/region_profile.py", {"region": "KZ-99"}, "KZ-99", None),
    ("pages/regional_map.py", {"indicator": "no_such_indicator"}, "no_such_indicator", None),
    ("pages/compare.py", {"regions": "KZ-71,KZ-99"}, "KZ-99", None),
])
def test_a_link_value_that_does_not_exist_gets_a_one_line_notice(page, query, asked, shown):
    from core.text import plain

    at = open_page(page, query)
    notices = [n.value for n in at.info if plain(asked) in n.value]  # a value from the URL is shown as text
    assert len(notices) == 1 and "\n" not in notices[0], [n.value for n in at.info]
    if shown:
        assert f"showing {shown}" in notices[0]


def test_profile_formats_each_value_with_its_indicators_decimals_and_shows_no_none(store_url):
    from catalogue import load_catalogue
    from core.i18n import format_number
    from store import observations_for, open_store

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


def test_scorecard_cards_state_status_and_projection_as_two_labelled_facts_and_count_no_data(store_url):
    from kpi import ensure_kpi_schema, list_kpis
    from store import open_store

    at = open_page("pages/kpi_scorecard.py")
    kpis = list_kpis(ensure_kpi_schema(open_store(store_url)))
    assert all(m.delta in (None, "") for m in at.metric), "no 'n of m on track' under a status it may contradict"
    assert {m.label for m in at.metric} == {"Status"}
    captions = [c.value for c in at.caption]
    projections = [c for c in captions if c.startswith("Projection: ")]
    assert len(projections) == len(at.metric)
    assert any(f"of {len(kpis)} on track" in c for c in projections)  # "· N without a projection" may follow
    assert any("1 no data" in c for c in captions), "a KPI without data is counted as 'no data'"
    rows = [row for frame in at.table if "KPI" in frame.value.columns for _i, row in frame.value.iterrows()]
    assert len(rows) == len(kpis)
    assert any(row["Status"] == "No data" for row in rows)
    assert "None" not in screen_text(at) and "nan" not in screen_text(at).split()


def test_overview_cards_name_their_period_and_freshness_is_per_source(store_url):
    from analytics.profile import national_headlines
    from catalogue import load_catalogue
    from store import all_sources, observations_for, open_store

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


def test_map_caption_names_every_source_in_full(store_url):
    from store import all_sources, observations_for, open_store, with_sources

    at = open_page("pages/regional_map.py", {"indicator": "life_expectancy_years", "period": "2022"})
    engine = open_store(store_url)
    obs = with_sources(observations_for(engine, "life_expectancy_years", "2022"), all_sources(engine))
    from core.text import plain

    captions = "\n".join(c.value for c in at.caption)  # Markdown source: outside text is escaped, never cut
    for title in obs["source_title"].dropna().unique():
        assert plain(title, None) in captions, title


PUBLIC_PAGES = ["pages/overview.py", "pages/regional_map.py", "pages/region_profile.py", "pages/compare.py",
                "pages/sources_and_data.py", "pages/funnel.py", "pages/resilience_index.py", "pages/capacity_gaps.py",
                "pages/kpi_scorecard.py", "pages/kpi_detail.py"]
MACHINE_IDS = ["region_name", "ci_lower", "health_outcomes", "higher_is_better", "github.com-045bec",
               "rwe_registries_linked", "source_title", "indicator_id"]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_no_none_nan_or_machine_ids_on_screen(page):
    query = {"kpi": "rwe_registries_linked"} if page == "pages/kpi_detail.py" else {}
    text = screen_text(open_page(page, query))
    words = set(text.replace(",", " ").replace("(", " ").replace(")", " ").split())
    assert not {"None", "nan", "NaN", "<NA>"} & words
    assert not [i for i in MACHINE_IDS if i in text], [i for i in MACHINE_IDS if i in text]


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
