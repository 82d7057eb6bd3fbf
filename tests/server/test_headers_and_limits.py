"""Issue 21 §6: long passphrases, an OpenAPI document no looser than the validators, one Accept-Encoding parser that
honours q=0, anti-framing headers on every /embed/ address that is not an embeddable view, and what a public
instance exposes besides its pages (/healthz, /_stcore/host-config)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from auth import authenticate
from auth.passwords import password_problem
from server.middleware import SecurityHeadersMiddleware
from server.static_gzip import accepts_gzip
from tests.open_data_helpers import route_client

ROOT = Path(__file__).resolve().parents[2]
LONG_PASSPHRASE = "  ".join(["orange river tea lamp", "quiet falcon under seven bridges", "of Almaty at dawn",
                             "with 3 green kettles"])


@pytest.fixture()
def db_url(seeded_db_url: str) -> str:
    return seeded_db_url


# --- a passphrase over zxcvbn's 72 characters ---------------------------------------------------------------------

def _add_user(tmp_path: Path, name: str, password: str) -> subprocess.CompletedProcess:
    config = tmp_path / "config.toml"
    config.write_text(f'[app]\nmode = "internal"\n[auth]\nusers_file = "{tmp_path / "u.json"}"\n', encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "DENSAULYQ_CONFIG": str(config),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}"}
    return subprocess.run([sys.executable, "-m", "auth", "add-user", name, "--password-stdin"], cwd=ROOT, env=env,
                          input=password + "\n", capture_output=True, text=True, timeout=120)


def test_add_user_accepts_a_long_strong_passphrase_and_refuses_a_long_weak_one_without_a_traceback(tmp_path):
    assert len(LONG_PASSPHRASE) > 72
    done = _add_user(tmp_path, "dana", LONG_PASSPHRASE)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert authenticate(tmp_path / "u.json", "dana", LONG_PASSPHRASE) is not None
    weak = _add_user(tmp_path, "bob", "a" * 100)  # judged by its first 72 characters: still 'aaaa…'
    assert weak.returncode == 2 and "Traceback" not in weak.stderr
    assert "too easy to guess" in weak.stderr
    assert password_problem("password" * 12) is not None


# --- the OpenAPI document says what the validators accept ---------------------------------------------------------

SAMPLES = {
    "indicator": ["life_expectancy_years", "no_such_indicator", "bad id!", "", "a" * 200, "a" * 201, "x;drop"],
    "period": ["2024", "2024Q3", "1900", "2099Q4", "0000", "1899", "2100", "2024Q5", "2024q3", "", "20241"],
    "region": ["KZ", "KZ-75", "KZ-99", "KZ-7", "kz-75", "KZ-750", "", "KZ-75 "],
}


def _documented(schema: dict, value: str) -> bool:
    if "enum" in schema:
        return value in schema["enum"]
    return (len(value) >= schema.get("minLength", 0) and len(value) <= schema.get("maxLength", 10 ** 9)
            and ("pattern" not in schema or re.search(schema["pattern"], value) is not None))


def test_the_openapi_document_declares_exactly_what_the_server_validates(app_env):
    api = route_client()
    doc = api.get("/api/v1/openapi.json").json()
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/observations"]["get"]["parameters"]}
    for name, values in SAMPLES.items():
        for value in values:
            status = api.get("/api/v1/observations", params={name: value}).status_code
            assert status in (200, 400, 404), (name, value, status)
            assert _documented(params[name], value) == (status != 400), (name, value, status, params[name])
    path_schema = doc["paths"]["/api/v1/indicators/{indicator_id}"]["get"]["parameters"][0]["schema"]
    for value in ("life_expectancy_years", "no_such.id", "bad%20id", "a,b"):
        status = api.get(f"/api/v1/indicators/{value}").status_code
        plain = value.replace("%20", " ")
        assert _documented(path_schema, plain) == (status != 400), (value, status)
    for value in ("en", "kk", "de", ""):
        status = api.get("/api/v1/indicators", params={"lang": value}).status_code
        assert _documented(params["lang"], value) == (status != 400), (value, status)


# --- one Accept-Encoding parser ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "gzip"), [
    ("gzip", True), ("gzip, deflate, br", True), ("*", True), ("GZIP;Q=0.5", True), ("x-gzip", True),
    ("gzip;q=0", False), ("gzip; q=0.000", False), ("*;q=1, gzip;q=0", False), ("gzip;q=0, *", False),
    ("deflate, br", False), ("", False), (None, False), ("identity", False), ("gzip;q=nope", False),
    ("*;q=0", False), ("br;q=1, *;q=0.1", True),
])
def test_accept_encoding_is_read_with_its_q_values(header, gzip):
    assert accepts_gzip(header) is gzip


def test_an_api_body_is_not_gzipped_when_the_client_refuses_gzip(app_env):
    api = route_client()
    for header, encoded in (("gzip;q=0", False), ("gzip", True), ("*;q=1, gzip;q=0", False), ("identity", False)):
        reply = api.get("/api/v1/indicators", headers={"Accept-Encoding": header})
        assert reply.status_code == 200 and len(reply.content) > 1024
        assert (reply.headers.get("content-encoding") == "gzip") is encoded, header


# --- framing -----------------------------------------------------------------------------------------------------

def test_only_the_embeddable_views_may_be_framed_not_an_unknown_embed_address(app_env):
    api = route_client()
    for path in ("/embed/map", "/embed/trend?indicator=life_expectancy_years&region=KZ-75"):
        reply = api.get(path)
        assert reply.status_code == 200 and "x-frame-options" not in reply.headers, path
    for path in ("/embed/nothing-here", "/embed/map/../../etc", "/embed/", "/embed/trend?region=KZ-99"):
        reply = api.get(path)
        assert reply.status_code >= 400, path
        assert reply.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in reply.headers.get_list("content-security-policy")[-1], path


def test_a_page_answer_to_an_unknown_embed_address_may_not_be_framed():
    """Streamlit answers any unknown address with its app page (200): under /embed/ too, it carries DENY."""
    async def app_page(_request):
        return PlainTextResponse("streamlit app page")
    app = Starlette(routes=[Route("/{anything:path}", app_page)], middleware=[Middleware(SecurityHeadersMiddleware)])
    reply = TestClient(app).get("/embed/anything-unknown")
    assert reply.status_code == 200 and reply.headers["x-frame-options"] == "DENY"


# --- what a public instance exposes -------------------------------------------------------------------------------

def test_no_site_may_send_the_streamlit_client_commands_through_host_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["allowedOrigins"] == []
