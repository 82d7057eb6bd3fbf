"""The public views (``/view/…``): server-rendered pages over the read model, with the numbers as HTML tables, the
illustrative badge, suppressed cells as suppressed, caching as the API, a clear 404, a sitemap and robots.txt."""

from __future__ import annotations

import html
import re

import pytest

from tests.open_data_helpers import SMALL_CELL, plant_small_count, route_client

SCREENING = "breast_cancer_screening_coverage_pct"
MAP = f"/view/map?indicator={SCREENING}&period=2025Q4"
VIEWS = [MAP, "/view/region/KZ-75?", "/view/indicator/life_expectancy_years?"]


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


@pytest.fixture()
def client(app_env):
    return route_client()


def _get(client, path: str, lang: str | None = None) -> str:
    url = path if lang is None else f"{path}{'' if path.endswith('?') else '&'}lang={lang}"
    reply = client.get(url)
    assert reply.status_code == 200, reply.text[:500]
    assert reply.headers["content-type"].startswith("text/html")
    return reply.text


def _meta(page: str, attr: str, name: str) -> str:
    found = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', page)
    assert found, f"no {name} in the page"
    return html.unescape(found.group(1))


def _value_cells(page: str) -> dict[str, str]:
    """Region code -> the value cell's text, from the table rows that link to the region's view."""
    rows = re.findall(r'view/region/(KZ-\d\d)\?lang=\w+">[^<]+</a></th><td class="num">(.*?)</td>', page)
    return {code: re.sub(r"<[^>]+>", "", html.unescape(cell)).replace("\u00a0", " ").strip() for code, cell in rows}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("path", VIEWS)
def test_every_view_renders_in_every_language_with_its_card_and_headings(client, path, lang):
    page = _get(client, path, lang)
    assert f'<html lang="{lang}">' in page
    headings = re.findall(r"<h([1-6])[ >]", page)
    assert headings[0] == "1" and headings.count("1") == 1 and set(headings) <= {"1", "2"}, headings
    title = re.search(r"<title>([^<]+)</title>", page).group(1)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)
    assert html.unescape(canonical).startswith("http://testserver/view/") and f"lang={lang}" in canonical
    assert _meta(page, "property", "og:url") == html.unescape(canonical)
    assert _meta(page, "property", "og:title") and _meta(page, "property", "og:title") in html.unescape(title)
    assert len(_meta(page, "name", "description")) > 40
    assert _meta(page, "property", "og:description") == _meta(page, "name", "description")
    assert _meta(page, "name", "twitter:card") == "summary"
    # the language switch links the same view in the two other languages
    others = {code for code in ("en", "ru", "kk") if code != lang}
    assert {code for code in others if re.search(rf'hreflang="{code}" lang="{code}"', page)} == others
    assert re.search(r'href="(\.\./)+(map|profile|comparison)\?[^"]*lang=' + lang, page), "no way back to the app"
    if lang != "en":
        assert "Sources and licence" not in page and "Downloads" not in page  # translated, not English


def test_the_maps_table_holds_the_read_models_numbers_written_the_readers_way(client):
    from sqlalchemy import select

    from core.i18n import format_number
    from data_sources.seed import open_store
    from store.schema import observations

    page = _get(client, "/view/map?indicator=life_expectancy_years&period=2022&lang=ru")
    cells = _value_cells(page)
    api = client.get("/api/v1/observations?indicator=life_expectancy_years&period=2022").json()["data"]
    expected = {r["region"]: format_number(r["value"], "ru", 1) for r in api if r["region"] != "KZ"}
    assert len(cells) == 20 and cells == expected
    # by hand, against the stored observation table: Almaty's life expectancy in 2022
    from core.config import load_settings

    with open_store(load_settings().database_url).connect() as conn:
        stored = conn.execute(select(observations.c.value).where(
            (observations.c.indicator_id == "life_expectancy_years") & (observations.c.region == "KZ-75")
            & (observations.c.period == "2022"))).scalar_one()
    assert cells["KZ-75"] == f"{stored:.1f}".replace(".", ",")
    assert "Illustrative data" not in page and "Иллюстративные данные" not in page  # real figures: no badge
    assert '<svg class="map"' in page and "Highest" not in page  # the summary in Russian too
    summary = re.search(r'<span id="map-summary" class="summary">([^<]+)</span>', page).group(1)
    assert "Наибольшее значение" in summary and cells["KZ-75"] in html.unescape(summary)
    # the drawn map: each of the 20 regions once, its link saying the table's value, its colour the legend's
    shapes = dict(re.findall(r'<a href="[^"]*view/region/(KZ-\w+)\?lang=ru" aria-label="[^"]*: ([^"]+)" '
                             r'data-region="[^"]+"><path d="M[^"]+" fill="#[0-9a-fA-F]{6}"', page))
    assert {code: html.unescape(text) for code, text in shapes.items()} == cells
    legend = set(re.findall(r'<li><span class="sw" style="background:(#[0-9a-fA-F]{6})"></span>', page))
    fills = set(re.findall(r'data-region="[^"]+"><path d="[^"]+" fill="(#[0-9a-fA-F]{6})"', page))
    assert fills and fills <= legend, fills - legend


def test_illustrative_values_are_labelled_wherever_they_are_shown(client):
    page = _get(client, MAP, "en")
    assert re.search(r'<p class="badge"[^>]*>⚠ Illustrative data · \d+%</p>', page)
    api = client.get(f"/api/v1/observations?indicator={SCREENING}&period=2025Q4").json()["data"]
    illustrative = {r["region"] for r in api if r["illustrative"] and r["region"] != "KZ"}
    cells = _value_cells(page)
    assert illustrative and all(cells[code].endswith("⚠ Illustrative") for code in illustrative)
    labels = dict(re.findall(r'view/region/(KZ-\w+)\?lang=en" aria-label="([^"]+)"', page))
    assert {code for code, label in labels.items() if label.endswith("(Illustrative)")} == illustrative
    assert all(not cells[code].endswith("Illustrative") for code in set(cells) - illustrative)
    profile = _get(client, "/view/region/KZ-75?lang=kk")
    assert "Иллюстративтік деректер" in profile and "⚠&nbsp;Иллюстративтік" in profile


def test_a_suppressed_value_shows_as_suppressed_never_as_a_number(client, db_url):
    plant_small_count(db_url)
    region, period = SMALL_CELL["region"], SMALL_CELL["period"]
    for path in (f"/view/map?indicator={SCREENING}&period={period}&lang=en",
                 f"/view/indicator/{SCREENING}?period={period}&lang=en"):
        page = _get(client, path)
        cells = _value_cells(page)
        assert cells[region] == "Suppressed (small numbers)", cells[region]
        assert "counts below 10 are suppressed" in page
        api = client.get(f"/api/v1/observations?indicator={SCREENING}&period={period}").json()["data"]
        hidden = {r["region"] for r in api if r["suppressed"]}
        assert region in hidden and {c for c, text in cells.items() if "Suppressed" in text} == hidden - {"KZ"}
    kk = _get(client, f"/view/map?indicator={SCREENING}&period={period}&lang=kk")
    assert _value_cells(kk)[region] == "Жасырылған (шағын сандар)"


def test_the_region_profile_lists_every_indicator_with_its_comparison_trend_rank_and_sparkline(client):
    page = _get(client, "/view/region/KZ-75?lang=en")
    api = client.get("/api/v1/observations?region=KZ-75").json()["data"]
    indicators = {r["indicator_id"] for r in api if r["value"] is not None}
    linked = set(re.findall(r'view/indicator/(\w+)\?lang=en', page))
    assert linked == indicators
    assert "<h1>Almaty</h1>" in page and "Compared with Kazakhstan" in page and re.search("\\d+\xa0/\xa020", page)
    sparks = re.findall(r'<svg class="spark" role="img" aria-label="([^"]+)"[^>]*><title>([^<]+)</title>', page)
    assert len(sparks) >= 5 and all(label == title for label, title in sparks)
    assert all(re.search(r"from [\d.,]+ to [\d.,]+\.$", html.unescape(label)) for label, _t in sparks)


def test_the_indicator_view_ranks_the_regions_and_draws_the_national_trend(client):
    page = _get(client, "/view/indicator/life_expectancy_years?period=2022&lang=en")
    ranks = re.findall(r'<td class="num">(\d+)\xa0/\xa020</td><th scope="row"><a href="\.\./\.\./view/region/', page)
    assert [int(r) for r in ranks] == sorted(int(r) for r in ranks) and len(ranks) == 20
    api = client.get("/api/v1/observations?indicator=life_expectancy_years&region=KZ").json()["data"]
    trend = re.search(r'<svg class="trend" role="img" aria-label="([^"]+)"', page).group(1)
    assert f"{api[0]['period']} to {api[-1]['period']}" in html.unescape(trend)
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="num">', page)
    assert rows == [r["period"] for r in api]


def test_views_answer_304_to_their_etag_with_the_apis_cache_headers(client):
    first = client.get(MAP)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get(MAP, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(MAP + "&lang=kk").headers["etag"] != etag  # another language, another body
    region = client.get("/view/region/KZ-75")
    assert client.get("/view/region/KZ-75", headers={"If-None-Match": region.headers["etag"]}).status_code == 304


@pytest.mark.parametrize(("path", "status", "names"), [
    ("/view/map?indicator=no_such_indicator&lang=kk", 404, "indicator"),
    ("/view/map?indicator=life_expectancy_years&period=1900&lang=kk", 404, "period"),
    ("/view/map?indicator=life_expectancy_years&period=soon&lang=kk", 400, "period"),
    ("/view/region/KZ-99?lang=kk", 404, "region"),
    ("/view/indicator/no_such_indicator?lang=kk", 404, "indicator"),
    ("/view/indicator/life_expectancy_years?period=1900&lang=kk", 404, "period"),
    ("/view/indicator/rwd_breast_screening_coverage_pct?lang=kk", 404, "period"),  # no data yet
])
def test_unknown_or_bad_addresses_get_a_page_naming_what_is_wrong(client, path, status, names):
    reply = client.get(path)
    assert reply.status_code == status and reply.headers["cache-control"] == "no-store"
    assert '<html lang="kk">' in reply.text
    assert ("<h1>Бет табылмады</h1>" if status == 404 else "<h1>Бұл мекенжай жарамсыз</h1>") in reply.text
    assert f"<code>{names}:" in reply.text


def test_the_sitemap_lists_every_view_and_robots_keeps_crawlers_off_the_write_paths(client):
    from catalogue import load_catalogue
    from geo import REGION_CODES

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap.headers["content-type"].startswith("application/xml")
    urls = {html.unescape(u) for u in re.findall(r"<loc>([^<]+)</loc>", sitemap.text)}
    api = client.get("/api/v1/observations").json()["data"]
    with_data = {r["indicator_id"] for r in api}
    regional = {r["indicator_id"] for r in api if r["region"] != "KZ"}
    catalogue = load_catalogue()
    assert with_data < set(catalogue)  # the seeded store has indicators without data yet: they have no view
    for lang in ("en", "ru", "kk"):
        assert {f"http://testserver/view/region/{c}?lang={lang}" for c in REGION_CODES} <= urls
        assert {u for u in urls if "/view/indicator/" in u and u.endswith(f"lang={lang}")} == {
            f"http://testserver/view/indicator/{i}?lang={lang}" for i in with_data}
        assert {u for u in urls if "/view/map?" in u and u.endswith(f"lang={lang}")} == {
            f"http://testserver/view/map?indicator={i}&lang={lang}" for i in regional
            if catalogue[i].is_regional}
    assert all(u.startswith("http://testserver/view/") for u in urls)
    for url in sorted(urls)[:: max(len(urls) // 4, 1)]:  # a few of them, of each kind, open
        assert client.get(url).status_code == 200, url
    robots = client.get("/robots.txt").text
    assert "Allow: /view/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    assert all(f"Disallow: {p}" in robots for p in ("/import", "/kpi-admin", "/kpi-entry", "/api/", "/auth/"))


def test_the_internal_instance_keeps_its_views_behind_the_log_in(monkeypatch, db_url):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    client = route_client()
    assert client.get(MAP).status_code == 401
    assert "Disallow: /\n" in client.get("/robots.txt").text


def test_the_map_view_loads_only_this_servers_files_and_stays_under_a_megabyte(client):
    reply = client.get(MAP, headers={"Accept-Encoding": "gzip"})
    page = reply.text
    loads = re.findall(r'<script[^>]* src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"',
                                                                          page)
    assert all(u.startswith("../embed/assets/") for u in loads), loads
    total = reply.num_bytes_downloaded
    for url in loads:
        asset = client.get("/view/" + url, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200
        total += asset.num_bytes_downloaded
    assert total <= 100_000, total  # the budget is a megabyte; drawn on the server it is a tenth
    assert "<script" not in page and "plotly" not in page  # drawn on the server: nothing to run on a phone
    assert '<a href="../embed/map?indicator=' in page  # the interactive map of the same view, one link away
