"""Real files as the Bureau of National Statistics and its republishers publish them (tests/fixtures/bns/NOTES.md)
import with every value as published: each file is read here independently (csv / pandas at the positions the
file's layout has), its regions placed by the names a reader of the file knows, and compared with the store."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from core.access import Identity
from data_sources.importer import import_file
from geo.vintages import boundary_note
from store import observations_for
from tests.sources_replay import assert_unchanged, store_contents

EDITOR = Identity(user="aigerim", role="editor", mode="internal")
BNS = Path(__file__).resolve().parents[1] / "fixtures" / "bns"
MISSING = {"", "-"}

# Region names as these files print them, placed by hand (official names; footnote marks as printed).
_RU = {
    "Республика Казахстан": "KZ", "Абай": "KZ-10", "Акмолинская": "KZ-11", "Актюбинская": "KZ-15",
    "Алматинская": "KZ-19", "Атырауская": "KZ-23", "Западно-Казахстанская": "KZ-27", "Жамбылская": "KZ-31",
    "Жетысу": "KZ-33", "Жетісу": "KZ-33", "Карагандинская": "KZ-35", "Костанайская": "KZ-39",
    "Кызылординская": "KZ-43", "Мангистауская": "KZ-47", "Павлодарская": "KZ-55", "Северо-Казахстанская": "KZ-59",
    "Туркестанская": "KZ-61", "Туркестанская*": "KZ-61", "Туркестанская**": "KZ-61", "Туркестанская 1": "KZ-61",
    "Южно-Казахстанская": "KZ-61", "Улытау": "KZ-62", "Ұлытау": "KZ-62", "Восточно-Казахстанская": "KZ-63",
    "город Астана": "KZ-71", "г. Астана": "KZ-71", "г.Астана": "KZ-71", "город Алматы": "KZ-75", "г. Алматы": "KZ-75",
    "г.Алматы": "KZ-75", "город Шымкент": "KZ-79", "г. Шымкент": "KZ-79", "г.Шымкент": "KZ-79",
}
_EN = {"The Republic of Kazakhstan": "KZ", "Abai Region": "KZ-10", "Akmola Region": "KZ-11", "Aktobe Region": "KZ-15",
       "Almaty Region": "KZ-19", "Atyrau Region": "KZ-23", "West Kazakhstan Region": "KZ-27",
       "Jambyl Region": "KZ-31", "Jetisu Region": "KZ-33", "Karaganda Region": "KZ-35", "Kostanay Region": "KZ-39",
       "Kyzylorda Region": "KZ-43", "Mangystau Region": "KZ-47", "Pavlodar Region": "KZ-55",
       "North Kazakhstan Region": "KZ-59", "Turkistan Region": "KZ-61", "Ulytau Region": "KZ-62",
       "East Kazakhstan Region": "KZ-63", "Astana city": "KZ-71", "Almaty city": "KZ-75", "Shymkent city": "KZ-79"}
PLACE = {**_RU, **_EN}
# KATO prefixes (first two digits) by hand: ISO 3166-2:KZ numeric = KATO prefix; 51 = South Kazakhstan (pre-2018)
KATO = {"51": "KZ-61", **{p: f"KZ-{p}" for p in ("10", "11", "15", "19", "23", "27", "31", "33", "35", "39", "43",
                                                 "47", "55", "59", "61", "62", "63", "71", "75", "79")}}

Expected = dict[tuple[str, str], float]


@pytest.fixture()
def store(store):
    """A store without observations: the embedded snapshot holds some of these same figures, and a value must
    land because the file was read, not because it was there already."""
    from sqlalchemy import delete

    from store.schema import observations

    with store.begin() as conn:
        conn.execute(delete(observations))
    return store


def _rows(name: str) -> list[list[str]]:
    with open(BNS / name, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def wide(name: str) -> Expected:
    """One row per region, one column per year; the first column holds the names."""
    header, *body = _rows(name)
    return {(PLACE[row[0].strip()], year): float(cell) for row in body
            for year, cell in zip(header[1:], row[1:], strict=True) if cell.strip() not in MISSING}


def long(name: str, region: int, year: int, value: int, place=None) -> Expected:
    _header, *body = _rows(name)
    place = place or (lambda v: PLACE[v.strip()])
    return {(place(row[region]), row[year]): float(row[value]) for row in body if row[value] not in MISSING}


def regions_as_columns(name: str) -> Expected:
    header, *body = _rows(name)
    return {(PLACE[region], row[0]): float(cell) for row in body
            for region, cell in zip(header[1:], row[1:], strict=True) if cell not in MISSING}


def excel(name: str, header_row: int, first: int, last: int) -> Expected:
    """The regional table of a BNS .xls download: names in column A, years in the header row."""
    cells = pd.read_excel(BNS / name, header=None, engine="calamine", dtype=object)
    years = {col: str(int(float(y))) for col, y in cells.iloc[header_row].items()  # int cells, or text ('2014')
             if (isinstance(y, int | float) and y == y) or isinstance(y, str)}
    out = {}
    for i in range(first, last + 1):
        row = cells.iloc[i]
        for col, year in years.items():
            cell = row[col]  # a number cell, or a number typed as text ('52' in source.xls)
            number = isinstance(cell, int | float) and cell == cell
            if number or (isinstance(cell, str) and cell.strip() not in MISSING):
                out[(PLACE[str(row[0]).strip()], year)] = float(cell)
    return out


def stored(store, indicator: str) -> dict[tuple[str, str], pd.Series]:
    obs = observations_for(store, indicator)
    return {(r["region"], r["period"]): r for _i, r in obs.iterrows()}


def assert_as_published(store, expected: Expected, indicator: str) -> None:
    have = stored(store, indicator)
    wrong = {key: (value, have[key]["value"] if key in have else None) for key, value in expected.items()
             if key not in have or have[key]["value"] != pytest.approx(value)}
    assert not wrong, f"{len(wrong)} of {len(expected)} values differ from the file: {list(wrong.items())[:5]}"
    for (region, period), row in have.items():
        if (region, period) in expected and region == "KZ-61" and int(period[:4]) < 2018:
            assert row["note"] == boundary_note("KZ-61", "pre-2018")  # South Kazakhstan incl. Shymkent, said so


def run(store, name: str, indicator: str, **options):
    result = import_file(BNS / name, store, EDITOR, indicator=indicator, confirm_jumps=True, **options)
    assert result.accepted, [str(i) for i in result.issues][:10]
    return result


CASES = [  # file, indicator, layout, what the file says independently
    ("hosp_first.csv", "hospital_organisations_count", "wide by period", lambda: wide("hosp_first.csv")),
    ("llife.csv", "life_expectancy_years", "wide by period", lambda: wide("llife.csv")),
    ("med_institutions.csv", "hospital_organisations_count", "wide by period", lambda: wide("med_institutions.csv")),
    ("hosp_fin_2016_2022.csv", "hospital_organisations_count", "long",
     lambda: long("hosp_fin_2016_2022.csv", 1, 2, 3)),
    ("kazpop_2019_2023.csv", "population_total", "long", lambda: long("kazpop_2019_2023.csv", 0, 1, 2)),
    ("arzte.csv", "physicians_count", "regions as columns", lambda: regions_as_columns("arzte.csv")),
    ("bns_doctors.xls", "physicians_count", "wide by period", lambda: excel("bns_doctors.xls", 4, 5, 25)),
    ("bns_hospitals_5_21.xls", "hospital_organisations_count", "wide by period",
     lambda: excel("bns_hospitals_5_21.xls", 7, 8, 29)),
]


@pytest.mark.parametrize(("name", "indicator", "layout", "published"), CASES, ids=[c[0] for c in CASES])
def test_every_published_value_lands_as_published(store, name, indicator, layout, published):
    expected = published()
    result = run(store, name, indicator)
    assert result.layout == layout
    assert result.written.written == len(expected) and not result.rejected_rows
    assert_as_published(store, expected, indicator)
    if name != "arzte.csv":  # the only file without a national row
        assert ("KZ", max(p for _r, p in expected)) in expected


def test_long_table_with_a_value_column_named_by_its_meaning_and_a_saved_index(store):
    """The case of issue 19: `,Регион,Год,Число больничных органзаций` with pandas' index column."""
    result = run(store, "hosp_fin_2016_2022.csv", "hospital_organisations_count")
    assert result.value_column == "Число больничных органзаций"
    assert [(i.column, i.reason) for i in result.ignored] == [("#1", "unnamed index column (row numbers); "
                                                                     "not imported")]
    periods = {p for _r, p in stored(store, "hospital_organisations_count")}
    assert {str(y) for y in range(2016, 2023)} <= periods  # each row its own year, not the first row's


def test_footnoted_names_and_the_national_row(store):
    run(store, "kazpop_2019_2023.csv", "population_total")  # "Туркестанская 1", "Республика Казахстан " (space)
    have = stored(store, "population_total")
    expected = long("kazpop_2019_2023.csv", 0, 1, 2)
    for key in [("KZ-61", "2023"), ("KZ", "2023"), ("KZ-10", "2023")]:
        assert have[key]["value"] == expected[key]


def test_bns_sheet_with_a_national_summary_above_the_regional_table(store):
    """source.xls (BNS table 5.21) holds two tables; their year columns are shifted by one. Reading the first
    header for the second table would put every value under the wrong year."""
    result = run(store, "bns_hospitals_5_21.xls", "hospital_organisations_count")
    assert any("another table" in i.reason and "row 3" in i.reason for i in result.ignored)
    have = stored(store, "hospital_organisations_count")
    assert have[("KZ-11", "2000")]["value"] == 45 and have[("KZ-61", "2017")]["value"] == 117  # Южно-Казахстанская


def test_kato_coded_long_table_with_south_kazakhstan_before_2018(store):
    published = long("hosp_fin_kato.csv", 1, 2, 3,
                     place=lambda v: KATO[v[:2]] if v[:1].isdigit() else PLACE[v.strip()])
    result = run(store, "hosp_fin_kato.csv", "hospital_organisations_count")
    assert result.written.written == len(published)
    assert_as_published(store, published, "hospital_organisations_count")
    have = stored(store, "hospital_organisations_count")
    assert have[("KZ-61", "2017")]["note"] == boundary_note("KZ-61", "pre-2018")  # from KATO 51
    assert pd.isna(have[("KZ-61", "2018")]["note"])  # KATO 61 from 2018: today's territory


def test_several_indicators_side_by_side_ask_which_column(store):
    before = store_contents(store)
    name = "hospitals_and_doctors_side_by_side.csv"
    asked = import_file(BNS / name, store, EDITOR, indicator="physicians_count")
    assert not asked.accepted
    assert "'Число больничных органзаций', 'Численность врачей всех специальностей'" in asked.issues[0].reason
    assert "--value-column" in asked.issues[0].reason
    assert_unchanged(before, store_contents(store))
    result = run(store, name, "physicians_count", value_column="Численность врачей всех специальностей")
    assert [i.column for i in result.ignored] == ["Число больничных органзаций"]
    assert "not the value column" in result.ignored[0].reason
    assert_as_published(store, long(name, 0, 1, 3), "physicians_count")
    doctors = regions_as_columns("arzte.csv")  # the side-by-side file was built from arzte.csv: same values
    assert all(doctors[key] == value for key, value in long(name, 0, 1, 3).items())


def test_animation_frames_with_several_numeric_columns_are_refused_not_guessed(store):
    """Hosp_anim.csv (interpolated frames: several rows per region and year, extra numeric columns)."""
    before = store_contents(store)
    asked = import_file(BNS / "hosp_anim_head.csv", store, EDITOR, indicator="hospital_organisations_count")
    assert not asked.accepted and "'index', 'ranks'" in asked.issues[0].reason
    chosen = import_file(BNS / "hosp_anim_head.csv", store, EDITOR, indicator="hospital_organisations_count",
                         value_column="Число больничных органзаций")
    assert not chosen.accepted and any("repeated in rows" in i.reason for i in chosen.issues)
    assert_unchanged(before, store_contents(store))


def test_a_table_without_a_period_says_what_was_expected_and_what_it_saw(store):
    before = store_contents(store)
    result = import_file(BNS / "city_population.csv", store, EDITOR, indicator="population_total")
    assert not result.accepted
    reason = result.issues[0].reason
    assert "no header row found" in reason and "Год, Year, Период" in reason
    assert "'Region', 'Total', 'Males', 'Females'" in reason
    assert_unchanged(before, store_contents(store))
