"""Every address on a fresh server, in both instances, in headless Chromium (issue 8 §1).

Each address of the README's page table and each page file's stem is opened in the public and the internal
instance. A valid address shows its page with no "Page not found" dialog (internal: the log-in form first, then the
page first asked for); a file stem, or an address not valid in that instance, shows the router's own "No such page"
notice; a public server never shows a page that writes. One truly first visit per kind of address runs on a server
of its own (servers start in parallel); the other addresses share a server, each in a new browser session.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from auth import add_user
from core.access import SYSTEM
from tests.live_app import AppServer, write_config
from ui.nav import PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGE_TIMEOUT_MS = 60_000
ADMIN, PASSWORD = "ayla", "orange river tea lamp"
WRITE_TITLES = ("Upload data", "Enter actuals", "KPI administration")
STEMS = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
TITLE_OF = {p.url_path: p.title for p in PAGES}


def _readme_addresses() -> list[str]:
    """The URLs of the README's page table (``/home``, ``/map`` …, ``/kpi-entry``, ``/kpi-admin``)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| page | URL |"):text.index("Page state lives in the URL")]
    return [m.group(1).lstrip("/") for m in re.finditer(r"`(/[a-z0-9-]+)`", table)]


README = _readme_addresses()
# What a first visit is tested for: one fresh server per case.
FIRST_VISITS = {
    "public-page": ("public", "home"),          # the Overview URL of the README
    "public-stem": ("public", "upload"),        # a page file's stem, and a page that writes
    "public-internal-only": ("public", "kpi-admin"),
    "internal-page": ("internal", "map"),       # log-in form, then the page first asked for
    "internal-stem": ("internal", "regional_map"),
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory):
    started: dict[str, AppServer] = {}
    try:
        for case, (mode, _address) in FIRST_VISITS.items():
            tmp = tmp_path_factory.mktemp(case)
            write_config(tmp)
            if mode == "internal":
                add_user(tmp / "users.json", SYSTEM, ADMIN, PASSWORD, "admin")
            started[case] = AppServer(tmp, mode)
        yield {case: server.wait_ready() for case, server in started.items()}
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    yield ctx
    ctx.close()


def _settled(page) -> str:
    """Wait for the router's answer; returns "page", "no such page" or "log-in form"."""
    page.wait_for_function("""() => document.querySelector('form[action^="/auth/login"]')
        || document.querySelector('[data-testid=stMain] h1')""", polling=200)
    page.wait_for_timeout(400)  # Streamlit's own dialog, when it comes, arrives with the first script run
    if page.locator('form[action^="/auth/login"]').count():
        return "log-in form"
    if page.get_by_role("heading", name="No such page").count():
        return "no such page"
    if page.get_by_role("heading", name="Log in").count():
        return "log-in page"
    return "page"


def _shown_address(page) -> str:
    """The page the router runs, as Streamlit writes it into the address bar ("" for the default page)."""
    return urlsplit(page.url).path.strip("/")


def _visit(context, url: str) -> tuple[str, object]:
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    outcome = _settled(page)
    assert page.get_by_text("Page not found").count() == 0, f"{url}: Streamlit's 'Page not found' dialog"
    return outcome, page


def _assert_public_writes_nothing(page, url: str) -> None:
    sidebar = page.locator("[data-testid=stSidebar]").inner_text()
    assert not any(title in sidebar for title in WRITE_TITLES), f"{url}: a page that writes is offered"
    assert page.locator("[data-testid=stFileUploader], [data-testid=stForm]").count() == 0, url


def _log_in(page, user: str = ADMIN, password: str = PASSWORD) -> None:
    page.fill("#user", user)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def _expected(mode: str, address: str) -> str:
    public_paths = {p.url_path for p in PAGES if "public" in p.modes and not p.writes}
    valid = public_paths if mode == "public" else set(TITLE_OF)
    return "page" if address in valid else "no such page"


# --- truly first visits: one fresh server each ------------------------------------------------------------------

def test_public_first_visit_of_home_shows_the_overview(servers, context):
    url = f"{servers['public-page']}/home"
    outcome, page = _visit(context, url)
    assert outcome == "page" and _shown_address(page) == ""  # the default page lives at /
    _assert_public_writes_nothing(page, url)


@pytest.mark.parametrize("case", ["public-stem", "public-internal-only"])
def test_public_first_visit_of_a_write_page_or_file_stem_is_the_routers_not_found(servers, context, case):
    url = f"{servers[case]}/{FIRST_VISITS[case][1]}"
    outcome, page = _visit(context, url)
    assert outcome == "no such page", url
    _assert_public_writes_nothing(page, url)


def test_internal_first_visit_of_a_deep_link_logs_in_then_opens_that_page(servers, context):
    url = f"{servers['internal-page']}/map?indicator=physicians_per_10k&period=2022"
    outcome, page = _visit(context, url)
    assert outcome == "log-in form"
    _log_in(page)
    assert _settled(page) == "page" and _shown_address(page) == "map"
    assert page.url.startswith(url)
    assert page.locator(".js-plotly-plot").first.is_visible() or page.wait_for_selector(".js-plotly-plot")
    assert page.get_by_text("Page not found").count() == 0


def test_internal_first_visit_of_a_file_stem_is_the_routers_not_found(servers, context):
    outcome, _page = _visit(context, f"{servers['internal-stem']}/regional_map")
    assert outcome == "no such page"


# --- every other address, each in a new browser session (a few at a time) -------------------------------------

BATCH = 4


def _visit_all(context, base: str, mode: str, addresses: list[str]) -> list[str]:
    """Open each address in a new tab, ``BATCH`` at a time; the problems found (empty when all is well)."""
    problems: list[str] = []
    for start in range(0, len(addresses), BATCH):
        opened = []
        for address in addresses[start:start + BATCH]:
            page = context.new_page()
            page.goto(f"{base}/{address}", wait_until="commit")
            opened.append((address, page))
        for address, page in opened:
            url = f"{base}/{address}"
            outcome = _settled(page)
            expected = "page" if address == "" else _expected(mode, address)
            if page.get_by_text("Page not found").count():
                problems.append(f"{url}: Streamlit's 'Page not found' dialog")
            if outcome != expected:
                problems.append(f"{url}: {outcome}, expected {expected}")
            elif outcome == "page" and _shown_address(page) != ("" if address in ("", "home") else address):
                problems.append(f"{url}: the router ran /{_shown_address(page)}")
            if mode == "public":
                sidebar = page.locator("[data-testid=stSidebar]").inner_text()
                if any(title in sidebar for title in WRITE_TITLES):
                    problems.append(f"{url}: a page that writes is offered in the sidebar")
                if page.locator("[data-testid=stFileUploader], [data-testid=stForm]").count():
                    problems.append(f"{url}: an upload field or form is shown")
            page.close()
    return problems


def test_public_every_readme_address_and_file_stem(servers, context):
    addresses = ["", *README, *STEMS, "login", "no-such-address"]
    assert len(README) == len(PAGES) and len(STEMS) == len(PAGES)  # the README lists every page, every page a file
    assert _visit_all(context, servers["public-page"], "public", addresses) == []


@pytest.fixture(scope="module")
def internal_session(servers, browser):
    """One logged-in browser context (an admin: every internal page is theirs to see)."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    page = ctx.new_page()
    page.goto(f"{servers['internal-page']}/auth/login")
    _log_in(page)
    page.close()
    yield ctx
    ctx.close()


def test_internal_every_readme_address_and_file_stem_after_log_in(servers, internal_session):
    addresses = [*README, *STEMS, "no-such-address"]
    assert _visit_all(internal_session, servers["internal-page"], "internal", addresses) == []


@pytest.mark.parametrize("address", ["kpis", "kpi-admin", "import"])
def test_internal_page_addresses_before_log_in_go_to_the_form_and_back(servers, context, address):
    url = f"{servers['internal-page']}/{address}"
    outcome, page = _visit(context, url)
    assert outcome == "log-in form"
    _log_in(page)
    assert _settled(page) == "page" and _shown_address(page) == address


# --- framing: only /embed/ may be framed ------------------------------------------------------------------------

def _headers(url: str) -> dict[str, str]:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as reply:
            return {k.lower(): v for k, v in reply.headers.items()}
    except urllib.error.HTTPError as err:  # 303 / 404 still carry the headers
        return {k.lower(): v for k, v in err.headers.items()}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("case,address", [("internal-page", "map"), ("internal-page", "auth/login"),
                                          ("internal-page", ""), ("public-page", "map"), ("public-page", "healthz")])
def test_pages_may_not_be_framed_by_other_sites(servers, case, address):
    headers = _headers(f"{servers[case]}/{address}")
    assert headers.get("x-frame-options") == "DENY"
    assert "frame-ancestors 'none'" in headers.get("content-security-policy", "")
