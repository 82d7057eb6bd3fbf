"""One definition, two engines: every definition gives identical results on DuckDB and on Spark (local mode).

Needs Java (PySpark); skipped without it on a workstation, failing under CI (``.ci/run`` installs a JDK).
"""

from __future__ import annotations

import os
import shutil

import pytest

from rwd.compute import compute
from rwd.definitions import load_definitions
from rwd.engines import SMALL_DATA_CONF, DuckDBEngine, SparkEngine, spark_session
from tests.rwd_fixture import write_extract
from tests.test_rwd_definitions import EXPECTED

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    if os.environ.get("CI"):
        pytest.fail("java is missing: PySpark needs a JDK (.ci/run installs openjdk-17-jre-headless)",
                    pytrace=False)
    pytest.skip("java is missing: PySpark needs a JDK", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", conf=SMALL_DATA_CONF)
    yield session
    session.stop()


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
    from tests.test_rwd_batch import POPULATION, VARIANTS, assert_batch_matches

    engine = SparkEngine(session=spark)
    try:
        open_extract(engine, write_extract(tmp_path / "cdm", "csv"))
        assert assert_batch_matches(engine, POPULATION + VARIANTS[:2], ["2024", "2024Q4"]) > 10
    finally:
        engine.close()


def test_same_quality_report_on_both_engines(both):
    on_duckdb, on_spark = both
    assert [c.as_dict() for c in on_duckdb.extract.checks] == [c.as_dict() for c in on_spark.extract.checks]
