"""Editors and admins see every page of their role in the sidebar without expanding anything (issue 20, item 4):
Streamlit collapses a navigation of more than 12 pages behind "View N more", which hid the KPI section."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from auth import add_user
from core.access import SYSTEM
from tests.live_app import launch_chromium, running_app, write_config

pytestmark = pytest.mark.browser

PASSWORD = "orange river tea lamp"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def internal_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """One internal server with an admin and an editor, and one browser, for the module."""
    tmp = tmp_path_factory.mktemp("kpi_nav")
    write_config(tmp)
    for user, role in USERS:
        add_user(tmp / "users.json", SYSTEM, user, PASSWORD, role)
    with running_app(tmp, mode="internal") as url, launch_chromium() as browser:
        yield url, browser


USERS = (("ayla", "admin"), ("erlan", "editor"))


@pytest.mark.parametrize(("user", "role", "pages"), [
    ("ayla", "admin", ("Upload data", "KPI scorecard", "KPI detail", "Enter actuals", "KPI administration")),
    ("erlan", "editor", ("Upload data", "KPI scorecard", "KPI detail", "Enter actuals")),
])
def test_every_page_of_the_role_is_visible_without_expanding(internal_app, user, role, pages):
    from playwright.sync_api import expect

    url, browser = internal_app  # each role logs in in its own browser context, on the module's one server
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{url}/kpis")
    page.wait_for_selector('form[action^="/auth/login"]')
    page.fill("#user", user)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.get_by_role("heading", name="Partnership KPIs").wait_for()
    nav = page.locator(".st-key-site_navigation")  # drawn with st.page_link (ui/sidebar_nav.py)
    nav.wait_for()
    for title in pages:  # the links are drawn as the script runs: wait for each (a clear failure names it)
        expect(nav.get_by_text(title, exact=True).first).to_be_visible(timeout=TIMEOUT_MS)
    assert nav.get_by_text("more", exact=False).count() == 0 or not nav.get_by_text(
        "more", exact=False).first.is_visible()
    context.close()
