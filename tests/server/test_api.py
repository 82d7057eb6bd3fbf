"""The read API under /api/v1 as a journalist's script sees it: every route, JSON and CSV with the same values,
parameter errors, unknown ids, suppression equal to the pages', illustrative flags, caching and streaming."""

from __future__ import annotations

import pytest

from tests.figures import page_figures
from tests.open_data_helpers import (
    SMALL_CELL,
    csv_rows,
    damaged,
    json_as_csv_text,
    login_cookie,
    plant_small_count,
    route_client,
)

TABLES = ["/api/v1/indicators", "/api/v1/indicators/life_expectancy_years", "/api/v1/regions",
          "/api/v1/observations?indicator=life_expectancy_years", "/api/v1/sources"]


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


@pytest.fixture()
def api(app_env):
    return route_client()


@pytest.mark.parametrize("path", TABLES)
def test_every_table_route_serves_json_and_the_same_rows_as_csv(api, path):
    as_json = api.get(path)
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/json")
    rows = as_json.json()["data"]
    assert rows and as_json.json()["meta"]["count"] == len(rows)
    as_csv = api.get(path + ("&" if "?" in path else "?") + "format=csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    parsed = csv_rows(as_csv.text)
    assert list(parsed[0]) == list(rows[0])  # same columns, same order
    assert parsed == [{k: json_as_csv_text(v) for k, v in row.items()} for row in rows]


def test_regions_and_boundaries(api):
    regions = api.get("/api/v1/regions?lang=ru").json()["data"]
    assert len(regions) == 20 and {r["code"] for r in regions} == {f["id"] for f in
                                                                  api.get("/api/v1/regions.geojson").json()["features"]}
    assert next(r for r in regions if r["code"] == "KZ-75")["name"] == "Алматы"
    geo = api.get("/api/v1/regions.geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert "OpenStreetMap" in geo.json()["attribution"] and len(geo.content) < 200_000


@pytest.mark.parametrize(("query", "parameter"), [
    ("period=20x", "period"), ("period=2024Q5", "period"), ("format=xml", "format"), ("lang=fr", "lang"),
    ("indicatr=life_expectancy_years", "indicatr"), ("region=Almaty", "region"), ("indicator=bad%20id", "indicator"),
    ("period=2022&period=2023", "period"), ("indicator=" + "x" * 500, "indicator"),
])
def test_a_bad_parameter_gets_400_naming_it(api, query, parameter):
    reply = api.get(f"/api/v1/observations?{query}")
    assert reply.status_code == 400
    assert reply.json()["parameter"] == parameter and parameter in reply.json()["message"]
    assert reply.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/observations?indicator=no_such_indicator",
                                  "/api/v1/observations?region=KZ-99", "/api/v1/indicators/no_such_indicator",
                                  "/embed/map?indicator=no_such_indicator", "/embed/map?period=1901",
                                  "/embed/trend?region=KZ-98"])
def test_an_unknown_id_gets_404(api, path):
    assert api.get(path).status_code == 404


def test_observations_carry_provenance_and_the_illustrative_flag(api, store):
    from store import observations_for

    rows = api.get("/api/v1/observations?indicator=breast_cancer_screening_coverage_pct&period=2025Q4").json()["data"]
    stored = observations_for(store, "breast_cancer_screening_coverage_pct", "2025Q4").set_index("region")
    assert {r["region"]: r["illustrative"] for r in rows} == stored["synthetic"].to_dict()
    assert any(r["illustrative"] for r in rows) and not all(r["illustrative"] for r in rows)
    assert all(r["source_title"] and r["licence"] and r["retrieved_at"].endswith("Z") for r in rows)
    real = api.get("/api/v1/observations?indicator=life_expectancy_years&period=2022").json()["data"]
    assert real and not any(r["illustrative"] for r in real)


def test_public_api_suppresses_the_cells_the_map_page_hides(app_env, db_url):
    import streamlit
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    plant_small_count(db_url)
    api = route_client()
    query = f"indicator={SMALL_CELL['indicator']}&period={SMALL_CELL['period']}"
    rows = api.get(f"/api/v1/observations?{query}").json()["data"]
    hidden_api = {r["region"] for r in rows if r["suppressed"]}
    assert SMALL_CELL["region"] in hidden_api and len(hidden_api) == 2  # the cell and the one revealing it
    assert all(r["value"] is None and r["numerator"] is None for r in rows if r["suppressed"])
    assert {r["region"] for r in csv_rows(api.get(f"/api/v1/observations?{query}&format=csv").text)
            if r["value"] == ""} == hidden_api
    one = api.get(f"/api/v1/observations?{query}&region={SMALL_CELL['region']}").json()["data"]
    assert one[0]["suppressed"] and one[0]["value"] is None  # filtering by region does not undo it

    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(indicator=SMALL_CELL["indicator"], period=SMALL_CELL["period"])
    at.run()
    at.switch_page("pages/regional_map.py")
    at.run()
    assert not at.exception
    figure = page_figures(at)[0]
    hidden_page = {row[0] for trace in figure["data"] for row in trace["customdata"] if row[1] is None}
    assert hidden_page == hidden_api


def test_internal_instance_shows_the_small_cell_to_a_logged_in_reader(app_env, db_url, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    plant_small_count(db_url)
    api = route_client()
    api.cookies.set(*login_cookie(monkeypatch))
    reply = api.get(f"/api/v1/observations?indicator={SMALL_CELL['indicator']}&period={SMALL_CELL['period']}")
    assert reply.status_code == 200 and reply.headers["cache-control"].startswith("private")
    assert not any(r["suppressed"] for r in reply.json()["data"])


@pytest.mark.parametrize("path", ["/api/v1/observations", "/api/v1/datapackage.zip", "/embed/map",
                                  "/embed/trend?region=KZ-75"])
def test_internal_instance_refuses_without_the_login_cookie(app_env, monkeypatch, path):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    api = route_client()
    assert api.get(path).status_code == 401
    name, value = login_cookie(monkeypatch)
    api.cookies.set(name, damaged(value))  # a forged or damaged cookie grants nothing
    assert api.get(path).status_code == 401
    api.cookies.set(name, value)
    assert api.get(path).status_code == 200
    monkeypatch.setenv("DENSAULYQ_SECRET_KEY", "another-instance")
    assert api.get(path).status_code == 401  # a cookie this instance did not sign


def test_internal_instance_can_switch_open_data_off(app_env, monkeypatch, tmp_path):
    from core.paths import CONFIG_FILE

    config = tmp_path / "config.toml"
    config.write_text(CONFIG_FILE.read_text().replace('internal = "login"', 'internal = "off"'))
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(config))
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    api = route_client()
    api.cookies.set(*login_cookie(monkeypatch))
    assert api.get("/api/v1/indicators").status_code == 404 and api.get("/embed/map").status_code == 404


def test_etag_304_and_a_new_etag_after_a_store_change_or_in_another_language(api, store, monkeypatch):

    import pandas as pd

    from core.access import Identity
    from store import version as versions
    from store.revisions import write_observations

    path = "/api/v1/observations?indicator=life_expectancy_years&period=2022&region=KZ-75"
    first = api.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"  # config.toml [open_data] max_age_s
    again = api.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert api.get(path + "&lang=ru").headers["etag"] != etag
    assert api.get(path + "&format=csv").headers["etag"] != etag

    row = pd.DataFrame([{**{k: first.json()["data"][0][k] for k in ("indicator_id", "region", "period")},
                         "value": 80.5}])
    write_observations(store, row, {"id": "test-correction", "title": "Correction", "licence": "CC0-1.0",
                                    "kind": "upload"}, Identity("editor", "editor"))
    real = versions._clock  # the process's copy of the data version is refreshed (versions.VERSION_CHECK_S)
    monkeypatch.setattr(versions, "_clock", lambda: real() + versions.VERSION_CHECK_S + 0.1)
    changed = api.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["data"][0]["value"] == 80.5


def test_cache_lifetime_comes_from_config(app_env, monkeypatch, tmp_path):
    from core.paths import CONFIG_FILE

    config = tmp_path / "config.toml"
    config.write_text(CONFIG_FILE.read_text().replace("max_age_s = 300", "max_age_s = 42"))
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(config))
    api = route_client()
    for path in ("/api/v1/regions", "/embed/map"):
        assert api.get(path).headers["cache-control"] == "public, max-age=42"


def test_a_large_result_is_streamed_and_complete(api, store):
    from store import observations_for

    reply = api.get("/api/v1/observations")
    assert "content-length" not in reply.headers  # sent in chunks as it is written
    assert len(reply.json()["data"]) == len(observations_for(store))
    small = api.get("/api/v1/observations?indicator=life_expectancy_years&period=2022")
    assert "content-length" in small.headers  # a small table goes out whole


def test_openapi_documents_every_route_and_the_served_columns(api):
    from server.api.routes import api_routes

    doc = api.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {route.path for route in api_routes()} == set(doc["paths"])
    served = api.get("/api/v1/observations?indicator=life_expectancy_years&period=2022").json()["data"][0]
    assert list(doc["components"]["schemas"]["Observation"]["properties"]) == list(served)


def test_public_api_may_be_read_by_scripts_on_other_sites_but_not_framed(api):
    reply = api.get("/api/v1/indicators")
    assert reply.headers["access-control-allow-origin"] == "*"
    assert reply.headers["x-frame-options"] == "DENY"


def test_healthz_reports_whether_the_store_is_reachable(api, monkeypatch):
    assert api.get("/healthz").json() == {"status": "ok"}  # public: nothing about the store (SECURITY.md)
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    body = api.get("/healthz").json()
    assert (body["status"], body["store"]) == ("ok", "ok") and body["data_version"]
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=2")
    down = api.get("/healthz")
    assert down.status_code == 503 and down.json()["status"] == "unavailable"
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    assert api.get("/healthz").json() == {"status": "unavailable"}


def test_two_stores_in_one_process_never_share_a_cached_body(api, monkeypatch, tmp_path, _seeded_sqlite_template):
    import shutil

    path = f"/api/v1/observations?indicator={SMALL_CELL['indicator']}&period={SMALL_CELL['period']}"
    assert not any(r["suppressed"] for r in api.get(path).json()["data"])
    other = tmp_path / "other.sqlite"
    shutil.copyfile(_seeded_sqlite_template, other)
    plant_small_count(f"sqlite:///{other}")  # same data version as the first store, different content
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{other}")
    assert any(r["suppressed"] for r in api.get(path).json()["data"])


def test_csv_text_that_would_run_as_a_spreadsheet_formula_is_neutralised(api, store):
    from sqlalchemy import update

    from store.schema import sources

    with store.begin() as conn:
        conn.execute(update(sources).where(sources.c.id == sources.c.id).values(publisher='=HYPERLINK("x")'))
    as_json = api.get("/api/v1/sources").json()["data"]
    as_csv = csv_rows(api.get("/api/v1/sources?format=csv").text)
    assert as_json[0]["publisher"] == '=HYPERLINK("x")'  # the data as stored
    assert all(row["publisher"] == "'=HYPERLINK(\"x\")" for row in as_csv)
