"""Issue 21 §1-2: text that comes from data is text (no link, image or markup from an extract, a source or a note),
bidi controls are neither stored nor a way round the formula guard, and the public KPI page sends no editor's
comment, evidence link or reason to the browser.

Every hostile value is generated here; what a browser would render is read from what the app sends it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from core.access import SYSTEM
from tests.kpi_helpers import ADMIN, EDITOR
from tests.rwd_fixture import tables, write_extract

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "Registry [x](http://evil.test/a) ![t](http://evil.test/p.png) <img src=http://evil.test/i.png> **b**"
LIVE_MARKUP = (re.compile(r"(?<!\\)\]\((?!/)"), re.compile(r"(?<!\\)<img"), re.compile(r"(?<!\\)!\["),
               re.compile(r"(?<!\\)\*\*b(?<!\\)\*\*"))


def _elements(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)


def sent_bytes(at: AppTest) -> bytes:
    """Everything the page's elements carry to the browser, as serialised for the websocket."""
    return b"".join(e.proto.SerializeToString() for e in _elements(at._tree) if getattr(e, "proto", None) is not None)


def _page(monkeypatch, db_url: str, page: str, mode: str = "public", query: dict | None = None,
          identity=None) -> AppTest:
    import ui.context

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", mode)
    ui.context.settings.clear()
    streamlit.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if identity is not None:
        at.session_state["identity"] = identity
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _rwd_store_with_hostile_extract(db_url: str, tmp_path: Path) -> None:
    from data_sources.seed import init_store
    from rwd.compute import compute, write
    from rwd.engines import DuckDBEngine
    from store import make_engine

    source = tables()["cdm_source"].assign(cdm_source_name=HOSTILE, cdm_source_abbreviation=HOSTILE)
    store = init_store(make_engine(db_url))
    engine = DuckDBEngine()
    try:
        write(store, compute(engine, write_extract(tmp_path / "cdm", cdm_source=source), ["2024"], synthetic=False),
              SYSTEM)
    finally:
        engine.close()


def test_markdown_and_html_in_the_extract_name_render_inert_on_the_rwd_page(monkeypatch, db_url, tmp_path):
    """Before: cdm_source_name was rendered as Markdown: a live link and a tracking image."""
    _rwd_store_with_hostile_extract(db_url, tmp_path)
    at = _page(monkeypatch, db_url, "pages/real_world_data.py")
    bodies = [str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning]]
    extract_line = next(b for b in bodies if "evil" in b)
    assert "Registry" in extract_line
    for body in bodies:
        assert not any(p.search(body) for p in LIVE_MARKUP), body
        assert "http://evil" not in body  # a word joiner in "://": no bare address is turned into a link either


def test_markdown_in_a_source_title_renders_inert_in_captions_and_hover_labels(monkeypatch, store, db_url):
    from charts.choropleth import wrap_html
    from store.revisions import write_observations

    rows = pd.DataFrame([{"indicator_id": "life_expectancy_years", "region": "KZ-75", "period": "2022",
                          "value": 75.0}])
    write_observations(store, rows, {"id": "stat-le", "title": HOSTILE, "publisher": HOSTILE, "url": None,
                                     "licence": "<img src=http://evil.test/l.png>", "kind": "snapshot"}, SYSTEM)
    at = _page(monkeypatch, db_url, "pages/regional_map.py", query={"indicator": "life_expectancy_years",
                                                                    "period": "2022"})
    captions = [str(c.value) for c in at.caption if "Registry" in str(c.value)]
    assert captions
    for body in captions:
        assert not any(p.search(body) for p in LIVE_MARKUP), body
    assert "<img" not in wrap_html("Source: " + HOSTILE) and "&lt;img" in wrap_html("Source: " + HOSTILE)


def test_a_kpi_comment_evidence_link_and_reason_never_reach_a_public_session(monkeypatch, db_url):
    """Before: editors' comments, reasons, a phone number and an intranet link reached the websocket."""
    from data_sources.seed import open_store
    from kpi import ensure_kpi_schema, publish_quarter, save_actual

    engine = ensure_kpi_schema(open_store(db_url))  # the store and the example framework, as the app makes them
    kpi_id, comment = "yhp_youth_tobacco_use_pct", "Звонила Жанар Серикқызы, +7 701 555 12 34"
    version = save_actual(engine, EDITOR, kpi_id, "2026Q1", 12.5, 0, comment=comment,
                          evidence_url="http://intranet.moh.local/kpi/77")
    save_actual(engine, EDITOR, kpi_id, "2026Q1", 12.75, version, comment=comment,
                evidence_url="http://intranet.moh.local/kpi/77", reason="Aigerim Bekova asked, ИИН 850101400123")
    publish_quarter(engine, ADMIN, "2026Q1")
    secrets = ("Серикқызы".encode(), b"555 12 34", b"intranet.moh.local", b"Bekova", b"850101400123",
               EDITOR.user.encode())
    public = sent_bytes(_page(monkeypatch, db_url, "pages/kpi_detail.py", query={"kpi": kpi_id}))
    assert b"12.75" in public or b"12.8" in public
    assert not [s for s in secrets if s in public]
    internal = sent_bytes(_page(monkeypatch, db_url, "pages/kpi_detail.py", "internal", {"kpi": kpi_id}, EDITOR))
    assert b"intranet.moh.local" in internal and b"Bekova" in internal  # the test can see them when they are sent


def test_bidi_controls_in_a_note_are_not_stored(store):
    from data_sources.importer import import_table
    from store import observations_for

    note = "\u202eevil\u202c ok \u2066=1+1\u2069 \u061c"
    table = ("region,period,value,numerator,denominator,note\n"
             f"Kyzylorda,2025Q3,84,420,500,{note}\n").encode()
    result = import_table(table, "bidi.csv", store, EDITOR, indicator="breast_cancer_screening_coverage_pct",
                          confirm_jumps=True)
    assert result.accepted, result.issues
    stored = observations_for(store, "breast_cancer_screening_coverage_pct", "2025Q3", "KZ-43").iloc[0]["note"]
    assert "evil" in stored and not re.search("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]", stored)


@pytest.mark.parametrize("text", ["\u2066=1+1", "\u202e=HYPERLINK(\"http://evil.test\")", "\u061c\u200f+1",
                                  "\u2067@SUM(A1)"])
def test_the_formula_guard_reads_through_leading_bidi_controls(text):
    import io

    from openpyxl import load_workbook

    from core.exports import neutralise, to_csv_bytes, to_excel_bytes
    from server.api.serialize import csv_bytes
    from server.api.tables import Field

    assert neutralise(text) == "'" + text
    frame = pd.DataFrame({"note": [text]})
    assert to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")
    sheet = load_workbook(io.BytesIO(to_excel_bytes(frame, {"what": "test"})))["data"]
    assert sheet["A2"].data_type == "s" and str(sheet["A2"].value).startswith("'")
    served = csv_bytes((Field("note", "string", ""),), [{"note": text}]).decode().splitlines()[1]
    assert served.lstrip('"').startswith("'")


def test_the_browser_fetches_nothing_from_another_host_for_markup_in_the_extract_name(tmp_path):
    """The real app in Chromium: the hostile extract name is on the page as text; no link to it, no image from
    it, and no request leaves the loopback host."""
    from urllib.parse import urlparse

    from tests.live_app import launch_chromium, running_app

    app_dir = tmp_path / "app"
    app_dir.mkdir()
    _rwd_store_with_hostile_extract(f"sqlite:///{app_dir / 'store.sqlite'}", tmp_path)
    requested: list[str] = []
    with running_app(app_dir) as url, launch_chromium() as chromium:
        page = chromium.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{url}/real-world-data", wait_until="domcontentloaded")
        page.get_by_text(re.compile(r"Registry \[x\]")).first.wait_for(state="visible", timeout=90_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        live = page.locator("a[href*='evil.test'], img[src*='evil.test']")
        assert live.count() == 0, live.first.evaluate("e => e.parentElement.outerHTML.slice(0, 300)")
        shown = page.get_by_text(re.compile(r"Registry \[x\]")).first.inner_text().replace("\u2060", "")
        assert "![t](http://evil.test/p.png)" in shown and "<img src=http://evil.test/i.png>" in shown
    hosts = {urlparse(u).hostname for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts and hosts <= {"127.0.0.1", "localhost"}, hosts
