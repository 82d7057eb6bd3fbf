"""The public views (``/view/…``): server-rendered pages over the read model, with the numbers as HTML tables, the
illustrative badge, suppressed cells as suppressed, caching as the API, a sitemap and robots.txt."""

from __future__ import annotations

import re

import pytest

from tests.open_data_helpers import SMALL_CELL, plant_small_count, route_client

MAP = "/view/map?indicator=breast_cancer_screening_coverage_pct&period=2025Q4"


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


@pytest.fixture()
def client(app_env):
    return route_client()


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("path", [MAP, "/view/region/KZ-75?x=1", "/view/indicator/life_expectancy_years?x=1"])
def test_every_view_renders_in_every_language(client, path, lang):
    reply = client.get(path.replace("?x=1", "?") + f"&lang={lang}".lstrip("&") if "x=1" in path
                       else f"{path}&lang={lang}")
    assert reply.status_code == 200, reply.text[:500]
    assert reply.headers["content-type"].startswith("text/html")
    page = reply.text
    assert f'<html lang="{lang}">' in page
    assert page.count("<h1>") == 1
