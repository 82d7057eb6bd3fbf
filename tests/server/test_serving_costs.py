"""What makes a reader's visit cheap, tested as behaviour: small responses leave at once (TCP_NODELAY on the
listening socket), cached reads are shared but never changed by a page, styled tables and frozen figures send
exactly what the uncached ones would."""

from __future__ import annotations

import asyncio
import socket
import threading

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from charts.frozen import freeze
from server.uvicorn_compat import patch_uvicorn, set_nodelay, with_nodelay
from ui.process_cache import clear_all, process_cache
from ui.streamlit_compat import compute_once
from ui.tables import localized, styled


def test_set_nodelay_turns_nagle_off_on_a_plain_tcp_socket() -> None:
    sock = socket.socket(socket.AF_INET)  # protocol 0, like Streamlit's listening socket: asyncio would skip it
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        set_nodelay(sock)
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()


def test_uvicorn_serves_streamlits_kind_of_socket_with_nodelay_and_connections_inherit_it() -> None:
    import uvicorn

    assert patch_uvicorn()
    listener = socket.socket(socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])), daemon=True)
    thread.start()
    try:
        for _unused in range(200):
            if server.started:
                break
            threading.Event().wait(0.02)
        assert server.started
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        import httpx

        with httpx.Client() as client:  # two requests on one kept-alive connection both answer
            url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
            assert client.get(url).text == "ok" and client.get(url).text == "ok"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def test_wrapping_startup_twice_wraps_once() -> None:
    async def startup(self, sockets=None):
        return None

    once = with_nodelay(startup)
    assert with_nodelay(once) is once


def test_process_cache_builds_once_and_a_caller_cannot_change_what_the_next_one_gets() -> None:
    calls: list[str] = []

    @process_cache(max_entries=2)
    def read(key: str) -> pd.DataFrame:
        calls.append(key)
        return pd.DataFrame({"region": ["KZ-10", "KZ-11"], "value": [1.0, 2.0]})

    first = read("a")
    first["value"] = 99.0  # a page adding or overwriting a column on what it got
    first.loc[0, "region"] = "changed"
    first["extra"] = 1
    second = read("a")
    assert calls == ["a"]
    assert second["value"].tolist() == [1.0, 2.0] and second["region"].tolist() == ["KZ-10", "KZ-11"]
    assert "extra" not in second
    read("b"), read("c")  # the least recently used entry ("a") is dropped beyond max_entries
    read("a")
    assert calls == ["a", "b", "c", "a"]
    clear_all()
    read("b")
    assert calls[-1] == "b"


def test_process_cache_builds_a_missing_entry_once_when_readers_arrive_together() -> None:
    calls: list[int] = []
    gate = threading.Event()

    @process_cache()
    def slow(key: int) -> list[int]:
        calls.append(key)
        gate.wait(1)
        return [key]

    results: list[list[int]] = []
    threads = [threading.Thread(target=lambda: results.append(slow(7))) for _unused in range(8)]
    for th in threads:
        th.start()
    gate.set()
    for th in threads:
        th.join(5)
    assert calls == [7] and results == [[7]] * 8
    results[0].append(8)  # a caller's list is its own
    assert slow(7) == [7]


def _table() -> pd.DataFrame:
    return pd.DataFrame({"Region": ["Abai", "Astana"], "Value": [12345.678, 0.5], "Count": [1200, None]})


def _display(styler) -> list[list[str]]:
    styler._compute()
    body = styler._translate(False, False)["body"]
    return [[cell["display_value"] for cell in row if cell.get("type") == "td"] for row in body]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_styled_table_shows_what_a_fresh_styler_shows_and_formats_once(lang: str) -> None:
    expected = _display(localized(_table(), lang, {"Value": 1, "Count": 0}))
    shared = styled(_table(), lang, {"Value": 1, "Count": 0})
    assert _display(shared) == expected
    assert styled(_table(), lang, {"Value": 1, "Count": 0}) is shared  # same content, language, formats
    assert styled(_table(), "en" if lang != "en" else "ru", {"Value": 1, "Count": 0}) is not shared
    changed = _table()
    changed.loc[0, "Value"] = 1.0
    assert styled(changed, lang, {"Value": 1, "Count": 0}) is not shared


def test_compute_once_translates_once() -> None:
    styler = localized(_table(), "ru", 1)
    calls: list[int] = []
    real = styler._translate
    styler._translate = lambda *a, **k: calls.append(1) or real(*a, **k)
    compute_once(styler)
    first = styler._translate(False, False)
    assert styler._translate(False, False) is first and len(calls) == 1


def test_a_frozen_figure_sends_the_same_json_as_the_figure() -> None:
    import numpy as np

    fig = go.Figure(go.Scatter(x=np.arange(50), y=np.linspace(0, 1, 50), customdata=[["KZ-10", 1.5]] * 50))
    fig.update_layout(title="t", xaxis={"range": [pd.Timestamp("2024-01-01"), pd.Timestamp("2025-01-01")]})
    assert pio.to_json(freeze(fig), validate=False) == pio.to_json(fig, validate=False)


def test_streamlit_marshals_a_shared_styled_table_once_with_the_same_message() -> None:
    from streamlit.elements import arrow
    from streamlit.elements.lib import pandas_styler_utils
    from streamlit.proto.ArrowData_pb2 import ArrowData as ArrowProto

    from ui.streamlit_compat import install_styler_memo

    assert install_styler_memo()
    shared = styled(_table(), "kk", {"Value": 1, "Count": 0})
    fresh = localized(_table(), "kk", {"Value": 1, "Count": 0})
    fresh.set_uuid(shared.uuid)
    expected = ArrowProto()
    pandas_styler_utils.marshall_styler(expected, fresh, "x")  # Streamlit's own, on an unshared Styler
    first, second = ArrowProto(), ArrowProto()
    arrow.marshall_styler(first, shared, "x")
    calls: list[int] = []
    real_translate = shared._translate
    shared._translate = lambda *a, **k: calls.append(1) or real_translate(*a, **k)
    arrow.marshall_styler(second, shared, "y")
    assert first.styler == expected.styler and second.styler == expected.styler
    assert calls == []  # the second message was copied, not computed again


def test_a_shared_table_is_serialised_once_and_the_callers_frame_stays_its_own() -> None:
    from streamlit import dataframe_util

    from ui.streamlit_compat import install_styler_memo

    assert install_styler_memo()
    mine = pd.DataFrame({"Region": ["Abai", "Astana"], "Code": ["KZ-10", "KZ-71"]})  # no numbers: a plain frame
    shared = styled(mine, "ru")
    mine.loc[0, "Region"] = "changed"  # the page changing its own frame after drawing it
    assert shared["Region"].tolist() == ["Abai", "Astana"]
    first = dataframe_util.convert_pandas_df_to_arrow_bytes(shared)
    assert dataframe_util.convert_pandas_df_to_arrow_bytes(shared) is first
    other = pd.DataFrame({"Region": ["Abai"]})
    convert = dataframe_util.convert_pandas_df_to_arrow_bytes
    assert convert(other) is not convert(other)  # an unshared frame is serialised each time, as before
