"""File importer: real-world layouts import; every kind of bad input is rejected whole with a message naming the
file, row, column and reason, and nothing is written."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlwt
from openpyxl.styles import Alignment

from core.access import Identity, PermissionDenied
from data_sources.importer import import_table
from store import observations_for
from store.revisions import revisions_for
from tests.sources_replay import assert_unchanged, store_contents

EDITOR = Identity(user="aigerim", role="editor", mode="internal")


@pytest.fixture()
def store(any_db_url):
    """The importer and its revision history hold on SQLite and on PostgreSQL (issue 9 §5)."""
    from data_sources.seed import init_store
    from store import make_engine

    engine = init_store(make_engine(any_db_url))
    yield engine
    engine.dispose()


@pytest.fixture()
def sqlite_store(db_url):
    """For the many rejection cases: nothing is written, so one database is enough."""
    from data_sources.seed import init_store
    from store import make_engine

    return init_store(make_engine(db_url))
SCREENING = "breast_cancer_screening_coverage_pct"


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx(rows: list[list], merges: tuple[str, ...] = (), sheet: str = "Лист1") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
        ws[cells.split(":")[0]].alignment = Alignment(horizontal="center")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bns_workbook(extra_rows: list[list] | None = None) -> bytes:
    """A BNS-style download: a merged title row, merged 'Регион'/'Годы' header cells, then one column per year."""
    rows = [
        ["Численность врачей всех специальностей (на конец года), человек", None, None, None],
        ["Регион", "Годы", None, None],
        [None, 2021, 2022, 2023],
        ["Республика Казахстан", 76000, 77500, 78900],
        ["Акмолинская область", 2100, 2150, "2 180"],
        ["Туркестанская**", 5100, "-", 5300],
        ["г. Алматы", 12000, 12400, "…"],
        *(extra_rows or []),
        ["* Примечание: без учёта военных медицинских организаций", None, None, None],
    ]
    return xlsx(rows, merges=("A1:D1", "A2:A3", "B2:D2"))


# --- what must import --------------------------------------------------------------------------------------------

def test_bns_excel_with_merged_header_rows_imports_every_published_value(store):
    before = observations_for(store, "physicians_count").set_index(["region", "period"])["value"]
    result = import_table(bns_workbook(), "vrachi.xlsx", store, EDITOR, indicator="physicians_count")
    assert result.accepted, [str(i) for i in result.issues]
    assert result.layout == "wide by period" and result.read == 4 and result.resolved == 4
    assert result.skipped_missing == 2  # "-" and "…"
    assert result.written.written == 10
    obs = observations_for(store, "physicians_count").set_index(["region", "period"])["value"]
    assert obs[("KZ", "2023")] == 78900 and obs[("KZ-11", "2023")] == 2180 and obs[("KZ-61", "2023")] == 5300
    assert obs.get(("KZ-61", "2022")) == before.get(("KZ-61", "2022"))  # "-" is not published: nothing replaced


def test_legacy_xls_download_as_bns_publishes_it(store):
    book = xlwt.Workbook()
    ws = book.add_sheet("Лист1")
    ws.write_merge(0, 0, 0, 2, "Число больничных организаций")
    ws.write_merge(1, 2, 0, 0, "Регион")
    ws.write_merge(1, 1, 1, 2, "Годы")
    for col, year in enumerate((2021, 2022), start=1):
        ws.write(2, col, year)
    for row, (name, *values) in enumerate([("Республика Казахстан", 760, 750), ("Абайская область", "-", 30),
                                           ("Улытауская", "-", 11)], start=3):
        for col, value in enumerate([name, *values]):
            ws.write(row, col, value)
    out = io.BytesIO()
    book.save(out)
    # (Abai and Ulytau were formed in June 2022: no 2021 value, tests/stats/test_boundaries.py)
    result = import_table(out.getvalue(), "bolnicy.xls", store, EDITOR, indicator="hospital_organisations_count")
    assert result.accepted, [str(i) for i in result.issues]
    obs = observations_for(store, "hospital_organisations_count").set_index(["region", "period"])["value"]
    assert (obs[("KZ", "2021")], obs[("KZ-10", "2022")], obs[("KZ-62", "2022")]) == (760, 30, 11)


def test_cp1251_russian_csv_is_detected_and_imported(store):
    text = ("Регион;2021;2022\nРеспублика Казахстан;70,23;71,37\nСКО;71,1;72,0\n"
            "Туркестанская область*;72,5;73,1\nг. Шымкент;73,0;x\n")
    result = import_table(csv(text, "cp1251"), "le_cp1251.csv", store, EDITOR, indicator="life_expectancy_years")
    assert result.accepted, [str(i) for i in result.issues]
    assert result.encoding == "cp1251"
    obs = observations_for(store, "life_expectancy_years").set_index(["region", "period"])["value"]
    assert obs[("KZ", "2022")] == pytest.approx(71.37) and obs[("KZ-59", "2021")] == pytest.approx(71.1)
    assert obs[("KZ-61", "2022")] == pytest.approx(73.1) and obs[("KZ-79", "2021")] == pytest.approx(73.0)


def test_semicolon_csv_with_a_title_line_above_the_table(store):
    text = "Численность врачей, человек\n\nРегион;2023;2024\nАкмолинская область;2180;2200\n"
    result = import_table(csv(text), "titled.csv", store, EDITOR, indicator="physicians_count")
    assert result.accepted and result.read == 1 and result.written.written == 2


def test_tidy_layout_with_numerator_and_denominator(store):
    text = ("indicator_id,region,period,value,numerator,denominator\n"
            f"{SCREENING},Акмолинская область,2025Q4,60,600,1000\n{SCREENING},Kazakhstan,2025Q4,55,5500,10000\n")
    result = import_table(csv(text), "tidy.csv", store, EDITOR)
    assert result.accepted and result.layout == "tidy" and result.written.written == 2
    row = observations_for(store, SCREENING, period="2025Q4", region="KZ-11").iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (60, 600, 1000)


def test_wide_by_indicator_layout(store):
    text = "region;year;physicians_count;hospital_organisations_count\nАқмола облысы;2024;2200;48\nAqtöbe;2024;2500;-\n"
    result = import_table(csv(text), "two.csv", store, EDITOR)
    assert result.accepted and result.layout == "wide by indicator" and result.written.added == 3


def test_partly_bad_file_rejected_whole_unless_only_valid_then_skipped_rows_listed(store):
    text = "Регион;2022\nАкмолинская;2100\nAtlantis;12\nАктюбинская;-5\nКостанайская;1900\n"
    before = store_contents(store)
    whole = import_table(csv(text), "partly.csv", store, EDITOR, indicator="physicians_count")
    assert not whole.accepted and whole.rejected_rows == [3, 4]
    assert_unchanged(before, store_contents(store))
    partial = import_table(csv(text), "partly.csv", store, EDITOR, indicator="physicians_count", only_valid=True)
    assert partial.accepted and partial.rejected_rows == [3, 4] and partial.written.written == 2
    obs = observations_for(store, "physicians_count", period="2022")
    assert set(obs["region"]) >= {"KZ-11", "KZ-39"} and "KZ-15" not in set(obs[obs["value"] < 0]["region"])


def test_reimport_of_a_changed_value_keeps_the_old_one_with_who_changed_it(store):
    import_table(csv("Регион;2022\nАкмолинская;2100\n"), "v1.csv", store, EDITOR, indicator="physicians_count")
    result = import_table(csv("Регион;2022\nАкмолинская;2110\n"), "v2.csv", store, EDITOR,
                          indicator="physicians_count")
    assert result.written.changed == 1
    rev = revisions_for(store, "physicians_count", "KZ-11").iloc[0]
    assert (rev["old_value"], rev["new_value"], rev["changed_by"]) == (2100, 2110, "aigerim")
    assert rev["old_source_id"].startswith("upload-") and rev["old_source_id"] != rev["new_source_id"]


def test_dry_run_reports_and_writes_nothing(store):
    before = store_contents(store)
    result = import_table(bns_workbook(), "vrachi.xlsx", store, EDITOR, indicator="physicians_count", dry_run=True)
    assert result.accepted and result.planned.written == 10 and result.written is None
    assert_unchanged(before, store_contents(store))


@pytest.mark.parametrize("identity", [None, Identity("reader", "viewer", "internal"),
                                      Identity("admin", "admin", "public")])
def test_writing_needs_an_editor_in_an_internal_instance(store, identity):
    before = store_contents(store)
    with pytest.raises(PermissionDenied):
        import_table(bns_workbook(), "vrachi.xlsx", store, identity, indicator="physicians_count")
    assert_unchanged(before, store_contents(store))


# --- what must be rejected, whole, with a message naming what is wrong ---------------------------------------------

HEADER = "Регион;2022\n"
BAD = [
    ("empty.csv", b"", {}, ["empty.csv", "the file is empty"]),
    ("blank.csv", b"  \n\n ", {}, ["blank.csv", "empty"]),
    ("header_only.csv", csv(HEADER), {"indicator": "physicians_count"}, ["header_only.csv", "no data rows"]),
    ("wrong_columns.csv", csv("foo,bar\n1,2\n"), {}, ["wrong_columns.csv", "no header row found"]),
    ("no_period.csv", csv("region,value\nAkmola,1\n"), {"indicator": "physicians_count"},
     ["no_period.csv", "missing column(s) period"]),
    ("no_indicator.csv", csv("region,period,value\nAkmola,2022,1\n"), {}, ["no_indicator.csv", "indicator_id"]),
    ("wide_no_indicator.csv", csv(HEADER + "Акмолинская;1\n"), {}, ["wide_no_indicator.csv", "needs the indicator"]),
    ("x.csv", csv(HEADER + "Акмолинская;1\n"), {"indicator": "nope"}, ["x.csv", "unknown indicator id 'nope'"]),
    ("ind.csv", csv("indicator_id,region,period,value\nnope,Akmola,2022,1\n"), {},
     ["ind.csv", "row 2", "column 'indicator_id'", "'nope': unknown indicator id"]),
    ("regions.csv", csv(HEADER + "Акмолинская;1\nAtlantis;2\n"), {"indicator": "physicians_count"},
     ["regions.csv", "row 3", "column 'region'", "unknown region 'Atlantis'"]),
    ("noname.csv", csv("region,period,value\n,2022,5\n"), {"indicator": "physicians_count"},
     ["noname.csv", "row 2", "region name is empty"]),
    ("text.csv", csv(HEADER + "Акмолинская;много\n"), {"indicator": "physicians_count"},
     ["text.csv", "row 2", "column '2022'", "'много' is not a number"]),
    ("dots.csv", csv(HEADER + "Акмолинская;1.2.3\n"), {"indicator": "physicians_count"},
     ["dots.csv", "row 2", "'1.2.3' is not a number"]),
    ("inf.csv", csv(HEADER + "Акмолинская;inf\n"), {"indicator": "physicians_count"}, ["inf.csv", "is not a number"]),
    ("pct.csv", csv("region,period,value\nАкмолинская,2024Q4,140\n"), {"indicator": SCREENING},
     ["pct.csv", "row 2", "column 'value'", "140 is outside 0–100 for a percentage"]),
    ("neg.csv", csv(HEADER + "Акмолинская;-5\n"), {"indicator": "physicians_count"},
     ["neg.csv", "row 2", "-5 is negative"]),
    ("negrate.csv", csv(HEADER + "Акмолинская;-0,1\n"), {"indicator": "physicians_per_10k"},
     ["negrate.csv", "row 2", "negative; a rate"]),
    ("dup.csv", csv(HEADER + "Акмолинская;5\nАкмолинская;6\n"), {"indicator": "physicians_count"},
     ["dup.csv", "row 2", "repeated in row 3"]),
    ("dup_spellings.csv", csv(HEADER + "Акмолинская область;5\nAqmola oblysy;5\n"), {"indicator": "physicians_count"},
     ["dup_spellings.csv", "row 2", "repeated in row 3"]),
    ("period.csv", csv("region,period,value\nAkmola,20x1,5\n"), {"indicator": "physicians_count"},
     ["period.csv", "row 2", "column 'period'", "period '20x1' is not a year from 1900 to 2099"]),
    ("freq.csv", csv("region,period,value\nAkmola,2024,50\n"), {"indicator": SCREENING},
     ["freq.csv", "row 2", "is quarterly", "should look like 2024Q3"]),
    ("national.csv", csv("region,period,value\nAkmola,2024,1.5\n"), {"indicator": "hospital_beds_per_1000"},
     ["national.csv", "row 2", "national indicator"]),
    ("parts.csv", csv("region,period,value,numerator,denominator\nAkmola,2024Q4,50,120,100\n"),
     {"indicator": SCREENING}, ["parts.csv", "row 2", "numerator 120 is larger than denominator 100"]),
    ("mismatch.csv", csv("region,period,value,numerator,denominator\nAkmola,2024Q4,50,30,100\n"),
     {"indicator": SCREENING}, ["mismatch.csv", "row 2", "value 50 does not match"]),
    ("ci.csv", csv("region,period,value,ci_lower,ci_upper\nKazakhstan,2020,70,71,75\n"),
     {"indicator": "life_expectancy_years"}, ["ci.csv", "row 2", "confidence interval"]),
    ("binary.csv", bytes(range(256)) * 4, {}, ["binary.csv", "cannot read the text encoding"]),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, {}, ["old.xls", "not a readable Excel .xls file"]),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", {}, ["broken.xlsx", "not a readable Excel"]),
    ("sheet.xlsx", xlsx([["Регион", 2022], ["Акмолинская", 1]]), {"indicator": "physicians_count", "sheet": "Data"},
     ["sheet.xlsx", "no sheet named 'Data'", "'Лист1'"]),
    ("empty.xlsx", xlsx([]), {}, ["empty.xlsx", "empty"]),
    ("missing.csv", csv(HEADER + "Акмолинская;-\nАктюбинская;…\n"), {"indicator": "physicians_count"},
     ["missing.csv", "no values to import"]),
    ("noperiod_value.csv", csv("region,period,value\nAkmola,,5\n"), {"indicator": "physicians_count"},
     ["noperiod_value.csv", "row 2", "column 'period'"]),
    ("merged_bad.xlsx", bns_workbook([["Атлантида", 1, 2, 3]]), {"indicator": "physicians_count"},
     ["merged_bad.xlsx", "row 8", "unknown region 'Атлантида'"]),
]


@pytest.mark.parametrize(("name", "data", "options", "fragments"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_rejected_whole_with_a_clear_message(sqlite_store, name, data, options, fragments):
    store = sqlite_store
    before = store_contents(store)
    result = import_table(data, name, store, EDITOR, **options)
    assert not result.accepted
    messages = [str(i) for i in result.issues]
    assert any(all(f in m for f in fragments) for m in messages), messages
    assert result.written is None
    assert_unchanged(before, store_contents(store))
