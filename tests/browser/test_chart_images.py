"""A reader clicks "Image (PNG)" under the map in the running app and gets the image: 1200 px wide, made on
the server by Kaleido with the Debian Chromium (the page itself rendered nothing until the click)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PIL import Image

from tests.live_app import PAGE_TIMEOUT_MS, running_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("browser_images")) as url:
        yield url


def test_map_image_downloads_as_png_and_svg(app_url: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(f"{app_url}/map?indicator=life_expectancy_years&period=2022", wait_until="domcontentloaded")
        button = page.get_by_role("button", name="Image (PNG)")
        button.wait_for(state="visible")
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as png_download:
            button.click()
        assert png_download.value.suggested_filename == "densaulyq_life_expectancy_years_2022.png"
        image = Image.open(io.BytesIO(png_download.value.path().read_bytes()))
        assert image.format == "PNG" and image.width == 1200

        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as svg_download:
            page.get_by_role("button", name="Image (SVG)").click()
        root = ET.parse(svg_download.value.path()).getroot()
        text = " ".join(" ".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "Life expectancy at birth" in text and "Period: 2022" in text and "Densaulyq" in text
    finally:
        context.close()
