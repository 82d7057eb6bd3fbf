"""The map's boundaries travel as one static file the browser caches (``charts.map_geometry``), not as ~150 KB of
coordinates in every map session's first message and every embed page: the file is served under its content hash,
cacheable for a year, and holds every region the traces colour; the component's figure and the embed's refer to it."""

from __future__ import annotations

import json
import re

import pytest

from geo import REGION_CODES
from tests.apptest_helpers import open_page, public_app_on
from tests.figures import map_payloads
from tests.open_data_helpers import route_client

EMBED = "/embed/map?indicator=breast_cancer_screening_coverage_pct&period=2025Q4&lang=en"


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


def _embed_figure(api) -> dict:
    page = api.get(EMBED).text
    found = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_the_embed_refers_to_the_boundaries_file_and_it_holds_every_region_it_colours(app_env):
    api = route_client()
    figure = _embed_figure(api)
    urls = {trace["geojson"] for trace in figure["data"]}
    assert len(urls) == 1 and all(isinstance(u, str) for u in urls)  # one file for every trace, no inline shapes
    (url,) = urls
    assert re.fullmatch(r"assets/regions-[0-9a-f]{12}\.geojson", url)  # relative to /embed/map
    reply = api.get(f"/embed/{url}")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/geo+json")
    assert "immutable" in reply.headers["cache-control"] and "max-age=31536000" in reply.headers["cache-control"]
    boundaries = reply.json()
    ids = [f["id"] for f in boundaries["features"]]
    assert sorted(ids) == sorted(REGION_CODES) and all(f["geometry"]["coordinates"] for f in boundaries["features"])
    coloured = {code for trace in figure["data"] for code in trace["locations"]}
    assert coloured == set(REGION_CODES)  # every region drawn (in a class, as no data, or on other boundaries)
    assert api.get("/embed/assets/regions-000000000000.geojson").status_code == 404  # no other boundaries by name


def test_the_dashboards_map_sends_the_files_address_not_the_shapes(monkeypatch, db_url):
    with public_app_on(db_url, monkeypatch):
        at = open_page("pages/regional_map.py", {"indicator": "breast_cancer_screening_coverage_pct"})
    (payload,) = map_payloads(at)
    urls = {trace["geojson"] for trace in payload["figure"]["data"]}
    assert len(urls) == 1 and re.fullmatch(r"embed/assets/regions-[0-9a-f]{12}\.geojson", urls.pop())
    assert "coordinates" not in json.dumps(payload)
    assert len(json.dumps(payload)) < 60_000  # was ~150 KB with the shapes in every trace
