"""The internal log-in in headless Chromium: the form, then the page first asked for; the log-in survives a reload
and a new tab; log-out in one tab ends it everywhere, also for a tab whose Streamlit session is still open."""

from __future__ import annotations

import pytest

from auth import add_user
from core.access import SYSTEM
from tests.live_app import launch_chromium, running_app, write_config

pytestmark = pytest.mark.browser

USER, PASSWORD = "erlan", "orange river tea lamp"
TIMEOUT_MS = 60_000


def _gate_or_form(page) -> None:
    page.wait_for_function("""() => document.querySelector('form[action^="/auth/login"]')
        || Array.from(document.querySelectorAll('h1')).some(h => h.innerText.trim() === 'Log in')""", polling=200)


def test_log_in_survives_reload_and_new_tab_and_log_out_ends_it(tmp_path):
    write_config(tmp_path)
    add_user(tmp_path / "users.json", SYSTEM, USER, PASSWORD, "editor")
    with running_app(tmp_path, mode="internal") as url, launch_chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{url}/map?indicator=physicians_per_10k&period=2022")
        page.wait_for_selector('form[action^="/auth/login"]')
        page.fill("#user", USER)
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        page.get_by_text("Unknown user name or wrong password.").wait_for()
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.wait_for_selector(".js-plotly-plot")
        assert "/map?indicator=physicians_per_10k&period=2022" in page.url
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text(f"Logged in as {USER} (editor)").wait_for()
        assert "KPI administration" not in sidebar.inner_text()  # editors do not see the admin page
        cookie = next(c for c in context.cookies() if c["name"] == "densaulyq_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie").find("densaulyq_session") < 0  # not readable by scripts

        page.reload()
        page.wait_for_selector(".js-plotly-plot")
        sidebar.get_by_text(f"Logged in as {USER}").wait_for()

        tab = context.new_page()
        tab.goto(f"{url}/kpis")
        tab.get_by_role("heading", name="Partnership KPIs").wait_for()
        tab.locator("[data-testid=stSidebar]").get_by_text(f"Logged in as {USER}").wait_for()

        with tab.expect_navigation():
            tab.locator("[data-testid=stSidebar]").get_by_text("Log out").click()
        tab.wait_for_selector('form[action^="/auth/login"]')
        assert not any(c["name"] == "densaulyq_session" for c in context.cookies())

        # The first tab's Streamlit session is still open; its next rerun finds the session revoked in the store.
        page.locator("[data-testid=stSidebar]").get_by_text("Compare").first.click()
        _gate_or_form(page)
        assert page.locator(".js-plotly-plot").count() == 0
        page.reload()
        page.wait_for_selector('form[action^="/auth/login"]')
        context.close()
