"""Property: no input, however odd, crashes the importer or leaves a partial write behind."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.access import Identity
from data_sources.importer import import_table
from store import observations_for
from tests.sources_replay import assert_unchanged, store_contents

EDITOR = Identity(user="prop", role="editor", mode="internal")
NAMES = ["Акмолинская область", "Aqtöbe", "г. Алматы", "Туркестанская**", "Республика Казахстан", "Всего",
         "Atlantis", "", "KZ-11", "KZ-99", "Kazakhstan", "СКО", "область", "x"]
NUMBERS = ["12", "12,5", "1 234,5", "-3", "140", "0", "99.9", "-", "…", "x", "", "abc", "1e400", "nan", "7%", "3*"]
HEADERS = ["Регион", "region", "period", "year", "value", "indicator_id", "numerator", "denominator", "2021", "2022",
           "2024Q4", "2023 г.", "physicians_count", "foo", ""]
INDICATORS = [None, "physicians_count", "breast_cancer_screening_coverage_pct", "hospital_beds_per_1000",
              "life_expectancy_years"]

cell = st.one_of(st.sampled_from(NAMES), st.sampled_from(NUMBERS), st.sampled_from(HEADERS),
                 st.text(max_size=8))
table = st.lists(st.lists(cell, min_size=1, max_size=5), min_size=0, max_size=7)


def to_csv(rows: list[list[str]], sep: str) -> str:
    return "\n".join(sep.join(c.replace(sep, " ").replace("\n", " ").replace('"', "") for c in row) for row in rows)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5), rows=table,
       sep=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(["utf-8", "cp1251", "utf-16"]),
       indicator=st.sampled_from(INDICATORS), only_valid=st.booleans())
def test_random_tables_never_crash_or_write_partly(store, header, rows, sep, encoding, indicator, only_valid):
    data = to_csv([header, *rows], sep).encode(encoding, errors="ignore")
    _check(store, data, "random.csv", indicator, only_valid)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), name=st.sampled_from(["r.csv", "r.xlsx", "r.xls", "r.txt"]),
       indicator=st.sampled_from(INDICATORS))
def test_random_bytes_never_crash_or_write(store, data, name, indicator):
    _check(store, data, name, indicator, only_valid=True)


def _check(store, data: bytes, name: str, indicator, only_valid: bool) -> None:
    before = store_contents(store)
    result = import_table(data, name, store, EDITOR, indicator=indicator, only_valid=only_valid)
    event("accepted" if result.accepted else "rejected")
    if not result.accepted:
        assert result.issues or result.warnings, "a rejected file must say why"
        assert_unchanged(before, store_contents(store))
        return
    # accepted: every valid row is in the store with its value, and nothing else changed in number
    written = result.written
    assert written.written + written.unchanged == len(result.valid_rows)
    after = store_contents(store)["observations"]
    assert len(after) == len(before["observations"]) + written.added
    for row in result.valid_rows.itertuples():
        stored = observations_for(store, row.indicator_id, period=row.period, region=row.region)
        assert stored["value"].iloc[0] == pytest.approx(row.value)
