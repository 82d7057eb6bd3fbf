"""Shared by the AppTest page tests: open a page of ``dashboard.py`` the way a link opens it, point the app at a store,
and read every text a reader sees. Fixtures built on these live in tests/pages/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
BLANK_WHEN_MISSING = {"Progress"}  # progress bars draw an empty cell for a missing value
# machine names that must never reach a reader (column ids, catalogue keys, source ids)
MACHINE_IDS = ["region_name", "ci_lower", "health_outcomes", "higher_is_better", "github.com-045bec",
               "rwe_registries_linked", "source_title", "indicator_id"]


@contextmanager
def public_app_on(store_url: str, monkeypatch: pytest.MonkeyPatch, mode: str = "public") -> Iterator[str]:
    """The environment of an AppTest run: this store, this mode (public unless said), no config file or language
    override, settings and Streamlit's resource cache re-read."""
    import streamlit

    import ui.context

    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("DENSAULYQ_MODE", mode)
    monkeypatch.delenv("DENSAULYQ_CONFIG", raising=False)
    monkeypatch.delenv("DENSAULYQ_LANGUAGE", raising=False)
    ui.context.settings.clear()
    streamlit.cache_resource.clear()
    yield store_url
    ui.context.settings.clear()


def open_page(page: str, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """A fresh session of ``dashboard.py`` opened with ``query`` in its URL, switched to ``page``; no exception.
    ``timeout``: seconds a run may take (a page that builds a figure of every period needs more)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def screen_text(at: AppTest) -> str:
    """Every text a reader sees: headings, markdown, captions, notices, metrics, and every table cell and header."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(el.value) for el in getattr(at, kind)]
    for metric in at.metric:
        parts += [str(metric.label), str(metric.value), str(metric.delta or "")]
    for frame in [*at.dataframe, *at.table]:
        df = frame.value
        parts += [str(c) for c in df.columns]
        for column in df.columns:
            if column in BLANK_WHEN_MISSING:
                continue
            parts += ["None" if _missing(v) else str(v) for v in df[column]]  # the grid writes "None" for null
    return "\n".join(parts)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists (sparklines, labels)
        return False
