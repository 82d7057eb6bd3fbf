"""Issue 21 §4: upload limits hold for every encoding of a file, and every hostile file gets a clear message naming
its problem (on the upload page too), with nothing written and no traceback. Hostile files are built in the test
(``bench/hostile_files.py``), never committed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import streamlit
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from core.access import Identity
from data_sources import tables
from data_sources.importer import import_table
from data_sources.limits import UploadLimits, text_lines
from data_sources.seed import init_store
from store import make_engine
from store.schema import observation_revisions, observations, sources

sys.path.append(str(Path(__file__).resolve().parents[2] / "bench"))  # last: bench/rwd.py must not shadow rwd/
import hostile_files

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Identity(user="aigerim", role="editor", mode="internal")
COUNT = "physicians_count"
CSV_LIMIT = "131,072 characters"

# name, bytes, what the message must say (every one of them shown on the upload page, too)
HOSTILE = {
    "cr_only.csv": (hostile_files.cr_only_csv, "the table has 1,200,001 rows; uploads are limited to 50,000"),
    "no_refs.xlsx": (hostile_files.reference_free_xlsx, "rows; uploads are limited to 50,000"),
    "wide_pipe.csv": (hostile_files.wide_first_line_csv, f"line 1 holds a cell of more than {CSV_LIMIT}"),
    "wide_comma.csv": (lambda: hostile_files.wide_first_line_csv(delimiter=","),
                       "the table has 1,000,000 columns; uploads are limited to 300"),
    "long_field.csv": (hostile_files.long_field_csv, f"line 2 holds a cell of more than {CSV_LIMIT}"),
    "false_size.xlsx": (hostile_files.false_size_xlsx, "its zip archive is damaged (Bad CRC-32 for file"),
    "y2100.csv": (lambda: hostile_files.period_csv(2100), "period '2100' is not a year from 1900 to 2099"),
    "y1899.csv": (lambda: hostile_files.period_csv(1899), "period '1899' is not a year from 1900 to 2099"),
    # the files of the issue 9 pass, on the page too
    "far_cell.xlsx": (hostile_files.far_cell_xlsx, "sheet file sheet1.xml has 1,048,576 rows"),
    "far_cell.xls": (hostile_files.far_cell_xls, "the workbook has 65,536 rows; uploads are limited to 50,000"),
    "zip_bomb.xlsx": (lambda: hostile_files.zip_bomb_xlsx(70), "the workbook unpacks to 70.0 MB"),
    "repeated.csv": (hostile_files.repeated_region_csv, "and 19,989 more (same indicator, region and period 2022)"),
}


def reasons(result) -> str:
    return " | ".join(str(i) for i in result.issues)


@pytest.fixture()
def engine(db_url):
    return init_store(make_engine(db_url))


@pytest.fixture()
def no_parser(monkeypatch):
    """Fails the test if a file reaches a parser: the limits must stop it on the raw bytes first."""
    def refuse(*_a, **_k):
        raise AssertionError("the file was handed to a parser")
    monkeypatch.setattr(tables.pd, "ExcelFile", refuse)
    monkeypatch.setattr(tables, "_csv_rows", refuse)
    monkeypatch.setattr(tables, "_delimiter", refuse)


def test_lines_are_counted_on_every_line_ending():
    assert text_lines("a\r\nb\rc\nd") == 4 and text_lines("a\rb\r") == 2 and text_lines("a\r\n\r\n") == 2


def test_a_csv_with_cr_only_line_endings_is_refused_by_its_rows_before_parsing(no_parser):
    data = hostile_files.cr_only_csv()
    assert len(data) < UploadLimits().max_bytes
    start = time.perf_counter()
    result = import_table(data, "cr_only.csv", None, None, indicator=COUNT, dry_run=True)
    assert not result.accepted and "1,200,001 rows; uploads are limited to 50,000" in reasons(result)
    assert time.perf_counter() - start < 5


def test_a_workbook_without_row_and_cell_references_is_counted_while_streaming_and_refused(no_parser):
    start = time.perf_counter()
    result = import_table(hostile_files.reference_free_xlsx(), "no_refs.xlsx", None, None, indicator=COUNT,
                          dry_run=True)
    assert not result.accepted and "sheet file sheet1.xml has at least" in reasons(result)
    assert "uploads are limited to 50,000" in reasons(result)
    assert time.perf_counter() - start < 5  # the scan stops at the limit, not at row 900,000
    wide = hostile_files._workbook_with_sheet(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>'
        + b"<c><v>1</v></c>" * 301 + b"</row></sheetData></worksheet>")
    result = import_table(wide, "wide.xlsx", None, None, indicator=COUNT, dry_run=True)
    assert "has 301 columns; uploads are limited to 300" in reasons(result)


def test_a_small_workbook_without_references_still_imports(engine):
    rows = "".join(f'<row><c t="inlineStr"><is><t>{region}</t></is></c><c><v>{value}</v></c></row>'
                   for region, value in (("Регион", None), ("Акмолинская", 2200), ("Актюбинская", 2400)))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + rows.replace("<c><v>None</v></c>", '<c t="inlineStr"><is><t>2024</t></is></c>')
             + "</sheetData></worksheet>").encode()
    result = import_table(hostile_files._workbook_with_sheet(sheet), "norefs.xlsx", engine, EDITOR, indicator=COUNT,
                          confirm_jumps=True)
    assert result.accepted, reasons(result)
    assert result.written.added + result.written.changed + result.written.unchanged == 2


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_hostile_file_is_refused_with_a_message_naming_its_problem(engine, name):
    make, expected = HOSTILE[name]
    before = _counts(engine)
    result = import_table(make(), name, engine, EDITOR, indicator=COUNT, confirm_jumps=True)
    assert not result.accepted and expected in reasons(result), reasons(result)
    assert name in reasons(result)
    assert _counts(engine) == before


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (observations, observation_revisions, sources))


def _wide_file(years: range) -> bytes:
    regions = ["Акмолинская", "Актюбинская", "Атырауская", "Костанайская", "Павлодарская"]
    lines = ["Регион;" + ";".join(map(str, years))]
    lines += [f"{region};" + ";".join(str(1000 + n) for n in range(len(years))) for region in regions]
    return "\n".join(lines).encode()


def test_a_full_disk_during_the_import_writes_nothing_and_says_so(db_url):
    """SQLite's own SQLITE_FULL ("database or disk is full"): the store may not grow beyond its current pages."""
    engine = init_store(make_engine(db_url))
    with engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
    engine.dispose()
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute(f"PRAGMA max_page_count = {pages}"))
    before = _counts(engine)
    result = import_table(_wide_file(range(1950, 2010)), "many.csv", engine, EDITOR, indicator=COUNT,
                          confirm_jumps=True)
    assert not result.accepted and result.written is None
    assert "the store's disk is full (database or disk is full); nothing was written" in reasons(result)
    assert "INSERT" not in reasons(result)  # the store's reason, not its SQL
    assert _counts(engine) == before


# --- the upload page ------------------------------------------------------------------------------------------------

def _upload_page(monkeypatch, name: str, content: bytes) -> AppTest:
    monkeypatch.setenv("DENSAULYQ_MODE", "internal")
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["identity"] = EDITOR
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    at.get("file_uploader")[0].upload(name, content, "application/octet-stream")
    at.selectbox(key="upload_indicator").set_value(COUNT)
    at.run()
    at.button(key="upload_check").click()
    at.run()
    return at


def _shown(at: AppTest) -> str:
    texts = [e.value for kind in (at.markdown, at.error, at.warning, at.caption, at.info) for e in kind]
    texts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(str(x) for x in texts)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_upload_page_shows_each_hostile_files_problem_and_no_traceback(app_env, monkeypatch, name):
    make, expected = HOSTILE[name]
    at = _upload_page(monkeypatch, name, make())
    shown = _shown(at)
    assert not at.exception, at.exception
    assert expected in shown, shown
    assert "Traceback" not in shown and str(ROOT) not in shown


def test_the_upload_page_reports_a_full_disk_and_no_traceback(app_env, monkeypatch):
    import data_sources.importer

    def full(*_args, **_kwargs):
        raise OperationalError("INSERT INTO observations …", {}, Exception("database or disk is full"))
    monkeypatch.setattr(data_sources.importer, "write_observations", full)
    at = _upload_page(monkeypatch, "two.csv", "Регион;2031\nАкмолинская;2200\n".encode())
    assert not at.exception
    at.button(key="upload_write").click()
    at.run()
    shown = _shown(at)
    assert not at.exception and "Traceback" not in shown
    assert "The file was rejected; nothing was written." in shown
    assert "the store's disk is full (database or disk is full); nothing was written" in shown
    assert not any("Written:" in s.value for s in at.success)


def test_an_error_the_importer_did_not_foresee_is_one_line_on_the_page(app_env, monkeypatch):
    import data_sources.importer

    def broken(*_args, **_kwargs):
        raise KeyError("/srv/densaulyq/secret/path")
    monkeypatch.setattr(data_sources.importer, "read_grid", broken)
    at = _upload_page(monkeypatch, "any.csv", b"region,period,value\nAkmola,2024,1\n")
    shown = _shown(at)
    assert not at.exception and "Traceback" not in shown and "/srv/densaulyq" not in shown
    assert "the file could not be checked (KeyError); nothing was written" in shown
