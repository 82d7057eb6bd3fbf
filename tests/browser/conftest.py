"""Fixtures of the browser tests: one headless Chromium per test module (Debian's, ``tests/live_app.py``) and a
fresh page in its own context per test. A module that needs another viewport or a browser tied to its server
defines its own fixture of the same name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live_app import PAGE_TIMEOUT_MS, launch_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture()
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    context.close()
