"""World Bank connector against replayed replies: pagination, empty results, and every fault leaves the store as
it was while the failure is recorded on the source."""

from __future__ import annotations

import copy
import http.server
import json
import socket
import threading
import time

import pytest
import requests
import responses

from core.access import SYSTEM
from data_sources.http import HttpClient, HttpSettings
from data_sources.refresh import refresh_source
from store import observations_for
from store.revisions import revisions_for
from tests.sources_replay import (
    WB_BASE,
    assert_unchanged,
    client,
    serve_worldbank,
    settings,
    source_row,
    store_contents,
    wb_reply,
    wb_url,
)

BEDS = {"country": "KZ", "indicators": {"hospital_beds_per_1000": "SH.MED.BEDS.ZS"}}


def run(store, mapping=BEDS, per_page=100, http=None):
    return refresh_source(store, SYSTEM, "worldbank", http or client(), settings(per_page=per_page), mapping=mapping)


def published(reply) -> dict[str, float]:
    return {r["date"]: r["value"] for r in reply[1] if r["value"] is not None}


def stored(store, indicator="hospital_beds_per_1000") -> dict[str, float]:
    obs = observations_for(store, indicator, region="KZ")
    return dict(zip(obs["period"], obs["value"], strict=True))


def test_follows_every_page_and_stores_every_published_year(store):
    reply = copy.deepcopy(wb_reply("SH.MED.BEDS.ZS"))
    reply[1][10]["value"] = 7.25                      # 2014: a year the store has not seen
    reply[1][11]["value"] = reply[1][11]["value"] + 1  # 2013: a revised figure
    with responses.RequestsMock() as rsps:
        serve_worldbank(rsps, "SH.MED.BEDS.ZS", reply)
        outcome = run(store, per_page=10)
        pages = sorted(int(requests.utils.urlparse(c.request.url).query.split("page=")[-1].split("&")[0])
                       for c in rsps.calls)
    assert pages == [1, 2, 3, 4]  # 35 rows at 10 per page
    assert outcome.status == "ok", outcome.error
    assert stored(store) == pytest.approx(published(reply))
    assert (outcome.summary.added, outcome.summary.changed) == (1, 1)
    assert outcome.summary.unchanged == len(published(reply)) - 2
    src = source_row(store, "worldbank-wdi")
    assert src["last_status"] == "ok" and src["as_of"] is not None


def test_a_changed_value_keeps_the_old_one_in_the_revision_history(store):
    before = stored(store)["2010"]
    reply = copy.deepcopy(wb_reply("SH.MED.BEDS.ZS"))
    row_2010 = next(r for r in reply[1] if r["date"] == "2010")
    row_2010["value"] = before + 0.5
    with responses.RequestsMock() as rsps:
        serve_worldbank(rsps, "SH.MED.BEDS.ZS", reply)
        run(store)
    history = revisions_for(store, "hospital_beds_per_1000", "KZ")
    assert len(history) == 1
    rev = history.iloc[0]
    assert (rev["period"], rev["old_value"], rev["new_value"]) == ("2010", pytest.approx(before),
                                                                   pytest.approx(before + 0.5))
    assert rev["old_source_id"] != "worldbank-wdi" and rev["new_source_id"] == "worldbank-wdi"
    assert rev["changed_by"] == SYSTEM.user
    assert stored(store)["2010"] == pytest.approx(before + 0.5)


def test_refetching_the_same_reply_rewrites_nothing(store):
    with responses.RequestsMock() as rsps:
        serve_worldbank(rsps, "SH.MED.BEDS.ZS")
        run(store)
        before = store_contents(store)
        again = run(store)
    assert (again.summary.added, again.summary.changed) == (0, 0)
    assert_unchanged(before, store_contents(store))


def test_empty_result_is_a_successful_fetch_of_nothing(store):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        serve_worldbank(rsps, "SH.XPD.CHEX.GD.ZS")
        outcome = run(store, {"country": "KZ", "indicators": {"current_health_expenditure_pct_gdp":
                                                               "SH.XPD.CHEX.GD.ZS"}})
    assert outcome.status == "ok" and outcome.fetched == 0
    assert_unchanged(before, store_contents(store))


def _assert_failed_and_untouched(store, before, outcome, *fragments):
    assert outcome.status == "failed"
    for fragment in fragments:
        assert fragment in outcome.error
    assert_unchanged(before, store_contents(store))
    src = source_row(store, "worldbank-wdi")
    assert src["last_status"] == "failed" and fragments[0] in src["last_error"]
    assert src["as_of"] is None or src["as_of"] != src["last_attempt_at"]


def test_timeout_leaves_the_store_unchanged_and_records_the_failure(store):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), body=requests.exceptions.ReadTimeout("read timed out"))
        outcome = run(store)
    _assert_failed_and_untouched(store, before, outcome, "timed out", wb_url("SH.MED.BEDS.ZS"))


def test_connection_refused(store, monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = store_contents(store)
    monkeypatch.setenv("DENSAULYQ_WORLDBANK_URL", f"http://127.0.0.1:{port}/v2")
    outcome = run(store)
    _assert_failed_and_untouched(store, before, outcome, "cannot connect", f"127.0.0.1:{port}")
    assert "Connection refused" in outcome.error


def test_http_500_then_success_is_retried(store):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), status=500)
        serve_worldbank(rsps, "SH.MED.BEDS.ZS")
        outcome = run(store)
        assert len(rsps.calls) == 2
    assert outcome.status == "ok"
    assert stored(store) == pytest.approx(published(wb_reply("SH.MED.BEDS.ZS")))


def test_http_500_every_time_gives_up_and_fails(store):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), status=503)
        outcome = run(store, http=client(retries=2))
        assert len(rsps.calls) == 3  # first try + 2 retries
    _assert_failed_and_untouched(store, before, outcome, "HTTP 503", "after 2 retries")


def test_http_429_with_retry_after_then_success(store):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), status=429, headers={"Retry-After": "0"})
        serve_worldbank(rsps, "SH.MED.BEDS.ZS")
        outcome = run(store)
        assert [c.response.status_code for c in rsps.calls] == [429, 200]
    assert outcome.status == "ok"


def test_retry_after_is_honoured_by_the_session():
    """A real server: the 429's Retry-After (1 s) is waited out even with back-off 0."""
    hits: list[float] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(time.monotonic())
            if len(hits) == 1:
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.end_headers()
                return
            body = json.dumps([{"page": 1, "pages": 1, "per_page": 50, "total": 0}, []]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        reply = client().get_json(f"http://127.0.0.1:{server.server_address[1]}/x")
    finally:
        server.shutdown()
    assert reply[0]["page"] == 1
    assert len(hits) == 2 and hits[1] - hits[0] >= 0.9


def test_a_real_read_timeout_against_a_slow_server(store, monkeypatch):
    """A server that accepts the connection but answers too late: the read timeout fires, nothing is written."""
    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(1.0)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("DENSAULYQ_WORLDBANK_URL", f"http://127.0.0.1:{server.server_address[1]}/v2")
    before = store_contents(store)
    slow_client = HttpClient(HttpSettings(read_timeout=0.2, retries=0, backoff_factor=0, cache=False))
    try:
        outcome = run(store, http=slow_client)
    finally:
        server.shutdown()
    _assert_failed_and_untouched(store, before, outcome, "timed out after 0.2 s")


def test_malformed_json(store):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), body='[{"page":1,"pages":1}, [{"date": "2020", "val',
                 content_type="application/json")
        outcome = run(store)
    _assert_failed_and_untouched(store, before, outcome, "not valid JSON")


@pytest.mark.parametrize(("reply", "expected"), [
    ([{"page": 1, "per_page": 50, "total": 1}, []], "missing field(s) pages"),
    ([{"page": 1, "pages": 1}, [{"indicator": {"id": "SH.MED.BEDS.ZS"}, "date": "2010"}]], "missing field(s) value"),
    ({"page": 1, "pages": 1}, "expected a [paging, rows] array"),
    ([{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}],
     "The provided parameter value is not valid"),
])
def test_reply_missing_fields_or_in_another_shape(store, reply, expected):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), json=reply)
        outcome = run(store)
    _assert_failed_and_untouched(store, before, outcome, expected)


def test_a_failure_on_a_later_page_writes_nothing_from_the_earlier_ones(store):
    reply = copy.deepcopy(wb_reply("SH.MED.BEDS.ZS"))
    for row in reply[1]:
        if row["value"] is not None:
            row["value"] += 1  # every value would change if anything were written
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), json=[{"page": 1, "pages": 2, "per_page": 20, "total": 35},
                                                                 reply[1][:20]],
                 match=[responses.matchers.query_param_matcher({"page": "1"}, strict_match=False)])
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), status=500,
                 match=[responses.matchers.query_param_matcher({"page": "2"}, strict_match=False)])
        outcome = run(store, per_page=20)
    _assert_failed_and_untouched(store, before, outcome, "HTTP 500", "page=2")


def test_stale_since_is_the_last_good_retrieval(store):
    with responses.RequestsMock() as rsps:
        serve_worldbank(rsps, "SH.MED.BEDS.ZS")
        run(store)
    good_as_of = source_row(store, "worldbank-wdi")["as_of"]
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), status=500)
        outcome = run(store)
    src = source_row(store, "worldbank-wdi")
    assert src["as_of"] == good_as_of and src["last_status"] == "failed"
    assert outcome.stale_since is not None and outcome.stale_since.date() == good_as_of.date()
    assert f"stale since {good_as_of:%Y-%m-%d}" in outcome.line()


def test_base_url_comes_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_WORLDBANK_URL", "https://mirror.test/wb/")
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://mirror.test/wb/country/KZ/indicator/SH.MED.BEDS.ZS",
                 json=[{"page": 1, "pages": 0}, None])
        outcome = run(store)
    assert outcome.status == "ok"
    assert WB_BASE not in source_row(store, "worldbank-wdi")["url"]
