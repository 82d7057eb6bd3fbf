"""Every definition of data/rwd_definitions.yaml on the hand-made 42-person extract (tests/rwd_fixture.py), DuckDB.

Expected numerators and denominators are worked out person by person below (period 2024).
"""

from __future__ import annotations

import pytest

from rwd.aggregate import median_from_histogram
from rwd.compute import compute
from rwd.definitions import DefinitionError, load_definitions, parse_definition
from rwd.engines import DuckDBEngine
from tests.rwd_fixture import write_extract

# region -> (numerator, denominator); "KZ" is the sum of the regions: persons without a location (8, 33, 40) are
# counted nowhere, not even nationally (a person who cannot be placed is never counted).
EXPECTED = {
    # women 40-70 at 31 Dec 2024, observed all 2024, alive at its end; mammography 2023-01-01..2024-12-31.
    # KZ-75 denominator: 1, 2, 3 (mammography a day before the look-back), 4 (turns 40 in November), 6 (turns 70
    # on 31 Dec), 11 (recorded twice), 16 (died in 2025), 17 (two observation periods), 18 (mammography in 2025),
    # 34, 37, 41 (cancer cohort women) = 12; numerator 1, 2, 4, 11, 17 = 5. Out: 5 (39), 7 (71), 9 (left in
    # June), 10 (died in August), 12 (a man), 19 (death recorded, observation not closed).
    # KZ-71: 13, 14, 38 (15 joined in February) -> 1 of 3. KZ: 6 of 15 (8, screened but with no location, is out).
    "rwd_breast_screening_coverage_pct": {"KZ-75": (5, 12), "KZ-71": (1, 3), "KZ": (6, 15)},
    # women 30-70; cytology or HPV test 2021-01-01..2024-12-31. KZ-75: the 12 above + 5 (39), 20, 21, 23 = 16;
    # numerator 20 (first day of the look-back), 23 (both tests, counted once) = 2; 21's test is a day early,
    # 22 is 29. KZ-71: 13, 14, 38 -> 0 of 3 (a zero is a value). KZ: 2 of 19 (not 8).
    "rwd_cervical_screening_coverage_pct": {"KZ-75": (2, 16), "KZ-71": (0, 3), "KZ": (2, 19)},
    # people 50-70; FIT or colonoscopy 2023-01-01..2024-12-31. KZ-75: 1, 6, 11, 12, 16, 17, 18, 34, 35, 36, 37,
    # 41, 42 = 13, numerator 18 = 1. KZ-71: 13, 14, 24 (turns 50 on 31 Dec), 26, 27 (blood pressure is no
    # screening), 38, 39 = 7, numerator 24, 26 = 2 (25 is 49). KZ: 3 of 20 (not 8, 40).
    "rwd_colorectal_screening_coverage_pct": {"KZ-75": (1, 13), "KZ-71": (2, 7), "KZ": (3, 20)},
    # ages 13-24, tobacco use recorded in 2024. KZ-75: 28 (1 Jan 2024), 29 (31 Dec 2023: too early) -> 1 of 2.
    # KZ-71: 30 (turns 13 on 31 Dec) -> 1 of 1 (31 is 12, 32 is 25). KZ: 2 of 3 (not 33, who has no location).
    "rwd_youth_tobacco_use_recorded_pct": {"KZ-75": (1, 2), "KZ-71": (1, 1), "KZ": (2, 3)},
    # new cancers in 2024 with a stage recorded -30..+90 days. KZ-75: 34 (IV), 35 (II, 26 days before),
    # 36 (IV 106 days after: unstaged); 37 was first diagnosed in 2023; 42 in 2025 -> 1 of 2 (3 cases).
    # KZ-71: 38 (III, recorded twice), 39 (I then IV: IV) -> 1 of 2. KZ: 2 of 4 (5 cases; not 40, stage IV).
    "rwd_cancer_stage_iv_share_pct": {"KZ-75": (1, 2), "KZ-71": (1, 2), "KZ": (2, 4)},
}
# median days from the first suspicion within 365 days before diagnosis: (median, cases with a suspicion)
# KZ-75: 34 -> 30 (31 Jan to 1 Mar 2024), 35 -> 6 (the 2023 suspicion is 396 days before), 36 none -> 18.0 of 2.
# KZ-71: 38 -> 0 (same day), 39 -> 40 (the first of two) -> 20.0 of 2. KZ: 0, 6, 30, 40 -> 18.0 of 4 (not 40).
EXPECTED_MEDIAN = {"KZ-75": (18.0, 2), "KZ-71": (20.0, 2), "KZ": (18.0, 4)}


@pytest.fixture(scope="module", params=["csv", "parquet"])
def result(request, tmp_path_factory):
    folder = write_extract(tmp_path_factory.mktemp(f"cdm_{request.param}"), request.param)
    engine = DuckDBEngine()
    try:
        yield compute(engine, folder, ["2024"], synthetic=False)
    finally:
        engine.close()


def _by_region(frame):
    return {r["region"]: r for _unused, r in frame.iterrows()}


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_hand_checked_numerators_and_denominators(result, indicator):
    rows = _by_region(result.rows[indicator])
    assert set(rows) == set(EXPECTED[indicator])
    for region, (num, den) in EXPECTED[indicator].items():
        assert (rows[region]["numerator"], rows[region]["denominator"]) == (num, den), region
        assert rows[region]["value"] == pytest.approx(100 * num / den)
        assert rows[region]["period"] == "2024"


def test_hand_checked_median_days_from_suspicion(result):
    rows = _by_region(result.rows["rwd_days_suspicion_to_diagnosis_median"])
    assert {r: (rows[r]["value"], rows[r]["denominator"]) for r in rows} == EXPECTED_MEDIAN
    assert not any(ch.isdigit() for ch in rows["KZ"]["note"])  # issue 21: a note never states a count


def test_stage_note_states_no_count(result):
    rows = _by_region(result.rows["rwd_cancer_stage_iv_share_pct"])
    assert rows["KZ-75"]["denominator"] == 2 and not any(ch.isdigit() for ch in rows["KZ-75"]["note"])


def test_extract_metadata_and_quality_report(result):
    ex = result.extract
    assert (ex.name, ex.as_of.isoformat(), ex.synthetic) == ("Test extract", "2025-12-31", False)
    checks = {c.id: c for c in ex.checks}
    assert "person_region" not in checks  # superseded by the blocking placement check below (persons 8, 33, 40)
    placed = checks["person_placed.2024"]  # 3 % cannot be placed: under the 5 % allowed, and blocking beyond it
    assert (placed.failing, placed.total, placed.blocking, placed.passed) == (3, 100, True, True)
    assert result.placements == [{"period": "2024", "column": "location_source_value", "persons": 100,
                                  "placed": 97, "unplaced": [{"reason": "no_location", "value": None,
                                                              "persons": 3}]}]
    assert all(c.passed for c in ex.checks if c.blocking)
    coverage = dict(zip(result.coverage["region"].fillna("none"), result.coverage["persons"], strict=True))
    # location 2: 13, 14, 15, 24-27, 30-32, 38, 39 + 29 fillers = 41; no location: 8, 33, 40; the other 56 in 1
    assert coverage == {"KZ-75": 56, "KZ-71": 41, "none": 3}


def test_quarter_period_uses_its_own_window(tmp_path):
    folder = write_extract(tmp_path / "cdm")
    engine = DuckDBEngine()
    try:
        res = compute(engine, folder, ["2024Q1"], definitions=(load_definitions()[4],), synthetic=False)
    finally:
        engine.close()
    rows = _by_region(res.rows["rwd_cancer_stage_iv_share_pct"])
    # new cancers in January-March 2024: 34 (1 March, IV, KZ-75) and 40 (15 January, IV, no location: not
    # counted); 35 is May
    assert {r: (rows[r]["numerator"], rows[r]["denominator"]) for r in rows} == {"KZ-75": (1, 1), "KZ": (1, 1)}


def test_region_read_from_county_names(tmp_path):
    folder = write_extract(tmp_path / "cdm")
    engine = DuckDBEngine()
    try:
        res = compute(engine, folder, ["2024"], definitions=(load_definitions()[0],), region_column="county",
                      synthetic=False)
    finally:
        engine.close()
    rows = _by_region(res.rows["rwd_breast_screening_coverage_pct"])
    assert (rows["KZ-75"]["numerator"], rows["KZ-75"]["denominator"]) == (5, 12)
    assert (rows["KZ-71"]["numerator"], rows["KZ-71"]["denominator"]) == (1, 3)


def test_median_of_a_histogram():
    import pandas as pd

    assert median_from_histogram(pd.DataFrame({"days": [5, 1, 9], "n": [1, 1, 1]})) == 5
    assert median_from_histogram(pd.DataFrame({"days": [1, 10], "n": [3, 1]})) == 1
    assert median_from_histogram(pd.DataFrame({"days": [2, 4], "n": [1, 1]})) == 3
    assert median_from_histogram(pd.DataFrame({"days": [], "n": []})) is None


@pytest.mark.parametrize("change, message", [
    ({"kind": "guess"}, "kind must be one of"),
    ({"population": {"sex": "female", "age_min": 70, "age_max": 40}}, "age_min <= age_max"),
    ({"numerator": {"lookback_years": 2, "events": [{"table": "visits", "concepts": [1]}]}}, "table must be"),
    ({"numerator": {"lookback_years": 2, "events": [{"table": "measurement", "concepts": ["x"]}]}},
     "whole numbers"),
])
def test_broken_definitions_are_refused(change, message):
    entry = {"id": "x", "version": 1, "kind": "population_proportion", "title": "x",
             "population": {"sex": "female", "age_min": 40, "age_max": 70},
             "numerator": {"lookback_years": 2, "events": [{"table": "measurement", "concepts": [1]}]}, **change}
    with pytest.raises(DefinitionError, match=message):
        parse_definition(entry)


def test_every_definition_has_a_catalogue_indicator():
    from catalogue import load_catalogue

    catalogue = load_catalogue()
    for defn in load_definitions():
        assert defn.id in catalogue and catalogue[defn.id].is_regional
