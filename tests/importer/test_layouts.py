"""Layouts as publishers write them (issue 19): the header is the row of names, a long table's value column is
named by its meaning, KATO codes place regions by period, and every column left out is named in the report."""

from __future__ import annotations

import pytest

from data_sources.__main__ import main
from data_sources.importer import import_table
from geo.vintages import boundary_note

HOSPITALS = "hospital_organisations_count"


def check(text: str, **options):
    """A dry run without a store: what would be imported, and the report."""
    return import_table(text.encode("utf-8"), "table.csv", None, None, dry_run=True, **options)


def values(result) -> dict[tuple[str, str], float]:
    rows = result.valid_rows
    return {(r.region, r.period): r.value for r in rows.itertuples()}


@pytest.mark.parametrize("period_name", ["Год", "Жыл", "Year", "Период", "year", "ГОД"])
def test_long_table_with_a_value_column_named_by_its_meaning(period_name):
    text = (f"Регион,{period_name},Число больничных организаций\n"
            "Республика Казахстан,2022,818\nАкмолинская,2022,32\nАкмолинская,2023 г.,33\n")
    result = check(text, indicator=HOSPITALS)
    assert result.accepted, [str(i) for i in result.issues]
    assert result.layout == "long" and result.value_column == "Число больничных организаций"
    assert values(result) == {("KZ", "2022"): 818, ("KZ-11", "2022"): 32, ("KZ-11", "2023"): 33}


def test_the_first_data_row_is_not_taken_for_the_header():
    """Before: `Республика Казахстан,2003,1029` was the header and every row got the period 2003."""
    text = "Республика Казахстан,2003,1029\nАкмолинская,2003,52\n"
    result = check(text, indicator=HOSPITALS)
    assert not result.accepted and "no header row found" in result.issues[0].reason
    assert "'Республика Казахстан', '2003', '1029'" in result.issues[0].reason


def test_title_rows_above_the_header_of_a_long_table():
    text = ("Число больничных организаций по регионам\n(единиц)\n\n"
            "Регион;Год;Число больничных организаций\nАкмолинская;2021;29\nАкмолинская;2022;32\n")
    result = check(text, indicator=HOSPITALS)
    assert result.accepted and values(result) == {("KZ-11", "2021"): 29, ("KZ-11", "2022"): 32}


def test_several_value_columns_are_named_and_one_is_chosen():
    text = "Регион,Год,Больницы,Врачи,ед. изм.\nАкмолинская,2022,32,1888,единиц\n"
    asked = check(text, indicator=HOSPITALS)
    assert not asked.accepted
    assert asked.issues[0].reason == ("several columns hold numbers: 'Больницы', 'Врачи'; choose the one to import "
                                      "(--value-column NAME, or the column picker)")
    chosen = check(text, indicator=HOSPITALS, value_column="больницы")  # case and spaces do not matter
    assert chosen.accepted and values(chosen) == {("KZ-11", "2022"): 32}
    assert {i.column: i.reason.msgid for i in chosen.ignored} == {
        "Врачи": "holds numbers but is not the value column {value}; not imported",
        "ед. изм.": "header not read as a region, period or value; column not imported"}
    wrong = check(text, indicator=HOSPITALS, value_column="Койки")
    assert not wrong.accepted and "no column named 'Койки'" in wrong.issues[0].reason
    assert "'Больницы', 'Врачи'" in wrong.issues[0].reason


def test_headers_the_importer_cannot_place_are_listed_by_column():
    text = ("Регион,2022,2023,на начало 2024 г.,в % к 2022\n"
            "Акмолинская,32,33,34,103.1\nАктюбинская,42,41,40,97.6\n")
    result = check(text, indicator=HOSPITALS)
    assert result.accepted and result.layout == "wide by period"
    assert [(i.column, i.reason.msgid) for i in result.ignored] == [
        ("на начало 2024 г.", "header not read as a year or quarter; column not imported"),
        ("в % к 2022", "header not read as a year or quarter; column not imported")]
    assert set(values(result)) == {(r, p) for r in ("KZ-11", "KZ-15") for p in ("2022", "2023")}


def test_regions_as_columns_years_as_rows():
    text = ("Годы,Акмолинская,Актюбинская,Республика Казахстан,Примечание\n"
            "2021,1921,4111,78227,\n2022,1888,4531,79409,x\n")
    result = check(text, indicator="physicians_count")
    assert result.accepted and result.layout == "regions as columns"
    assert values(result) == {("KZ-11", "2021"): 1921, ("KZ-15", "2021"): 4111, ("KZ", "2021"): 78227,
                              ("KZ-11", "2022"): 1888, ("KZ-15", "2022"): 4531, ("KZ", "2022"): 79409}
    assert [i.column for i in result.ignored] == ["Примечание"]


def test_kato_codes_as_data_holders_write_them():
    text = ("КАТО,Год,Число больничных организаций\n"
            "751110000,2022,77\n711000000,2022,32\n11,2022,32\n 630000000 ,2021,61\n510000000,2017,117\n")
    result = check(text, indicator=HOSPITALS)
    assert result.accepted, [str(i) for i in result.issues]
    assert values(result) == {("KZ-75", "2022"): 77, ("KZ-71", "2022"): 32, ("KZ-11", "2022"): 32,
                              ("KZ-63", "2021"): 61, ("KZ-61", "2017"): 117}
    notes = {(r.region, r.period): r.note for r in result.valid_rows.itertuples()}
    assert notes[("KZ-61", "2017")] == boundary_note("KZ-61", "pre-2018")
    assert notes[("KZ-63", "2021")] == boundary_note("KZ-63", "2018")


@pytest.mark.parametrize(("code", "period", "says"), [
    ("510000000", "2019", "abolished on 2018-06-19"), ("100000000", "2021", "exists only from 2022-06-08"),
    ("990000000", "2022", "not the prefix of a first-level unit"),
])
def test_a_kato_code_that_named_no_unit_in_the_period_is_rejected_by_name(code, period, says):
    result = check(f"Регион,Год,Значение показателя\n{code},{period},5\nАкмолинская,{period},6\n",
                   indicator=HOSPITALS)
    assert not result.accepted and result.rejected_rows == [2]
    assert says in result.issues[0].reason and result.issues[0].column == "region"


def test_an_unknown_region_with_year_like_values_is_reported_not_taken_for_a_second_table():
    result = check("Регион,2021,2022\nАкмолинская,2050,2060\nAtlantis,2001,2002\nАктюбинская,2070,2080\n",
                   indicator="physicians_count")
    assert not result.ignored and result.rejected_rows == [3] and "unknown region 'Atlantis'" in result.issues[0].reason
    assert values(result)[("KZ-15", "2022")] == 2080


def test_a_wide_table_of_kato_codes_finds_its_region_column():
    result = check("Код,2021,2022\n110000000,29,32\n150000000,44,42\n", indicator=HOSPITALS)
    assert result.accepted and values(result)[("KZ-15", "2022")] == 42


def test_no_header_says_what_was_expected_and_what_was_seen():
    result = check("Показатель,Всего,Мужчины\nАкмолинская,787971,385124\n", indicator="population_total")
    reason = result.issues[0].reason
    assert not result.accepted and reason.startswith("no header row found; expected a region column")
    assert "'Показатель', 'Всего', 'Мужчины'" in reason


def test_cli_asks_for_the_value_column_and_lists_what_it_leaves_out(tmp_path, monkeypatch, db_url):
    import io

    monkeypatch.setenv("DATABASE_URL", db_url)
    path = tmp_path / "two.csv"
    path.write_text(",Регион,Год,Больницы,Врачи\n0,Акмолинская,2022,32,1888\n1,Актюбинская,2022,42,4531\n",
                    encoding="utf-8")
    out = io.StringIO()
    assert main(["import", str(path), "--indicator", "physicians_count", "--dry-run"], out=out) == 1
    assert "several columns hold numbers: 'Больницы', 'Врачи'" in out.getvalue()
    out = io.StringIO()
    assert main(["import", str(path), "--indicator", "physicians_count", "--value-column", "Врачи",
                 "--dry-run"], out=out) == 0
    printed = out.getvalue()
    assert "values from column: 'Врачи'" in printed and "not imported (2):" in printed
    assert "#1: unnamed index column (row numbers); not imported" in printed
    assert "Больницы: holds numbers but is not the value column 'Врачи'; not imported" in printed


def test_a_data_row_with_year_like_values_under_a_named_header_is_data():
    result = check("region,period,value\nAkmola,2022,2100\nAktobe,2022,2099\n", indicator="physicians_count")
    assert result.accepted and values(result) == {("KZ-11", "2022"): 2100, ("KZ-15", "2022"): 2099}


def test_plural_column_names_and_a_merged_header_above_the_years():
    long = check("Регионы;Годы;Численность врачей\nАкмолинская;2022;1888\n", indicator="physicians_count")
    assert long.accepted and long.layout == "long" and values(long) == {("KZ-11", "2022"): 1888}
    merged = check("Регион;Годы;\n;2021;2022\nАкмолинская;1921;1888\n", indicator="physicians_count")
    assert merged.accepted and merged.layout == "wide by period"
    assert values(merged) == {("KZ-11", "2021"): 1921, ("KZ-11", "2022"): 1888}
