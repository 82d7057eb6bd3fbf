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
                      r"|PagesManager|\._compute\b|\._translate\b|uvicorn\.server|\bunittest\.mock\b|NonCallableMock")


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
