"""The population definitions of a period in one query (``run_population_batch``, what ``compute`` runs) give
exactly what each definition's own query gives (``run_definition``, the reference): the same aggregates and the
same observation rows, on the hand-made 42-person extract (tests/rwd_fixture.py), for years and quarters, and for
definitions that exercise every part of the batch (a look-back observation requirement next to the reporting
period one, the dead kept, two event sets in one table, events in condition_occurrence, one sex only).
"""

from __future__ import annotations

import pytest

from rwd.aggregate import run_definition, run_population_batch
from rwd.compute import compute
from rwd.db_engine import transpile
from rwd.definitions import load_definitions, parse_definition
from rwd.engines import DuckDBEngine, to_spark
from rwd.extract import open_extract
from rwd.sql import population_batch_sql
from tests.rwd_fixture import MAMMO, PAP, TOBACCO, write_extract

POPULATION = tuple(d for d in load_definitions() if d.kind == "population_proportion")
PERIODS = ["2024", "2024Q1", "2024Q3", "2023", "2025Q4"]


def _variant(ident: str, **entry):
    base = {"id": ident, "version": 1, "kind": "population_proportion", "title": ident,
            "population": {"sex": "female", "age_min": 40, "age_max": 70},
            "numerator": {"lookback_years": 2, "events": [{"table": "procedure_occurrence", "concepts": [MAMMO]}]}}
    return parse_definition({**base, **entry})


VARIANTS = (
    _variant("breast_observed_over_lookback", observed="lookback"),  # observed from 2023: 17 (two periods) is out
    _variant("breast_observed_over_one_year", observed="lookback",  # in a quarter: from 1 Jan, 17's start
             numerator={"lookback_years": 1, "events": [{"table": "procedure_occurrence", "concepts": [MAMMO]}]}),
    _variant("breast_dead_kept", alive=False),
    _variant("smear_or_mammography_men_and_women", population={"sex": "any", "age_min": 20, "age_max": 80},
             observed="lookback",
             numerator={"lookback_years": 3, "events": [{"table": "procedure_occurrence", "concepts": [MAMMO]},
                                                        {"table": "procedure_occurrence", "concepts": [PAP]}]}),
    _variant("men_with_a_cancer_or_tobacco", population={"sex": "male", "age_min": 0, "age_max": 120},
             numerator={"lookback_years": 1, "events": [
                 {"table": "condition_occurrence", "concepts": [4112853, 4180790, 196359, 4311499]},
                 {"table": "observation", "concepts": [TOBACCO]}]}),
)


def assert_batch_matches(engine, defns, periods) -> int:
    """The batch against each definition's own query; returns how many observation rows were compared."""
    compared = 0
    for period in periods:
        batch = run_population_batch(engine, defns, period)
        assert list(batch) == [d.id for d in defns]
        for defn in defns:
            agg, rows = run_definition(engine, defn, period)
            got_agg, got_rows = batch[defn.id]
            assert got_agg.to_dict("records") == agg.to_dict("records"), (defn.id, period)
            assert list(got_agg.dtypes) == list(agg.dtypes), (defn.id, period)
            assert got_rows.to_dict("records") == rows.to_dict("records"), (defn.id, period)
            compared += len(rows)
    return compared


@pytest.fixture(scope="module", params=["csv", "parquet"])
def engine(request, tmp_path_factory):
    duck = DuckDBEngine()
    try:
        open_extract(duck, write_extract(tmp_path_factory.mktemp(f"cdm_{request.param}"), request.param))
        yield duck
    finally:
        duck.close()


def test_batch_equals_each_definition_for_years_and_quarters(engine):
    assert assert_batch_matches(engine, POPULATION, PERIODS) > 20


@pytest.mark.parametrize("subset", [POPULATION + VARIANTS, VARIANTS, POPULATION[:2], POPULATION[3:], VARIANTS[2:3]],
                         ids=["all", "variants", "women_only", "one", "dead_kept_alone"])
def test_batch_equals_each_definition_for_other_definitions(engine, subset):
    assert assert_batch_matches(engine, subset, ["2024", "2024Q2", "2024Q4"]) > 0


def test_variants_count_what_their_definition_says(engine):
    """The variants differ from the breast definition where the fixture says they should (so the checks above
    compare something): 17's two periods do not cover the look-back from 2023 together, but the second one covers
    a look-back from 1 January 2024; with the dead kept, 19 (died in October, observed on) counts, screened, and
    10 still not (observed only to August)."""
    def counts(rows):
        return {r["region"]: (r["numerator"], r["denominator"]) for r in rows.to_dict("records")}

    batch = run_population_batch(engine, VARIANTS[:3], "2024")
    assert counts(run_definition(engine, POPULATION[0], "2024")[1])["KZ-75"] == (5, 12)
    assert counts(batch[VARIANTS[0].id][1])["KZ-75"] == (4, 11)
    assert counts(batch[VARIANTS[2].id][1])["KZ-75"] == (6, 13)
    # with a definition observed from 1 October: 17, observed from 1 January exactly, is in (mammography in 2023)
    quarter = run_population_batch(engine, POPULATION[:1] + VARIANTS[1:2], "2024Q4")
    assert counts(quarter[VARIANTS[1].id][1])["KZ-75"] == (3, 12)


def test_compute_runs_one_query_per_period_for_the_population_definitions(tmp_path):
    folder = write_extract(tmp_path / "cdm")
    engine = DuckDBEngine()
    queries: list[str] = []
    query = engine.query

    def counting(sql):
        queries.append(sql)
        return query(sql)

    engine.query = counting
    try:
        result = compute(engine, folder, ["2024", "2024Q1"], synthetic=False)
    finally:
        engine.close()
    batches = [q for q in queries if "denominator_0" in q]
    assert len(batches) == 2
    assert not any("COUNT(e.person_id) AS numerator" in q for q in queries)  # no single population query
    assert len(result.rows[POPULATION[0].id]) and set(result.rows[POPULATION[0].id]["period"]) == {"2024", "2024Q1"}


@pytest.mark.parametrize("subset", [POPULATION, POPULATION + VARIANTS], ids=["definitions", "with_variants"])
def test_batch_sql_transpiles_to_spark_and_postgresql(subset):
    sql = population_batch_sql(subset, "2024Q3")
    for text in (to_spark(sql), transpile(sql, "postgresql")):
        assert "BOOL_OR" not in text.upper() and "denominator_0" in text
    for table in ("person", "observation_period", "death", "procedure_occurrence", "measurement", "observation"):
        assert sql.count(f"FROM {table} ") == 1, table


def test_batch_refuses_other_kinds():
    with pytest.raises(ValueError, match="population_proportion"):
        population_batch_sql(tuple(load_definitions()), "2024")
    assert run_population_batch(None, tuple(d for d in load_definitions() if d not in POPULATION), "2024") == {}
