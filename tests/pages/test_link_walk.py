"""Nothing a link can open crashes: every public page × every catalogue indicator, opened through the router.

Each page is opened as a shared link opens it: a fresh session of ``dashboard.py`` with ``?indicator=…&period=…
&region=…`` in the URL. Every indicator of the catalogue is walked, with the latest and the earliest period it has
(or none at all, for an indicator with no data yet) and a region that changes from indicator to indicator, so the
walk passes all 20 regions. An indicator with no data on a page that draws one indicator says "No data yet".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from catalogue import load_catalogue
from core.i18n import translate
from data_sources.seed import open_store
from geo import REGION_CODES
from store import periods_for
from tests.figures import map_payloads
from ui.nav import PAGES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
INDICATORS = sorted(CATALOGUE)
PUBLIC_PAGES = [spec.path for spec in PAGES if "public" in spec.modes]
# Pages with an indicator picker read ``?indicator=`` and are walked with every indicator; the others ignore it by
# construction and are opened with one indicator that has data and one that has none.
PICKER_PAGES = [p for p in PUBLIC_PAGES if "indicator_picker(" in (ROOT / p).read_text(encoding="utf-8")]
OTHER_PAGES = [p for p in PUBLIC_PAGES if p not in PICKER_PAGES]
# Pages that draw one chosen indicator of the regional level, and end with the notice when it has no data.
ONE_INDICATOR_PAGES = ["pages/regional_map.py", "pages/compare.py"]
NO_DATA = translate("No data yet for this indicator: {indicator}. It is in the catalogue; its values appear here "
                    "once they are imported or computed.", "en", indicator="").split(":")[0]


@pytest.fixture(scope="module")
def walk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """One seeded store for the walk and, per indicator, the periods with a regional value."""
    url = f"sqlite:///{tmp_path_factory.mktemp('walk') / 'store.sqlite'}"
    engine = open_store(url)
    periods = {i: periods_for(engine, i, regional_only=True) for i in INDICATORS}
    engine.dispose()
    yield url, periods


@pytest.fixture()
def app_env(walk_store, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    import ui.context

    monkeypatch.setenv("DATABASE_URL", walk_store[0])
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    monkeypatch.delenv("DENSAULYQ_CONFIG", raising=False)
    monkeypatch.delenv("DENSAULYQ_LANGUAGE", raising=False)
    ui.context.settings.clear()
    yield walk_store[1]
    ui.context.settings.clear()


def _open(page: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, (page, query, [e.message for e in at.exception])
    return at


def _notices(at: AppTest) -> str:
    return " ".join(str(box.value) for box in at.info)


def _queries(indicator: str, periods: list[str], position: int, earliest: bool) -> list[dict[str, str]]:
    """The latest period (and the earliest, with ``earliest``), or no period for an indicator without data."""
    region = REGION_CODES[position % len(REGION_CODES)]
    chosen = dict.fromkeys([periods[-1], periods[0]] if earliest else [periods[-1]]) if periods else {"": None}
    return [{"indicator": indicator, "region": region, **({"period": p} if p else {})} for p in chosen]


def test_the_catalogue_has_indicators_with_and_without_data(app_env):
    """The walk below means something only if both kinds exist (the catalogue lists indicators computed from
    real-world data that have no value before a run)."""
    assert any(app_env[i] for i in INDICATORS) and any(not app_env[i] for i in INDICATORS)


def test_the_walk_knows_every_public_page():
    assert "pages/regional_map.py" in PICKER_PAGES and "pages/overview.py" in OTHER_PAGES
    assert set(ONE_INDICATOR_PAGES) <= set(PICKER_PAGES)


@pytest.mark.parametrize("page", OTHER_PAGES)
def test_pages_without_an_indicator_picker_open_with_any_indicator_in_the_link(app_env, page):
    with_data = next(i for i in INDICATORS if app_env[i])
    without = next(i for i in INDICATORS if not app_env[i])
    for position, indicator in enumerate((with_data, without)):
        for query in _queries(indicator, app_env[indicator], position, earliest=False):
            _open(page, query)


@pytest.mark.parametrize("page", PICKER_PAGES)
def test_every_public_page_opens_with_every_indicator_of_the_catalogue(app_env, page):
    for position, indicator in enumerate(INDICATORS):
        for query in _queries(indicator, app_env[indicator], position, earliest=page in ONE_INDICATOR_PAGES):
            at = _open(page, query)
            if page not in ONE_INDICATOR_PAGES or CATALOGUE[indicator].level != "regional":
                continue
            if not app_env[indicator]:
                assert NO_DATA in _notices(at), (page, query)
                assert not map_payloads(at), "a map drawn for an indicator with no data"
            else:
                assert NO_DATA not in _notices(at), (page, query)
                assert at.query_params["period"] == query["period"], (page, query)  # the period asked for
                if page == "pages/regional_map.py":
                    assert len(map_payloads(at)) == 1, query


def test_the_region_profile_opens_for_every_region(app_env):
    for code in REGION_CODES:
        at = _open("pages/region_profile.py", {"region": code})
        assert at.query_params["region"] == code
