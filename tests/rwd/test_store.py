"""A run through the store: one transaction with provenance, blocking checks write nothing, the CLI, privacy."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import inspect, select

from core.access import SYSTEM
from data_sources.seed import init_store
from readmodel import ReadPolicy, observations
from rwd.__main__ import main
from rwd.compute import compute, write
from rwd.engines import DuckDBEngine
from rwd.quality import BlockingCheckFailed
from store import data_version, make_engine
from store.rwd_runs import latest_run
from store.schema import sources
from tests.rwd_fixture import PERSONS, tables, write_extract

BREAST = "rwd_breast_screening_coverage_pct"


def _run(folder, store_engine, **kwargs):
    engine = DuckDBEngine()
    try:
        result = compute(engine, folder, ["2024"], **{"synthetic": False, **kwargs})
    finally:
        engine.close()
    return result, write(store_engine, result, SYSTEM)


def _rwd_rows(store_engine) -> pd.DataFrame:
    obs = observations(store_engine, ReadPolicy(public=False))
    return obs[obs["indicator_id"].str.startswith("rwd_")]


def test_run_writes_observations_with_provenance(any_db_url, tmp_path):
    store_engine = init_store(make_engine(any_db_url))
    tables_before = set(inspect(store_engine).get_table_names())
    result, summary = _run(write_extract(tmp_path / "cdm"), store_engine)
    rows = _rwd_rows(store_engine)
    assert summary.added == len(rows) == sum(len(f) for f in result.rows.values())
    breast = rows[rows["indicator_id"] == BREAST].set_index("region")
    assert (breast.loc["KZ-75", "numerator"], breast.loc["KZ-75", "denominator"]) == (5, 12)
    assert breast.loc["KZ", "source_title"] == (
        "OMOP CDM extract Test extract, as of 2025-12-31, definition rwd_breast_screening_coverage_pct@1")
    assert not rows["synthetic"].any()  # the test extract does not call itself synthetic
    # no person-level data anywhere: no new table (the run report's rwd_runs is one of the migrated store's
    # tables), and no column holds a person id
    assert "rwd_runs" in tables_before
    assert set(inspect(store_engine).get_table_names()) == tables_before
    for table in inspect(store_engine).get_table_names():
        assert "person_id" not in {c["name"] for c in inspect(store_engine).get_columns(table)}
    report = latest_run(store_engine)
    assert report["extract"]["name"] == "Test extract" and report["periods"] == ["2024"]
    assert {c["region"]: c["persons"] for c in report["coverage"]} == {"KZ-75": 56, "KZ-71": 41, None: 3}
    assert report["placement"] == [{"period": "2024", "column": "location_source_value", "persons": 100,
                                    "placed": 97, "unplaced": [{"reason": "no_location", "value": None,
                                                                "persons": 3}]}]
    assert (report["extract"]["status"], report["extract"]["status_from"]) == ("real", "declared")
    assert report["written"]["added"] == summary.added
    # aggregates only: counts per region and per check, never a row about a person
    assert all(set(c) == {"region", "persons"} for c in report["coverage"])
    assert "1970-03-01" not in json.dumps(report, default=str)


def test_rerun_changes_nothing_and_a_new_version_is_a_revision(tmp_path, store):
    folder = write_extract(tmp_path / "cdm")
    _run(folder, store)
    _unused, again = _run(folder, store)
    assert (again.added, again.changed) == (0, 0) and again.unchanged > 0


def test_blocking_check_failure_writes_nothing(tmp_path, store):
    broken = tables()["observation_period"].copy()
    broken.loc[0, "observation_period_end_date"] = "2017-01-01"  # ends before it starts
    folder = write_extract(tmp_path / "cdm", observation_period=broken)
    before = data_version(store)
    with pytest.raises(BlockingCheckFailed, match="observation_period_order: 1 of"):
        _run(folder, store)
    assert data_version(store) == before
    assert _rwd_rows(store).empty


def test_missing_required_column_blocks(tmp_path, store):
    folder = write_extract(tmp_path / "cdm", person=tables()["person"].drop(columns=["year_of_birth"]))
    with pytest.raises(BlockingCheckFailed, match="person has its required columns; missing: year_of_birth"):
        _run(folder, store)


def test_unreadable_dates_block(tmp_path, store):
    deaths = tables()["death"].copy()
    deaths.loc[0, "death_date"] = "yesterday"
    folder = write_extract(tmp_path / "cdm", death=deaths)
    with pytest.raises(BlockingCheckFailed, match=r"types\.death: 1 of 3"):
        _run(folder, store)


def test_public_read_suppresses_small_cells(tmp_path, store):
    _run(write_extract(tmp_path / "cdm"), store)
    public = observations(store, ReadPolicy(public=True, min_count=10), BREAST, "2024")
    assert public.set_index("region").loc["KZ-71", "suppressed"]  # 1 of 3 women
    assert public["value"].isna().all()  # every count here is below 10, so nothing is shown


def test_cli_compute_dry_run_then_write(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    folder = write_extract(tmp_path / "cdm")
    assert main(["compute", "--cdm", str(folder), "--period", "2024", "--dry-run", "--quiet", "--real"]) == 0
    out = capsys.readouterr().out
    assert "Extract: Test extract (as of 2025-12-31, real, declared with --real" in out
    assert "would write" in out and "dry run" in out  # the CLI lists failed checks only; this one passed
    assert "Not counted (2024): 3 of 100 persons have no Kazakh region: no location" in out
    store = init_store(make_engine(db_url))
    assert _rwd_rows(store).empty
    assert main(["compute", "--cdm", str(folder), "--period", "2024", "--real"]) == 0
    captured = capsys.readouterr()
    assert "added" in captured.out and "12/12" not in captured.out
    assert "6/6" in captured.err  # the progress bar: six definitions for one period
    assert len(_rwd_rows(store)) > 0


def test_cli_refuses_bad_input(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    with pytest.raises(SystemExit):
        main(["compute", "--cdm", str(tmp_path), "--period", "last year"])
    assert "not a year" in capsys.readouterr().err
    assert main(["compute", "--cdm", str(tmp_path / "missing"), "--quiet", "--real"]) == 2
    assert "not a folder" in capsys.readouterr().err
    broken = tables()["observation_period"].copy()
    broken.loc[0, "observation_period_end_date"] = "2017-01-01"
    assert main(["compute", "--cdm", str(write_extract(tmp_path / "cdm", observation_period=broken)),
                 "--quiet", "--real"]) == 2
    captured = capsys.readouterr()
    assert "[FAIL] plausibility  observation_period_order" in captured.out
    assert "nothing written" in captured.err


def test_synthetic_extract_is_flagged_end_to_end(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "synthetic"
    assert main(["synthesize", "--persons", "3000", "--out", str(out), "--seed", "7"]) == 0
    assert "illustrative" in capsys.readouterr().out
    assert main(["compute", "--cdm", str(out), "--quiet"]) == 0
    store = init_store(make_engine(db_url))
    rows = _rwd_rows(store)
    assert len(rows) > 0 and rows["synthetic"].all() and set(rows["period"]) == {"2025"}
    with store.connect() as conn:
        kinds = {r.kind for r in conn.execute(select(sources.c.kind).where(sources.c.id.like("rwd-%")))}
    assert kinds == {"synthetic"}
    # the two KPIs linked to computed indicators take their 2025 actuals from them, flagged illustrative
    from kpi import actuals_for, ensure_kpi_schema, list_kpis

    ensure_kpi_schema(store)
    kpis = {k.id: k for k in list_kpis(store)}
    national = observations(store, ReadPolicy(public=False), region="KZ")
    for kpi_id, indicator in (("ed_stage_iv_share_pct", "rwd_cancer_stage_iv_share_pct"),
                              ("ed_diagnosis_wait_days", "rwd_days_suspicion_to_diagnosis_median")):
        actual = actuals_for(store, kpis[kpi_id], national).set_index("quarter").loc["2025Q4"]
        computed = national[(national["indicator_id"] == indicator) & (national["period"] == "2025")]
        assert actual["value"] == computed["value"].item()
        assert actual["illustrative"] and "OMOP CDM extract Densaulyq synthetic extract" in actual["source"]


def test_fixture_covers_the_edge_cases():
    """The fixture keeps the edge cases the definitions are checked against (guards against edits)."""
    assert PERSONS[4][1] == "1984-11-15" and PERSONS[3][5][0][2] == "2022-12-31"
    assert PERSONS[8][2] is None and PERSONS[9][3] == [("2018-01-01", "2024-06-30")]
    assert PERSONS[10][4] == "2024-08-01" and PERSONS[11][5][0] == PERSONS[11][5][1]
