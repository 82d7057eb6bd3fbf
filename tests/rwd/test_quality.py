"""The checks after the OHDSI Data Quality Dashboard on a hand-made five-person extract that violates each of them;
every count below is worked out by hand from the rows written here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from rwd.compute import compute
from rwd.engines import DuckDBEngine
from rwd.quality import CheckResult, check_description
from tests.rwd_fixture import BREAST_CA, FIT, HPV, MAMMO, TOBACCO, F, M, tables, write_extract

# id: (sex, birth, location, observation periods, death, events) as in tests/rwd_fixture.py
PERSONS = {
    1: (F, "1970-03-01", 1, None, None, [("procedure_occurrence", MAMMO, "2024-05-01")]),
    2: (M, "1970-03-01", 1, None, None, [("procedure_occurrence", MAMMO, "2024-03-03"),  # a man: plausibleGender
                                         ("measurement", FIT, "2024-06-01")]),
    # first period starts before birth (plausibleTemporalAfter) and overlaps the second (ObservationPeriodOverlap)
    3: (F, "1990-06-15", 2, [("1990-01-01", "2022-12-31"), ("2022-06-01", "2025-12-31")], None,
        [("observation", TOBACCO, "1990-06-14")]),                                  # a day before birth
    4: (M, "1960-01-01", 2, [("2018-01-01", "2020-01-01")], "2020-01-01",
        [("condition_occurrence", BREAST_CA, "2024-01-01")]),                       # four years after death
    5: (F, "1980-01-01", None, None, None, [("measurement", HPV, "2024-02-02")]),
}
UNIT_PERCENT = 8554


def dq_tables() -> dict[str, pd.DataFrame]:
    """The five-person extract's tables (also loaded into PostgreSQL and read by Spark in their tests)."""
    base = tables(PERSONS)
    person = base["person"].copy()
    person.loc[person["person_id"] == 5, "year_of_birth"] = 1849                 # plausibleValueLow
    person.loc[person["person_id"] == 4, "location_id"] = 3                      # no location 3: isForeignKey
    periods = base["observation_period"][base["observation_period"]["person_id"] != 5]  # person 5 has none
    proc = pd.DataFrame({
        "procedure_occurrence_id": [1, 2, 3, 3],                                 # id 3 twice: isPrimaryKey
        "person_id": [1, 2, 1, 99],                                              # 99 is nobody: isForeignKey
        "procedure_concept_id": [MAMMO, MAMMO, 0, MAMMO],                        # concept 0 counted
        "procedure_date": ["2024-05-01", "2024-03-03", "2026-02-01", "1949-12-31"],  # after as_of; before 1950
        "procedure_end_date": ["2024-04-30", None, None, None],                  # ends before it starts
        "procedure_source_value": ["MMG", "MMG", "X-RAY-77", "MMG"],             # X-RAY-77 mapped to 0
        "procedure_source_concept_id": [2000001, 2000001, 0, 2000001],
        "visit_occurrence_id": pd.array([10, 11, 12, None], dtype="Int64"),     # visit 12 does not exist
    })
    visits = pd.DataFrame({"visit_occurrence_id": [10, 11], "person_id": [1, 2],
                           "visit_start_date": ["2024-05-01", "2024-01-01"],
                           "visit_end_date": ["2024-05-01", "2024-01-02"]})     # 2024-03-03 is 61 days after
    measurement = base["measurement"].assign(unit_concept_id=pd.array([None, UNIT_PERCENT], dtype="Int64"))
    concept = base["concept"].copy()
    concept.loc[concept["concept_id"] == TOBACCO, "standard_concept"] = None     # not standard
    concept.loc[concept["concept_id"] == BREAST_CA, "domain_id"] = "Observation"  # wrong domain
    return {**base, "person": person, "observation_period": periods, "procedure_occurrence": proc,
            "visit_occurrence": visits, "measurement": measurement, "concept": concept}


def dq_extract(folder):
    return write_extract(folder, persons=PERSONS, **dq_tables())


@pytest.fixture(scope="module")
def checks(tmp_path_factory):
    engine = DuckDBEngine()
    try:
        result = compute(engine, dq_extract(tmp_path_factory.mktemp("dq")), ["2024"], synthetic=False,
                         min_placed_share=0.0)  # 2 of its 5 persons have no region, on purpose
    finally:
        engine.close()
    return {c.id: c for c in result.extract.checks}


# check id -> (rows violated, rows checked)
EXPECTED = {
    "plausibleValueLow.person.year_of_birth": (1, 5),                    # person 5, born 1849
    "measureValueCompleteness.person.location_id": (1, 5),               # person 5
    "isForeignKey.person.location_id": (1, 5),                           # person 4 -> location 3
    "standardConceptRecordCompleteness.person.gender_concept_id": (0, 5),
    "measureObservationPeriodOverlap.observation_period": (1, 4),        # person 3, of the 4 with a period
    "plausibleTemporalAfter.observation_period.observation_period_start_date": (1, 5),  # 1990-01-01, born June
    "measurePersonCompleteness.observation_period": (1, 5),              # person 5 has no period
    "isPrimaryKey.observation_period.observation_period_id": (0, 5),
    "isForeignKey.procedure_occurrence.person_id": (1, 4),               # person 99
    "isPrimaryKey.procedure_occurrence.procedure_occurrence_id": (2, 4),  # both rows with id 3
    "standardConceptRecordCompleteness.procedure_occurrence.procedure_concept_id": (1, 4),  # concept 0
    "sourceConceptRecordCompleteness.procedure_occurrence.procedure_source_concept_id": (1, 4),
    "sourceValueCompleteness.procedure_occurrence.procedure_source_value": (1, 2),  # X-RAY-77 of MMG, X-RAY-77
    "plausibleValueLow.procedure_occurrence.procedure_date": (1, 4),     # 1949-12-31
    "plausibleValueHigh.procedure_occurrence.procedure_date": (1, 4),    # 2026-02-01, after 2025-12-31
    "plausibleStartBeforeEnd.procedure_occurrence.procedure_date": (1, 4),
    "isForeignKey.procedure_occurrence.visit_occurrence_id": (1, 4),     # visit 12
    "withinVisitDates.procedure_occurrence.procedure_date": (1, 3),      # person 2's, of the 3 with a visit
    "fkDomain.procedure_occurrence.procedure_concept_id": (0, 4),
    "plausibleAfterBirth.observation.observation_date": (1, 1),          # the day before birth
    "isStandardValidConcept.observation.observation_concept_id": (1, 1),  # Tobacco user made non-standard
    "fkDomain.condition_occurrence.condition_concept_id": (1, 1),        # a condition in the Observation domain
    "plausibleBeforeDeath.condition_occurrence.condition_start_date": (1, 1),
    "plausibleGender.procedure_occurrence.4324693": (1, 3),              # the man's mammography of 3 (1, 2, 99)
    "plausibleUnitConceptIds.measurement.3037975": (1, 1),               # an HPV test with a unit (percent)
    "plausibleUnitConceptIds.measurement.3002102": (0, 1),               # FIT without one
    "isPrimaryKey.visit_occurrence.visit_occurrence_id": (0, 2),
    "isRequired.person.gender_concept_id": (0, 5),
}


@pytest.mark.parametrize("check_id", list(EXPECTED))
def test_each_check_counts_the_rows_that_violate_it(checks, check_id):
    check = checks[check_id]
    assert (check.failing, check.total) == EXPECTED[check_id]
    assert check.passed is (check.share <= check.max_share)
    assert check.check_name == check_id.split(".")[0] and not check.blocking


def test_at_least_twenty_dqd_check_types_are_run(checks):
    names = {c.check_name for c in checks.values()} - {"", "conceptSet", "conceptVocabulary", "conceptAncestor"}
    assert len(names) >= 20, sorted(names)
    assert {"measureObservationPeriodOverlap", "plausibleAfterBirth", "plausibleGender", "isStandardValidConcept",
            "standardConceptRecordCompleteness", "sourceValueCompleteness", "fkDomain", "withinVisitDates",
            "plausibleUnitConceptIds", "cdmTable", "cdmField", "isRequired", "cdmDatatype", "isPrimaryKey",
            "isForeignKey", "measurePersonCompleteness", "plausibleDuringLife", "plausibleValueLow",
            "plausibleValueHigh", "plausibleStartBeforeEnd", "plausibleTemporalAfter"} <= names


def test_checks_that_violate_beyond_their_threshold_fail_and_others_pass(checks):
    assert not checks["plausibleGender.procedure_occurrence.4324693"].passed      # 33 % > 5 %
    assert not checks["measureObservationPeriodOverlap.observation_period"].passed  # threshold 0
    assert checks["measurePersonCompleteness.condition_occurrence"].passed        # 4 of 5 without: under 95 %
    assert checks["plausibleUnitConceptIds.measurement.3002102"].passed


def test_the_events_in_observation_check_says_what_it_counts(checks):
    # 8 events; outside: procedure rows 3 (2026) and 4 (person 99), person 4's condition (2024, after the end of
    # the only period), person 5's HPV test (no period); person 3's 1990 record lies inside the first period
    check = checks["events_in_observation"]
    assert check.description == "events dated outside every observation period of their person"
    assert check.failing == 4 and check.total == 8


def test_descriptions_are_the_readers_language():
    stored = CheckResult("withinVisitDates.measurement.measurement_date", "plausibility", "x", False,
                         1, 3, 0.05, "withinVisitDates", "measurement", "measurement_date").as_dict()
    assert check_description(stored, "2025-12-31", "ru") == (
        "measurement.measurement_date: записи, датированные более чем на 7 дней вне своего визита")
    assert stored["share"] == pytest.approx(1 / 3) and stored["params"] == {}
    gender = CheckResult("plausibleGender.procedure_occurrence.4324693", "plausibility", "x", False, 1, 3, 0.05,
                         "plausibleGender", "procedure_occurrence", "procedure_concept_id",
                         (("concept", "4324693"), ("sex", "female"))).as_dict()
    assert "«әйел»" in check_description(gender, "2025-12-31", "kk")
    assert check_description(gender, "2025-12-31", "en").endswith(
        "records of concept 4324693, which only women can have, on persons recorded with another sex")


def test_a_check_stored_by_an_older_version_still_reads():
    old = {"id": "events_in_observation", "category": "plausibility", "description": "events dated inside an "
           "observation period", "blocking": False, "failing": 1, "total": 10, "max_share": 0.05, "passed": True,
           "share": 0.1}
    assert check_description(old, "2025-12-31", "en") == "events dated outside every observation period of their person"
    unknown = {"id": "someCheck.person", "check_name": "someCheck", "description": "from a later version"}
    assert check_description(unknown, "2025-12-31", "ru") == "from a later version"


def test_an_absent_table_and_descendants_of_a_sex_specific_concept(tmp_path):
    from rwd.definitions import parse_definition
    from tests.rwd_fixture import PERSONS as FIXTURE

    folder = write_extract(tmp_path / "cdm", persons=FIXTURE)
    (folder / "death.csv").unlink()
    defn = parse_definition({
        "id": "rwd_breast_screening_coverage_pct", "version": 1, "kind": "population_proportion", "title": "x",
        "population": {"sex": "female", "age_min": 40, "age_max": 70},
        "numerator": {"lookback_years": 2, "events": [{"table": "procedure_occurrence", "concepts": [
            {"concept_id": MAMMO, "include_descendants": True, "sex": "female"}]}]}})
    engine = DuckDBEngine()
    try:
        result = compute(engine, folder, ["2024"], definitions=(defn,), synthetic=False)
        found = {c.id: c for c in result.extract.checks}
    finally:
        engine.close()
    assert (found["cdmTable.death"].failing, found["cdmTable.death"].passed) == (1, False)
    # mammographies in the fixture: persons 1-5, 7-10, 12, 13, 17-19 once, 11 three times = 17; person 12 is a man
    check = found["plausibleGenderUseDescendants.procedure_occurrence.4324693"]
    assert (check.failing, check.total) == (1, 17)
