"""The private Streamlit, pandas and uvicorn internals the product relies on exist as ``ui/streamlit_compat.py`` and
``server/uvicorn_compat.py`` use them: an upgrade that renames or reshapes one fails here, by name. And no other
product module touches an internal."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
COMPAT_MODULES = {Path("ui/streamlit_compat.py"), Path("server/uvicorn_compat.py")}
PRODUCT_DIRS = ("core", "geo", "catalogue", "store", "analytics", "charts", "data_sources", "kpi", "readmodel",
                "server", "rwd", "auth", "share", "ui", "pages")
# Imports and attributes that are Streamlit's, pandas' or uvicorn's internals (the public ``streamlit.testing.v1``
# and ``streamlit.components.v2`` are not).
INTERNAL = re.compile(r"streamlit\.(runtime|elements|web|proto|dataframe_util|commands|delta_generator)\b"
                      r"|PagesManager|\._compute\b|\._translate\b|uvicorn\.(server|protocols)|\bunittest\.mock\b|NonCallableMock")


def _parameters(fn) -> list[str]:
    return list(inspect.signature(fn).parameters)


def test_the_page_manager_has_what_the_router_uses() -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import ScriptRunContext

    assert "uses_pages_directory" in vars(PagesManager)
    assert isinstance(vars(PagesManager)["intended_page_name"], property)
    assert isinstance(vars(PagesManager)["intended_page_script_hash"], property)
    assert _parameters(PagesManager.set_script_intent) == ["self", "page_script_hash", "page_name"]
    assert "pages_manager" in ScriptRunContext.__dataclass_fields__


def test_pandas_styler_has_the_methods_compute_once_replaces() -> None:
    from pandas.io.formats.style import Styler

    assert _parameters(Styler._compute) == ["self"]
    assert _parameters(Styler._translate)[:3] == ["self", "sparse_index", "sparse_cols"]


def test_streamlit_serialises_tables_through_the_functions_the_memo_replaces() -> None:
    from streamlit import dataframe_util
    from streamlit.elements import arrow

    assert arrow.dataframe_util is dataframe_util
    assert _parameters(arrow.marshall_styler) == ["proto", "styler", "default_uuid"]
    assert _parameters(dataframe_util.convert_pandas_df_to_arrow_bytes)[0] == "df"


def test_uvicorn_server_startup_takes_the_sockets() -> None:
    from uvicorn.server import Server

    assert _parameters(Server.startup) == ["self", "sockets"]


def test_a_shared_table_is_formatted_once_as_streamlit_asks_for_it() -> None:
    from ui.streamlit_compat import compute_once

    styler = pd.DataFrame({"x": [1.5, 2.25]}).style.format({"x": "{:.1f}".format})
    calls = []
    real = styler._translate
    styler._translate = lambda *a, **k: calls.append(1) or real(*a, **k)  # type: ignore[method-assign]
    shared = compute_once(styler)
    first = shared._compute()._translate(True, True)
    second = shared._compute()._translate(True, True)
    assert first is second and len(calls) == 1
    shown = [cell["display_value"] for row in first["body"] for cell in row if cell.get("type") == "td"]
    assert shown == ["1.5", "2.2"]


def test_a_component_conversion_with_options_still_works_after_the_memo() -> None:
    from streamlit import dataframe_util

    from ui.streamlit_compat import install_styler_memo

    assert install_styler_memo()
    frame = pd.DataFrame({"a": ["x", "y"]})
    assert dataframe_util.convert_pandas_df_to_arrow_bytes(frame, downcast_large_types=True)


def test_apptest_runs_are_recognised_and_plain_runs_are_not(tmp_path: Path) -> None:
    from ui.streamlit_compat import running_without_browser

    script = tmp_path / "probe.py"
    script.write_text("import streamlit as st\nfrom ui.streamlit_compat import running_without_browser\n"
                      "st.text(str(running_without_browser()))\n", encoding="utf-8")
    at = AppTest.from_file(str(script)).run()
    assert not at.exception and at.text[0].value == "True"
    assert running_without_browser()  # a plain test process: no Streamlit runtime at all


def test_the_apptest_flag_is_a_streamlit_option_off_by_default() -> None:
    from streamlit import config

    assert config.get_option("global.appTest") is False
    assert "global.appTest" in config._config_options  # hidden, but Streamlit's own


@pytest.mark.parametrize("path", [p for d in PRODUCT_DIRS for p in sorted((ROOT / d).rglob("*.py"))
                                  if "__pycache__" not in p.parts] + [ROOT / "dashboard.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_compat_modules_touch_an_internal(path: Path) -> None:
    if path.relative_to(ROOT) in COMPAT_MODULES:
        return
    found = [m.group(0) for m in INTERNAL.finditer(path.read_text(encoding="utf-8"))]
    assert not found, f"{path.relative_to(ROOT)} uses {found}: move it to a compat module"


def test_no_server_config_of_the_repository_sets_the_apptest_flag() -> None:
    configs = [*ROOT.glob(".streamlit/*.toml"), *ROOT.glob("deploy/**/*.toml"), ROOT / "config.toml"]
    assert configs and not [c for c in configs if "apptest" in c.read_text(encoding="utf-8").lower()]


def test_the_runtime_makes_its_script_cache_from_the_name_the_hook_replaces() -> None:
    from streamlit.runtime import runtime as runtime_module
    from streamlit.runtime import websocket_session_manager

    assert "ScriptCache()" in inspect.getsource(runtime_module.Runtime.__init__)
    assert "_script_cache.clear()" in inspect.getsource(websocket_session_manager.WebsocketSessionManager)


@pytest.mark.parametrize(("watcher", "kept"), [("none", True), ("auto", False), ("poll", False)])
def test_compiled_scripts_survive_the_last_session_only_without_a_file_watcher(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, watcher: str, kept: bool) -> None:
    from streamlit import config
    from streamlit.runtime import runtime as runtime_module

    from ui.streamlit_compat import keep_scripts_compiled_while_quiet

    monkeypatch.setattr(runtime_module, "ScriptCache", runtime_module.ScriptCache)  # restored after the test
    keep_scripts_compiled_while_quiet()
    script = tmp_path / "page.py"
    script.write_text("x = 1\n", encoding="utf-8")
    cache = runtime_module.ScriptCache()  # as Runtime.__init__ makes it
    first = cache.get_bytecode(str(script))
    monkeypatch.setattr(config, "get_option",
                        lambda key, real=config.get_option: watcher if key == "server.fileWatcherType" else real(key))
    cache.clear()  # what the session manager does when the last session disconnects
    assert (cache.get_bytecode(str(script)) is first) is kept


def test_uvicorn_builds_its_websocket_deflate_from_the_name_the_patch_replaces() -> None:
    from uvicorn.protocols.websockets import websockets_sansio_impl as impl

    source = inspect.getsource(impl.WebSocketsSansIOProtocol.__init__)
    assert "ServerPerMessageDeflateFactory(" in source and "compress_settings=" in source
    assert "compress_settings" in _parameters(impl.ServerPerMessageDeflateFactory.__init__)


def test_the_websocket_is_deflated_at_the_chosen_level_and_still_reads_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    from uvicorn.protocols.websockets import websockets_sansio_impl as impl
    from websockets.extensions.permessage_deflate import PerMessageDeflate
    from websockets.frames import Frame, Opcode

    from server.uvicorn_compat import WEBSOCKET_COMPRESSION_LEVEL, patch_websocket_compression

    monkeypatch.setattr(impl, "ServerPerMessageDeflateFactory", impl.ServerPerMessageDeflateFactory)  # restored
    real = impl.ServerPerMessageDeflateFactory
    assert patch_websocket_compression() and patch_websocket_compression()  # twice: still one level, one subclass
    factory = impl.ServerPerMessageDeflateFactory(server_max_window_bits=12, client_max_window_bits=12,
                                                  compress_settings={"memLevel": 5})  # as uvicorn makes it
    assert isinstance(factory, real) and impl.ServerPerMessageDeflateFactory.__mro__[1] is real
    assert factory.compress_settings == {"memLevel": 5, "level": WEBSOCKET_COMPRESSION_LEVEL}
    text = ('{"figure": {"type": "choroplethmap", "z": [' + ", ".join(str(i * 1.5) for i in range(4000)) + "]}}")
    sender = PerMessageDeflate(False, False, 12, 12, factory.compress_settings)
    receiver = PerMessageDeflate(False, False, 12, 12)
    sent = sender.encode(Frame(Opcode.TEXT, text.encode()))
    assert receiver.decode(sent).data == text.encode()

    def deflated(level: int) -> bytes:  # what websockets sends: a sync-flushed block without its empty tail
        encoder = zlib.compressobj(level, zlib.DEFLATED, -12, 5)
        return (encoder.compress(text.encode()) + encoder.flush(zlib.Z_SYNC_FLUSH))[:-4]

    assert sent.data == deflated(WEBSOCKET_COMPRESSION_LEVEL) != deflated(6)
    assert len(sent.data) < len(text) / 2


def test_a_fresh_page_is_built_once_and_copied_with_nothing_shared_a_run_changes(tmp_path: Path) -> None:
    (tmp_path / "a_page.py").write_text("import streamlit as st\nst.text('page A')\n", encoding="utf-8")
    script = tmp_path / "probe.py"
    script.write_text(
        "import streamlit as st\nfrom ui.streamlit_compat import fresh_page\n"
        "built = st.session_state.setdefault('built', [])\n"
        "def build():\n    built.append(1)\n    return st.Page('a_page.py', title='A', url_path='a')\n"
        "pages = [fresh_page('probe-a', build), fresh_page('probe-a', build)]\n"
        "st.session_state.setdefault('runs', []).append(pages)\n"
        "st.navigation(pages[:1], position='hidden').run()\n", encoding="utf-8")
    at = AppTest.from_file(str(script)).run().run()
    assert not at.exception, [e.message for e in at.exception]
    (navigated, untouched), (again, other) = at.session_state["runs"]
    assert at.session_state["built"] == [1], "built once for every call of both runs"
    assert len({id(navigated), id(untouched), id(again)}) == 3
    assert [text.value for text in at.text] == ["page A"], "a copy runs its page"
    # st.navigation changes the pages it is given (here: the first becomes the default): on that run's copy only
    changed = {k for k in vars(navigated) if vars(navigated)[k] != vars(untouched)[k]}
    assert changed and changed <= {"_default", "_can_be_called"}, changed
    assert vars(other) == vars(untouched) and vars(again) == vars(navigated), "each run starts from the page as built"
    # every attribute immutable: a shallow copy shares nothing that can be changed in place
    assert all(isinstance(v, (str, bool, int, type(None), Path)) or callable(v) for v in vars(navigated).values()), (
        {k: type(v) for k, v in vars(navigated).items()})
