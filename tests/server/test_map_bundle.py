"""The map-only plotly.js build (``frontend/plotly-map`` → ``server/embed/static/plotly-map.min.js``): built from
the plotly.js version the Python package writes figures for, holding the map's trace and not the rest, and
served under a content-hashed name, compressed, cacheable for a year, to the map page and the map embed."""

from __future__ import annotations

import gzip
import re

import pytest
from plotly.offline import get_plotlyjs_version

from share.map_bundle import PLOTLY_MAP_JS, map_bundle_name, map_bundle_path, map_bundle_plotly_version
from tests.open_data_helpers import route_client


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    """The embeds draw the seeded store (the server's start-up seeds it; the bare routes here do not)."""
    return seeded_db_url


def test_the_bundle_is_built_from_the_installed_plotly_js_version() -> None:
    # A plotly upgrade without a rebuild (frontend/plotly-map/README.md) would send figures of one schema version
    # to a library of another.
    assert map_bundle_plotly_version() == get_plotlyjs_version()


def test_the_bundle_holds_the_map_trace_and_not_the_full_library() -> None:
    text = PLOTLY_MAP_JS.read_text(encoding="utf-8")
    assert '"choroplethmap"' in text and "DensaulyqPlotly" in text
    assert not [name for name in ('"scatter3d"', '"parcoords"', '"treemap"', '"scattergeo"') if name in text]
    assert PLOTLY_MAP_JS.stat().st_size < 3_500_000


def test_the_bundle_is_served_compressed_under_its_hashed_name(app_env) -> None:
    api = route_client()
    reply = api.get(f"/embed/assets/{map_bundle_name()}", headers={"Accept-Encoding": "gzip"})
    assert reply.status_code == 200 and reply.content == PLOTLY_MAP_JS.read_bytes()
    assert reply.headers["content-encoding"] == "gzip"
    assert int(reply.headers["content-length"]) < len(gzip.compress(reply.content, 1)) * 1.1
    assert "immutable" in reply.headers["cache-control"]
    assert api.get("/embed/assets/plotly-map-000000000000.min.js").status_code == 404  # an old name is gone
    assert map_bundle_path() == f"embed/assets/{map_bundle_name()}"


def test_the_map_embed_draws_with_the_map_bundle_and_the_trend_with_plotly_js(app_env) -> None:
    api = route_client()
    scripts = re.findall(r'<script src="assets/([^"?]+)', api.get("/embed/map").text)
    assert map_bundle_name() in scripts
    trend = api.get("/embed/trend?indicator=life_expectancy_years&region=KZ-75").text
    assert f"plotly-{get_plotlyjs_version()}.min.js" in re.findall(r'<script src="assets/([^"?]+)', trend)
