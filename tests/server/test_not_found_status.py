"""An address that is no page answers HTTP 404, on a real server (issue 20 §17).

The page body still carries the app (the router draws its "No such page" notice in the reader's language); only
the status changes, so link checkers, crawlers and scripts can tell a typo from a page. A page of this instance, the
open-data routes and Streamlit's own files keep answering 200.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.live_app import running_app


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status, reply.headers.get("content-type", "")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("content-type", "")


@pytest.fixture(scope="module")
def public_app(tmp_path_factory: pytest.TempPathFactory):
    with running_app(tmp_path_factory.mktemp("public")) as url:
        yield url


@pytest.mark.parametrize("address", ["/no-such-page", "/mapp", "/regional_map", "/kpi-entry", "/upload",
                                     "/map/extra", "/login"])
def test_an_address_that_is_no_page_here_answers_404_with_the_app(public_app: str, address: str) -> None:
    status, content_type = _status(public_app + address + "?lang=ru")
    assert status == 404, address
    assert content_type.startswith("text/html")  # the app itself, which draws the "No such page" notice


@pytest.mark.parametrize("address", ["/", "/home", "/map", "/profile?region=KZ-ALA", "/kpis", "/capacity/",
                                     "/healthz", "/embed/map", "/api/v1/indicators", "/favicon.png"])
def test_pages_and_routes_of_the_instance_answer_200(public_app: str, address: str) -> None:
    assert _status(public_app + address)[0] == 200, address


def test_the_internal_instance_answers_404_too_and_keeps_its_log_in(tmp_path: Path) -> None:
    with running_app(tmp_path, mode="internal") as url:
        assert _status(url + "/no-such-page")[0] == 404
        assert _status(url + "/auth/login")[0] == 200
        assert _status(url + "/login")[0] == 200
