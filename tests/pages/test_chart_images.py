"""Every chart page offers its chart as PNG and SVG, labelled in the reader's language, with the metadata the
image will carry taken from the data (the illustrative badge only over illustrative numbers); nothing is rendered
while the page runs (a click renders)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

import ui.chart_images
import ui.context
from tests.apptest_helpers import open_page

ROOT = Path(__file__).resolve().parents[2]

# page, URL state, the image buttons' key, whether the chart's numbers are illustrative
CHART_PAGES = [
    ("pages/regional_map.py", {"indicator": "life_expectancy_years"}, "map", False),
    ("pages/regional_map.py", {"indicator": "mammographs_per_100k_women_40_70"}, "map", True),
    ("pages/region_profile.py", {"region": "KZ-75"}, "spine", True),
    ("pages/compare.py", {"indicator": "physicians_per_10k", "period": "2022"}, "ranking", False),
    ("pages/compare.py", {"indicator": "physicians_per_10k", "period": "2022"}, "trends", False),
    ("pages/funnel.py", {"indicator": "breast_cancer_screening_coverage_pct"}, "funnel", True),
    ("pages/kpi_detail.py", {}, "kpi", True),  # the example KPI framework is illustrative
]


@pytest.fixture()
def recorded(monkeypatch: pytest.MonkeyPatch, app_env: str) -> list:
    """The (figure, metadata, format) of every image button, and a render that fails the test if called."""
    ui.context.settings.clear()
    streamlit.cache_resource.clear()
    calls: list = []

    def deferred(fig, meta, fmt, lang):
        calls.append((fig, meta, fmt, lang))
        return b"image"

    def no_render(*_args, **_kwargs):
        raise AssertionError("an image was rendered while the page ran")

    monkeypatch.setattr(ui.chart_images, "_deferred", deferred)
    monkeypatch.setattr(ui.chart_images, "render", no_render)
    yield calls
    ui.context.settings.clear()


def _open(page: str, query: dict[str, str] | None = None) -> AppTest:
    return open_page(page, query, timeout=90)


@pytest.mark.parametrize(("page", "query", "key", "illustrative"), CHART_PAGES)
def test_chart_page_offers_png_and_svg_with_the_datas_metadata(recorded: list, page: str, query: dict[str, str],
                                                               key: str, illustrative: bool) -> None:
    at = _open(page, query)
    labels = {b.key: b.label for b in at.get("download_button")}
    assert labels.get(f"{key}_image_png") == "Image (PNG)"
    assert labels.get(f"{key}_image_svg") == "Image (SVG)"
    image_keys = [b.key for b in at.get("download_button") if "_image_" in b.key]
    assert len(image_keys) == len(recorded)  # one metadata per button, in the buttons' order
    meta = dict(zip(image_keys, (m for _fig, m, _fmt, _lang in recorded), strict=True))[f"{key}_image_png"]
    assert meta.title and meta.period and meta.period != "—"
    assert meta.illustrative == illustrative
    if page != "pages/kpi_detail.py":  # every number's source and licence travel with it
        assert meta.sources and meta.licences


def test_labels_are_in_kazakh(recorded: list) -> None:
    at = _open("pages/regional_map.py", {"lang": "kk"})
    labels = {b.key: b.label for b in at.get("download_button")}
    assert labels["map_image_png"] == "Сурет (PNG)" and labels["map_image_svg"] == "Сурет (SVG)"
    assert recorded and all(lang == "kk" for *_rest, lang in recorded)
    title = recorded[0][1].title
    assert title and any("а" <= c <= "я" or c in "әғқңөұүһі" for c in title.lower())  # in Kazakh, not English
