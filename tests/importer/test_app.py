"""The app side of data sources: stale notes after a failed refresh, and the editors' upload page."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses
import streamlit
from streamlit.testing.v1 import AppTest

from core.access import SYSTEM, Identity
from core.config import load_settings
from data_sources.refresh import refresh_source
from data_sources.seed import open_store
from store import observations_for
from tests.sources_replay import client, serve_worldbank, settings, source_row, wb_url
from ui.nav import registered_specs

ROOT = Path(__file__).resolve().parents[2]
BEDS = {"country": "KZ", "indicators": {"hospital_beds_per_1000": "SH.MED.BEDS.ZS"}}


def app() -> AppTest:
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)


@pytest.fixture()
def failed_refresh(app_env):
    """The World Bank source refreshed once, then failed: its data stay, marked stale since the good as-of."""
    store = open_store(app_env)
    with responses.RequestsMock() as rsps:
        serve_worldbank(rsps, "SH.MED.BEDS.ZS")
        assert refresh_source(store, SYSTEM, "worldbank", client(), settings(), mapping=BEDS).status == "ok"
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wb_url("SH.MED.BEDS.ZS"), status=503)
        assert refresh_source(store, SYSTEM, "worldbank", client(), settings(), mapping=BEDS).status == "failed"
    return source_row(store, "worldbank-wdi")


def _stale_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "stale since" in w.value]


def test_data_page_shows_the_failed_source_as_stale_with_its_as_of_date(failed_refresh):
    at = app()
    at.run()
    at.switch_page("pages/sources_and_data.py")
    at.run()
    assert not at.exception
    notes = _stale_warnings(at)
    assert len(notes) == 1
    from core.i18n import format_date, format_datetime

    assert failed_refresh["title"] in notes[0] and f"stale since {format_date(failed_refresh['as_of'])}" in notes[0]
    assert "HTTP 503" in notes[0]
    table = next(df.value for df in at.dataframe if "Last refresh" in df.value.columns)
    row = table[table["Source"] == failed_refresh["title"]].iloc[0]
    assert row["Status"] == "stale" and row["Retrieved"] == format_date(failed_refresh["as_of"])  # "Nov 26, 2026"
    assert row["Last refresh"] == format_datetime(failed_refresh["last_attempt_at"])  # "Nov 26, 2026, 3:07 PM"
    assert set(table[table["Source"] != failed_refresh["title"]]["Status"]) == {"ok"}


def test_overview_shows_the_stale_note_too(failed_refresh):
    at = app()
    at.run()
    assert not at.exception
    assert any(failed_refresh["title"] in n for n in _stale_warnings(at))


def test_no_stale_note_when_every_source_is_fresh(app_env):
    at = app()
    at.run()
    at.switch_page("pages/sources_and_data.py")
    at.run()
    assert not at.exception and not _stale_warnings(at)


# --- upload page ---------------------------------------------------------------------------------------------------

def test_upload_page_is_not_registered_in_the_public_instance(monkeypatch):
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    assert "pages/upload.py" not in [p.path for p in registered_specs(load_settings())]
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    assert "pages/upload.py" in [p.path for p in registered_specs(load_settings())]


def upload_page(monkeypatch, identity: Identity | None) -> AppTest:
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    at = app()
    if identity is not None:
        at.session_state["identity"] = identity
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception
    return at


def test_upload_page_is_behind_the_login_for_anonymous_visitors(app_env, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    at = app()
    at.run()
    assert not at.exception
    assert not at.get("file_uploader")
    with pytest.raises(ValueError):  # the upload page is not even registered before a log-in
        at.switch_page("pages/upload.py")


@pytest.mark.parametrize("identity", [Identity("reader", "viewer", "internal")])
def test_upload_page_is_not_offered_without_an_editor(app_env, monkeypatch, identity):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    at = app()
    at.session_state["identity"] = identity
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # viewers do not see it (ui/nav.py)
        at.switch_page("pages/upload.py")


def test_editor_uploads_a_partly_bad_file_and_imports_only_the_valid_rows(app_env, monkeypatch):
    at = upload_page(monkeypatch, Identity("aigerim", "editor", "public"))  # mode follows the instance
    at.get("file_uploader")[0].upload("vrachi.csv", "Регион;2024\nАкмолинская;2200\nAtlantis;5\n".encode(),
                                      "text/csv")
    at.selectbox(key="upload_indicator").set_value("physicians_count")
    at.run()
    assert not at.exception and not at.error  # nothing is checked before the user asks
    at.button(key="upload_check").click()
    at.run()
    assert not at.exception
    assert any("Problems found in vrachi.csv" in e.value for e in at.error)
    issues = next(df.value for df in at.dataframe if "Reason" in df.value.columns)
    assert issues.iloc[0]["Reason"] == "unknown region 'Atlantis'" and issues.iloc[0]["Row"] == 3
    write = at.button(key="upload_write")
    assert write.disabled
    at.checkbox(key="upload_only_valid").check()
    at.run()
    assert any("Rows that will be skipped: 3" in c.value for c in at.caption)
    at.button(key="upload_write").click()
    at.run()
    assert not at.exception
    assert any("Written: 1 added" in s.value for s in at.success)
    stored = observations_for(open_store(app_env), "physicians_count", period="2024")
    assert stored.set_index("region")["value"].to_dict() == {"KZ-11": 2200}


def test_data_page_lists_a_revised_value_with_its_old_value_and_source(app_env):
    from data_sources.importer import import_table

    store = open_store(app_env)
    editor = Identity("aigerim", "editor", "internal")
    import_table("Регион;2024\nАкмолинская;2200\n".encode(), "v1.csv", store, editor, indicator="physicians_count")
    import_table("Регион;2024\nАкмолинская;2250\n".encode(), "v2.csv", store, editor, indicator="physicians_count")
    at = app()
    at.run()
    at.switch_page("pages/sources_and_data.py")
    at.run()
    assert not at.exception
    history = next(df.value for df in at.dataframe if "Old value" in df.value.columns)
    row = history.iloc[0]
    assert (row["Region"], row["Old value"], row["New value"]) == ("Akmola Region", 2200, 2250)
    # the public instance names no person: not who changed it, not who uploaded it
    assert "Changed by" not in history and "aigerim" not in history.astype(str).to_csv()


def test_no_page_or_ui_module_reaches_the_network():
    """Pages read the store only; fetching lives behind the CLI."""
    import ast

    network = {"requests", "requests_cache", "urllib3", "data_sources.http", "data_sources.refresh",
               "data_sources.worldbank", "data_sources.who_gho", "data_sources.egov"}
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "dashboard.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & network, f"{path.name} imports {imported & network}"


@pytest.mark.parametrize(("lang", "name", "content", "expected"), [
    ("ru", "empty.csv", b"  \n", "файл пуст"),
    ("kk", "binary.csv", bytes(range(256)) * 4, "мәтіннің кодталуын анықтау мүмкін емес"),
    ("ru", "wide.csv", ("Регион;" + ";".join(str(y) for y in range(1700, 2001)) + "\nАкмолинская;" + ";".join(
        "1" * 301)).encode(), "таблица: столбцов — 302; для загрузки допускается не более 300"),
])
def test_a_rejected_file_is_explained_in_the_readers_language(app_env, monkeypatch, lang, name, content, expected):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    at = app()
    at.session_state["identity"] = Identity("aigerim", "editor", "internal")
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    at.get("file_uploader")[0].upload(name, content, "text/csv")
    at.run()
    at.button(key="upload_check").click()
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert any(expected in text for text in shown), shown
    assert not any("the file" in text or "uploads are limited" in text for text in shown), shown


def test_a_number_the_file_cannot_decide_is_explained_in_the_readers_language(app_env, monkeypatch):
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    at = app()
    at.session_state["identity"] = Identity("aigerim", "editor", "internal")
    at.query_params["lang"] = "kk"
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    at.get("file_uploader")[0].upload("vrachi.csv", "Регион;2024\nАкмолинская;2.345\n".encode(), "text/csv")
    at.selectbox(key="upload_indicator").set_value("physicians_count")
    at.run()
    at.button(key="upload_check").click()
    at.run()
    assert not at.exception
    issues = next(df.value for df in at.dataframe if "Себебі" in df.value.columns)
    assert issues.iloc[0]["Себебі"].startswith("'2.345' — екіұшты жазба (2 мың ба, әлде 2,345 ме?)")


def test_editor_chooses_the_value_column_of_a_long_table_with_several(app_env, monkeypatch):
    """Issue 19: a long table with two columns of numbers is not guessed; the page names them and asks."""
    at = upload_page(monkeypatch, Identity("aigerim", "editor", "internal"))
    text = ",Регион,Год,Число больничных организаций,Численность врачей\n0,Акмолинская,2024,33,1950\n"
    at.get("file_uploader")[0].upload("two.csv", text.encode(), "text/csv")
    at.selectbox(key="upload_indicator").set_value("physicians_count")
    at.run()
    at.button(key="upload_check").click()
    at.run()
    assert not at.exception
    assert any("several columns hold numbers" in m.value for m in at.markdown)
    picker = at.selectbox(key="upload_value_column")
    assert picker.options == ["Число больничных организаций", "Численность врачей"] and picker.value is None
    picker.set_value("Численность врачей")
    at.run()
    at.button(key="upload_check").click()
    at.run()
    assert not at.exception and not at.error
    assert any("Values from the column 'Численность врачей'" in c.value for c in at.caption)
    listed = " ".join(m.value for m in at.markdown)
    assert "Число больничных организаций: holds numbers but is not the value column" in listed
    assert "#1: unnamed index column" in listed
    at.button(key="upload_write").click()
    at.run()
    assert any("Written: 1 added" in s.value for s in at.success)
    stored = observations_for(open_store(app_env), "physicians_count", period="2024")
    assert stored.set_index("region")["value"].to_dict() == {"KZ-11": 1950}
