"""One definition, two engines: every definition gives identical results on DuckDB and on Spark (local mode).

Needs Java (PySpark); skipped without it on a workstation, failing under CI (``.ci/run`` installs a JDK).
"""

from __future__ import annotations

import os
import shutil

import pytest

from rwd.compute import compute
from rwd.definitions import load_definitions
from rwd.engine_errors import EngineError
from rwd.engines import DuckDBEngine, SparkEngine
from rwd.quality import BlockingCheckFailed
from tests.rwd.test_definitions import EXPECTED
from tests.rwd.test_hostile_extracts import EMPTY_PERSON, RELEASE_CHECK, _release
from tests.rwd_fixture import tables, write_extract

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    if os.environ.get("CI"):
        pytest.fail("java is missing: PySpark needs a JDK (.ci/run installs openjdk-17-jre-headless)",
                    pytrace=False)
    pytest.skip("java is missing: PySpark needs a JDK", allow_module_level=True)


@pytest.fixture(scope="module")
def both(spark, tmp_path_factory):
    folder = write_extract(tmp_path_factory.mktemp("cdm"), "csv")
    duck = DuckDBEngine()
    try:
        on_duckdb = compute(duck, folder, ["2024"], synthetic=False)
    finally:
        duck.close()
    engine = SparkEngine(session=spark)
    try:
        on_spark = compute(engine, folder, ["2024"], synthetic=False)
    finally:
        engine.close()
    return on_duckdb, on_spark


@pytest.mark.parametrize("definition", [d.id for d in load_definitions()])
def test_identical_results_on_duckdb_and_spark(both, definition):
    on_duckdb, on_spark = both
    agg_duck, agg_spark = on_duckdb.aggregates[(definition, "2024")], on_spark.aggregates[(definition, "2024")]
    assert len(agg_duck) > 0
    assert agg_duck.to_dict("records") == agg_spark.to_dict("records")
    assert on_duckdb.rows[definition].to_dict("records") == on_spark.rows[definition].to_dict("records")


def test_spark_matches_the_hand_checked_numbers(both):
    rows = both[1].rows["rwd_breast_screening_coverage_pct"]
    got = {r: (n, d) for r, n, d in zip(rows["region"], rows["numerator"], rows["denominator"], strict=True)}
    assert got == EXPECTED["rwd_breast_screening_coverage_pct"]


def test_batch_equals_each_definition_on_spark(spark, tmp_path):
    """One query for the population definitions of a period (what compute runs) = each definition's own query."""
    from rwd.extract import open_extract
    from tests.rwd.test_batch import POPULATION, VARIANTS, assert_batch_matches

    engine = SparkEngine(session=spark)
    try:
        open_extract(engine, write_extract(tmp_path / "cdm", "csv"))
        assert assert_batch_matches(engine, POPULATION + VARIANTS[:2], ["2024", "2024Q4"]) > 10
    finally:
        engine.close()


def test_same_quality_report_on_both_engines(both):
    on_duckdb, on_spark = both
    assert [c.as_dict() for c in on_duckdb.extract.checks] == [c.as_dict() for c in on_spark.extract.checks]


def test_dqd_checks_and_concept_sets_count_the_same_on_spark(spark, tmp_path):
    """The five-person extract that violates every data-quality check (tests/rwd/test_quality.py)."""
    from tests.rwd.test_quality import dq_extract

    folder = dq_extract(tmp_path / "dq")
    duck = DuckDBEngine()
    try:
        expected = compute(duck, folder, ["2024"], synthetic=False, min_placed_share=0.0)
    finally:
        duck.close()
    engine = SparkEngine(session=spark)
    try:
        found = compute(engine, folder, ["2024"], synthetic=False, min_placed_share=0.0)
    finally:
        engine.close()
    assert [c.as_dict() for c in found.extract.checks] == [c.as_dict() for c in expected.extract.checks]
    assert [c.as_dict() for c in found.concept_sets] == [c.as_dict() for c in expected.concept_sets]


# --- extracts shaped like a real export (tests/rwd_realistic.py): Spark reads them as DuckDB does -----------------

def _on(engine, folder, **kwargs):
    try:
        return compute(engine, folder, ["2024"], synthetic=False, **kwargs)
    finally:
        engine.close()


def test_all_persons_abroad_writes_nothing_and_says_why_on_spark(spark, tmp_path):
    from rwd.placement import PlacementFailed
    from tests.rwd.test_real_extract import ALL_ABROAD_WHY
    from tests.rwd_realistic import all_abroad, write_realistic

    folder = write_realistic(tmp_path / "cdm", all_abroad())
    with pytest.raises(PlacementFailed) as on_spark:
        _on(SparkEngine(session=spark), folder)
    with pytest.raises(PlacementFailed) as on_duckdb:
        _on(DuckDBEngine(), folder)
    assert ALL_ABROAD_WHY in str(on_spark.value) and str(on_spark.value) == str(on_duckdb.value)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_real_shaped_extract_reads_the_same_on_spark(spark, tmp_path, fmt):
    """Upper-case file and column names, every value text ("" for empty), a zero-byte DEATH file, a header-only
    CARE_SITE: the same rows and checks as DuckDB."""
    from tests.rwd_realistic import three_percent_abroad, write_realistic

    folder = write_realistic(tmp_path / "cdm", three_percent_abroad(), fmt)
    (folder / f"DEATH.{fmt}").unlink()
    (folder / "DEATH.csv").write_text("")
    (folder / "CARE_SITE.csv").write_text("CARE_SITE_ID,CARE_SITE_NAME,LOCATION_ID\n")
    on_spark, on_duckdb = _on(SparkEngine(session=spark), folder), _on(DuckDBEngine(), folder)
    for definition, rows in on_duckdb.rows.items():
        assert on_spark.rows[definition].to_dict("records") == rows.to_dict("records"), definition
    assert [c.as_dict() for c in on_spark.extract.checks] == [c.as_dict() for c in on_duckdb.extract.checks]
    assert on_spark.placements == on_duckdb.placements


def test_an_empty_location_table_on_spark(spark, tmp_path):
    from rwd.placement import PlacementFailed
    from tests.rwd_realistic import realistic_tables, write_realistic

    folder = write_realistic(tmp_path / "cdm", realistic_tables(location=[]))
    with pytest.raises(PlacementFailed, match="100 of 100 persons have no Kazakh region: no location"):
        _on(SparkEngine(session=spark), folder)


def test_a_spark_failure_is_one_line_naming_the_table(spark, tmp_path):
    from rwd.engine_errors import EngineError
    from tests.rwd_realistic import three_percent_abroad, write_realistic

    folder = write_realistic(tmp_path / "cdm", three_percent_abroad())
    (folder / "PERSON.csv").unlink()
    (folder / "PERSON.parquet").write_bytes(b"not a parquet file")
    with pytest.raises(EngineError) as info:
        _on(SparkEngine(session=spark), folder)
    message = str(info.value)
    assert message.startswith("spark: cannot read table person: ") and "\n" not in message
    assert "at org.apache" not in message and "Traceback" not in message


# --- hostile extracts on Spark (the DuckDB and PostgreSQL cases: tests/rwd/test_hostile_extracts.py) ----------

def test_spark_blocks_an_empty_person_table_and_a_release_date_in_9999_and_names_a_bad_file(spark, tmp_path):
    cases = {
        "empty": (write_extract(tmp_path / "empty", "parquet", person=tables()["person"].iloc[0:0]), EMPTY_PERSON),
        "release": (write_extract(tmp_path / "release", "parquet", cdm_source=_release("9999-12-31")),
                    RELEASE_CHECK),
    }
    for name, (folder, expected) in cases.items():
        engine = SparkEngine(session=spark)
        try:
            with pytest.raises(BlockingCheckFailed) as caught:
                compute(engine, folder, None, synthetic=False)
        finally:
            engine.close()
        assert expected in str(caught.value), name
    folder = write_extract(tmp_path / "bad", "parquet")
    (folder / "measurement.parquet").write_bytes(b"PAR1 but not really")
    engine = SparkEngine(session=spark)
    try:
        with pytest.raises(EngineError) as caught:
            compute(engine, folder, ["2024"], synthetic=False)
    finally:
        engine.close()
    message = str(caught.value)
    assert message.startswith("spark: cannot read table measurement: ") and "\n" not in message
