"""The data package (valid Frictionless, the same public rows as the API) and the embeddable pages (everything a
reader of an article needs around the figure, nothing from another host), on the real app object too."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from tests.open_data_helpers import SMALL_CELL, plant_small_count, route_client


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


@pytest.fixture()
def api(app_env):
    return route_client()


def test_the_data_package_is_valid_and_holds_the_public_rows(api, db_url, tmp_path):
    import frictionless

    plant_small_count(db_url)
    reply = api.get("/api/v1/datapackage.zip")
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(reply.content)).extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]

    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} == {"indicators", "regions", "sources", "observations"}
    assert {lic["name"] for lic in package["licenses"]} >= {"CC-BY-4.0", "CC0-1.0", "ODbL-1.0"}
    assert package["sources"] and package["units"]["life_expectancy_years"] == "years"
    observations = frictionless.Resource(str(tmp_path / "observations.csv")).read_rows()
    assert len(observations) == len(api.get("/api/v1/observations").json()["data"])
    small = next(r for r in observations if r["indicator_id"] == SMALL_CELL["indicator"]
                 and r["region"] == SMALL_CELL["region"] and r["period"] == SMALL_CELL["period"])
    assert small["suppressed"] is True and small["value"] is None and small["numerator"] is None
    assert any(r["illustrative"] for r in observations)


def _html(api, path: str) -> str:
    reply = api.get(path)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/html")
    return reply.text


def test_the_embedded_map_has_title_badge_sources_as_of_and_a_link_back(api):
    page = _html(api, "/embed/map?indicator=breast_cancer_screening_coverage_pct&period=2025Q4&lang=en")
    assert "<h1>Breast cancer screening coverage, 2025Q4</h1>" in page
    assert "Illustrative data" in page and "Source: " in page
    assert re.search(r"data as of [A-Z][a-z]{2} \d{1,2}, 20\d\d", page)  # as the app writes dates (no ISO date)
    assert 'href="../map?indicator=breast_cancer_screening_coverage_pct&amp;period=2025Q4&amp;lang=en"' in page
    figure = json.loads(re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', page,
                                  re.S).group(1))
    assert sum(len(trace["locations"]) for trace in figure["data"]) == 20  # the map page's figure: all regions
    assert "OpenStreetMap" in json.dumps(figure["layout"]["annotations"])
    real = _html(api, "/embed/map?indicator=life_expectancy_years&period=2022")
    assert "Illustrative data" not in real  # the badge only where illustrative values are drawn


def test_embedded_pages_load_nothing_from_another_host(api):
    for path in ("/embed/map", "/embed/trend?indicator=life_expectancy_years&region=KZ-75"):
        reply = api.get(path)
        urls = re.findall(r'(?:src|href)="([^"]+)"', reply.text)
        assert urls and not [u for u in urls if "//" in u], urls  # only this server's own files, by relative path
        for url in urls:
            if url.startswith("assets/"):
                asset = api.get("/embed/" + url)
                assert asset.status_code == 200 and len(asset.content) > 500, url
        csp = reply.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors" not in csp
        assert "x-frame-options" not in reply.headers  # the one kind of page other sites may frame
    plotly_js = re.search(r'src="(assets/plotly-[^"]+)"', api.get("/embed/map").text).group(1)
    assert "immutable" in api.get("/embed/" + plotly_js).headers["cache-control"]


def test_embedded_map_in_russian_and_suppression_note(api, db_url):
    plant_small_count(db_url)
    page = _html(api, f"/embed/map?indicator={SMALL_CELL['indicator']}&period={SMALL_CELL['period']}&lang=ru")
    assert '<html lang="ru">' in page and "Охват скринингом" in page
    assert "hidden to protect privacy" in page or "скрыт" in page


def test_the_region_trend_embed(api):
    page = _html(api, "/embed/trend?indicator=life_expectancy_years&region=KZ-75")
    assert "Life expectancy at birth: Almaty and Kazakhstan" in page
    assert 'href="../profile?region=KZ-75&amp;lang=en"' in page
    assert api.get("/embed/trend?indicator=life_expectancy_years").status_code == 400  # region required


def test_the_real_app_object_serves_api_and_embeds(app_env):
    """dashboard.app (the st.App ``streamlit run`` serves) mounts the routes and the framing rules."""
    from starlette.testclient import TestClient

    import dashboard

    with TestClient(dashboard.app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}  # public: nothing about the store
        api = client.get("/api/v1/observations?indicator=life_expectancy_years&period=2022")
        assert api.status_code == 200 and api.headers["x-frame-options"] == "DENY"
        embed = client.get("/embed/map")
        assert embed.status_code == 200 and "x-frame-options" not in embed.headers
        assert client.get("/api/v1/observations?period=x").status_code == 400
        unknown = client.get("/embed/anything-unknown")  # Streamlit's own answer to an unknown address
        assert unknown.headers["x-frame-options"] == "DENY", unknown.status_code
        assert client.get("/_stcore/host-config").json()["allowedOrigins"] == []
