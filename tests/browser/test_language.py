"""A reader whose browser is set to Kazakh gets Kazakh on a first visit, in real Debian Chromium.

The browser's language is set the way a reader's is, with Chromium's own switches (``--lang``, ``--accept-lang``),
not with a test-only header override: the product negotiates it on the page request (server/language.py). This
module has its own browser (Chromium's language is a launch switch) and its own server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from geo import ATTRIBUTION
from tests.browser.test_map import _open_map
from tests.live_app import PAGE_TIMEOUT_MS, launch_chromium, running_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("browser_language_app")) as url:
        yield url


@pytest.fixture(scope="module")
def kazakh_browser():
    """Chromium set to Kazakh the way a reader's is: its own language switch, no test-only header override."""
    with launch_chromium(("--lang=kk", "--accept-lang=kk-KZ,kk,ru;q=0.5")) as chromium:
        yield chromium


def test_browser_language_picks_kazakh_on_a_first_visit_and_it_survives_navigation(app_url, kazakh_browser):
    from core.i18n import translate

    context = kazakh_browser.new_context(viewport={"width": 1366, "height": 800})  # no locale: the browser's own
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        asked = page.evaluate("() => navigator.languages")
        assert asked[0].startswith("kk"), asked  # the language really comes from the browser's settings
        _open_map(page, f"{app_url}/map")
        expect(page.locator("h1").first).to_have_text(translate("Regional map", "kk"))
        legend = page.locator(".js-plotly-plot g.legend").first.text_content() or ""
        assert re.search(r"\d,\d", legend) and not re.search(r"\d\.\d", legend), legend  # decimal commas
        expect(page.get_by_text(translate(ATTRIBUTION, "kk")).first).to_be_visible()
        page.get_by_role("link", name=translate("Region profile", "kk")).click()
        expect(page.locator("h1").first).to_have_text(translate("Region profile", "kk"))
        page.wait_for_timeout(1000)
        assert "lang=kk" in page.url
    finally:
        context.close()


def test_a_link_with_lang_beats_the_browser_language(app_url, kazakh_browser):
    from core.i18n import translate

    context = kazakh_browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        _open_map(page, f"{app_url}/map?lang=ru")
        expect(page.locator("h1").first).to_have_text(translate("Regional map", "ru"))
    finally:
        context.close()


