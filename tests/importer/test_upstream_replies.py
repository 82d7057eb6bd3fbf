"""Issue 9 §3: upstream replies are shown as plain text (public: only status and time), and a server that
dribbles its reply cannot hold a refresh: a total deadline per request and per source."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from core.access import SYSTEM
from data_sources.http import HttpClient, HttpSettings, SourceError
from data_sources.refresh import refresh_source
from data_sources.seed import open_store
from store.revisions import record_failure
from tests.sources_replay import settings

ROOT = Path(__file__).resolve().parents[2]
JSON_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"


@contextmanager
def dribbling_server(send) -> Iterator[str]:
    """A loopback server whose every connection is answered by ``send(conn)`` (one byte at a time, slowly)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve_one(conn):
        with conn:
            try:
                conn.recv(65536)
                send(conn, stop)
            except OSError:
                pass

    def loop():
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def one_byte_per_second(body: bool):
    def send(conn, stop):
        payload = (JSON_HEAD % 10_000) if not body else b""
        if body:
            conn.sendall(JSON_HEAD % 10_000)
            payload = b"[" + b" " * 9_999
        for byte in payload:
            if stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(1.0)
    return send


def quick_reply(seconds: float):
    def send(conn, stop):
        body = b'{"ok": true}'
        conn.sendall(JSON_HEAD % len(body))
        for byte in body:
            conn.sendall(bytes([byte]))
            time.sleep(seconds / len(body))
    return send


def client(**overrides) -> HttpClient:
    base = {"retries": 0, "backoff_factor": 0, "cache": False, "read_timeout": 5.0, "total_timeout": 2.0}
    return HttpClient(HttpSettings(**{**base, **overrides}))


@pytest.mark.parametrize("body", [True, False], ids=["body", "headers"])
def test_a_reply_dribbled_one_byte_per_second_fails_at_the_request_deadline(body):
    with dribbling_server(one_byte_per_second(body)) as url:
        start = time.monotonic()
        with pytest.raises(SourceError, match="no complete reply within 2 s"):
            client().get_json(url + "/v2/data")
        assert time.monotonic() - start < 4  # read timeout (5 s) never trips: each byte arrives within it


def test_requests_of_one_source_share_its_time_budget():
    with dribbling_server(quick_reply(0.6)) as url:
        http = client(total_timeout=10.0)
        with http.budget(1.0):
            assert http.get_json(url) == {"ok": True}
            with pytest.raises(SourceError, match="time budget"):
                http.get_json(url)
        assert http.get_json(url) == {"ok": True}  # outside the budget, only the request deadline applies


def test_refresh_of_a_dribbling_source_fails_in_bounded_time_and_keeps_its_data(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    mapping = {"country": "KZ", "indicators": {"hospital_beds_per_1000": "SH.MED.BEDS.ZS"}}
    with dribbling_server(one_byte_per_second(True)) as url:
        start = time.monotonic()
        outcome = refresh_source(store, SYSTEM, "worldbank", client(source_timeout=3.0),
                                 settings(worldbank={"base_url": url + "/v2"}), mapping=mapping)
        assert time.monotonic() - start < 6
    assert outcome.status == "failed" and "no complete reply" in outcome.error


def _stale_notes(mode: str, monkeypatch, db_url: str) -> list[str]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", mode)
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if mode == "internal":
        from core.access import Identity
        at.session_state["identity"] = Identity("reader", "viewer", "internal")
    at.run()
    assert not at.exception
    return [w.value for w in at.warning if "stale since" in w.value]


def test_upstream_reply_text_is_never_rendered_as_markdown(monkeypatch, db_url):
    store = open_store(db_url)
    source = {"id": "worldbank-wdi", "title": "World Bank WDI", "publisher": "World Bank", "url": None,
              "licence": "CC BY 4.0", "kind": "api"}
    record_failure(store, source, "reply is not valid JSON ('![pixel](http://evil.test/p.png) [click](http://evil"
                                  ".test)') from http://mirror.internal:8080/v2 HTTP 502", SYSTEM)
    public = _stale_notes("public", monkeypatch, db_url)
    assert len(public) == 1 and "failed: HTTP 502 at" in public[0]
    assert "evil.test" not in public[0] and "mirror.internal" not in public[0]
    internal = _stale_notes("internal", monkeypatch, db_url)
    assert len(internal) == 1 and "\\!\\[pixel\\]" in internal[0] and "\\[click\\]" in internal[0]
    assert "http://" not in internal[0]  # no bare URL for Markdown to turn into a link either
