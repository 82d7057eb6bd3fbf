"""data.egov.kz connector (regional BNS datasets) and the shared HTTP session's settings."""

from __future__ import annotations

import json

import requests_cache
import responses

from core.access import SYSTEM
from data_sources.http import RETRY_STATUSES, HttpClient, HttpSettings
from data_sources.refresh import refresh_source
from store import observations_for
from tests.sources_replay import FIXTURES, assert_unchanged, client, settings, source_row, store_contents

EGOV_BASE = "https://egov.test"
MAPPING = {"indicators": {"hospital_organisations_count": {
    "dataset": "med_org_by_region", "version": 2, "region_field": "region", "year_field": "year",
    "value_field": "value"}}}
URL = f"{EGOV_BASE}/api/v4/med_org_by_region/v2"


def egov_settings():
    return settings(egov={"base_url": EGOV_BASE})


def records() -> list[dict]:
    return json.loads((FIXTURES / "egov" / "hospital_organisations.json").read_text(encoding="utf-8"))


def test_regional_records_resolve_to_region_codes(store, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_EGOV_API_KEY", "k3y")
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, URL, json=records())
        outcome = refresh_source(store, SYSTEM, "egov", client(), egov_settings(), mapping=MAPPING)
        assert "apiKey=k3y" in rsps.calls[0].request.url and "source=" in rsps.calls[0].request.url
    assert outcome.status == "ok", outcome.error
    stored = observations_for(store, "hospital_organisations_count", period="2022").set_index("region")["value"]
    assert len(stored) >= len(records())
    assert stored["KZ-10"] == next(r["value"] for r in records() if r["region"] == "Abai Region")


def test_without_an_api_key_the_failure_says_what_to_do(store, monkeypatch):
    monkeypatch.delenv("DENSAULYQ_EGOV_API_KEY", raising=False)
    before = store_contents(store)
    outcome = refresh_source(store, SYSTEM, "egov", client(), egov_settings(), mapping=MAPPING)
    assert outcome.status == "failed" and "DENSAULYQ_EGOV_API_KEY" in outcome.error
    assert "python -m data_sources import" in outcome.error
    assert_unchanged(before, store_contents(store))
    assert source_row(store, "data-egov-kz")["last_status"] == "failed"


def test_forbidden_reply_and_record_missing_fields(store, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_EGOV_API_KEY", "bad")
    before = store_contents(store)
    for kwargs, fragment in (({"status": 403, "json": {"error": "API key is required"}}, "HTTP 403"),
                             ({"json": [{"region": "Abai Region", "year": 2022}]}, "missing field(s) value")):
        with responses.RequestsMock() as rsps:
            rsps.add(responses.GET, URL, **kwargs)
            outcome = refresh_source(store, SYSTEM, "egov", client(), egov_settings(), mapping=MAPPING)
        assert outcome.status == "failed" and fragment in outcome.error
        assert_unchanged(before, store_contents(store))


def test_unmapped_connector_is_skipped_not_failed(store):
    outcome = refresh_source(store, SYSTEM, "egov", client(), egov_settings(), mapping={"indicators": {}})
    assert outcome.status == "skipped" and source_row(store, "data-egov-kz") is None


# --- the shared session -----------------------------------------------------------------------------------------------

def test_session_sends_connect_and_read_timeouts():
    http = HttpClient(HttpSettings(connect_timeout=3, read_timeout=7, cache=False))
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://x.test/a", json={})
        http.get_json("https://x.test/a")
        assert rsps.calls[0].request.req_kwargs["timeout"] == (3, 7)


def test_session_retries_429_and_5xx_honouring_retry_after():
    retry = HttpClient(HttpSettings(retries=4, cache=False)).session.get_adapter("https://x.test").max_retries
    assert retry.total == 4 and set(RETRY_STATUSES) == {429, 500, 502, 503, 504}
    assert set(retry.status_forcelist) == set(RETRY_STATUSES) and retry.respect_retry_after_header


def test_on_disk_cache_answers_a_repeated_request(tmp_path):
    http = HttpClient(HttpSettings(cache=True, cache_path=str(tmp_path / "http_cache"), backoff_factor=0))
    assert isinstance(http.session, requests_cache.CachedSession)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://x.test/series", json={"value": [1]})
        first = http.get_json("https://x.test/series")
        second = http.get_json("https://x.test/series")
        assert len(rsps.calls) == 1
    assert first == second == {"value": [1]}
    assert (tmp_path / "http_cache.sqlite").exists()
