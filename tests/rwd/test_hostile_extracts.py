"""Issue 21 §5: hostile real-world-data extracts. An empty ``person`` table is a blocking check (no run row); a
release date in the year 9999 (or 1899) is a blocking check naming ``cdm_source.source_release_date``; an
open-ended observation period (9999-12-31) does not make 9999 the default period; events dated 9999 are a warning
naming their table and column; a non-Parquet ``.parquet`` file is one line naming its table. DuckDB through the
CLI, PostgreSQL in the database, Spark on a folder (skipped without Java)."""

from __future__ import annotations

import pytest

from data_sources.seed import init_store
from rwd.__main__ import main
from rwd.compute import compute
from rwd.engines import DuckDBEngine
from rwd.quality import BlockingCheckFailed
from store import data_version, make_engine
from store.rwd_runs import latest_run
from tests.rwd_fixture import tables, write_extract

RELEASE_CHECK = ("release_date_plausible: 1 of 1 failing (cdm_source.source_release_date, the extract's as-of "
                 "date, lies between 1900 and the day of the run)")
EMPTY_PERSON = ("person_rows: 1 of 1 failing (person has at least one row (an extract without persons has nothing "
                "to count))")


def _release(day: str | None):
    frame = tables()["cdm_source"].copy()
    frame["source_release_date"] = day
    return frame


def _cli(folder, db_url, monkeypatch, capsys, *extra) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    rc = main(["compute", "--cdm", str(folder), "--real", "--quiet", *extra])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["csv", "parquet", "zero-byte"])
def test_an_empty_person_table_is_a_blocking_check_and_writes_no_run(tmp_path, monkeypatch, db_url, capsys, fmt):
    store = init_store(make_engine(db_url))
    before = data_version(store)
    person = tables()["person"].iloc[0:0]
    folder = write_extract(tmp_path / "cdm", "csv" if fmt == "zero-byte" else fmt, person=person)
    if fmt == "zero-byte":
        (folder / "person.csv").write_text("")
    rc, out, err = _cli(folder, db_url, monkeypatch, capsys)
    assert rc == 2 and EMPTY_PERSON in err and "nothing written" in err
    assert "[FAIL] completeness  person_rows" in out and "Traceback" not in out + err
    assert latest_run(store) is None and data_version(store) == before  # no "last run" of 0 observations


@pytest.mark.parametrize("day", ["9999-12-31", "1899-06-30"])
def test_an_implausible_release_date_is_a_blocking_check_naming_its_column(tmp_path, monkeypatch, db_url, capsys,
                                                                          day):
    store = init_store(make_engine(db_url))
    for fmt in ("csv", "parquet"):
        folder = write_extract(tmp_path / fmt, fmt, cdm_source=_release(day))
        rc, out, err = _cli(folder, db_url, monkeypatch, capsys)  # no --period: it would have been derived from it
        assert rc == 2 and RELEASE_CHECK in err and "Traceback" not in out + err, (fmt, err)
        assert "[FAIL] plausibility  release_date_plausible" in out
    assert latest_run(store) is None


def test_open_ended_observation_periods_do_not_make_9999_the_default_period(tmp_path, monkeypatch, db_url, capsys):
    periods = tables()["observation_period"].copy()
    periods["observation_period_end_date"] = "9999-12-31"  # what some ETLs write for "still observed"
    folder = write_extract(tmp_path / "cdm", "parquet", observation_period=periods, cdm_source=_release(None))
    rc, out, err = _cli(folder, db_url, monkeypatch, capsys, "--dry-run")
    assert rc == 0, err
    assert "9999" not in out.split("periods:")[1].splitlines()[0]


def test_events_dated_9999_are_a_warning_naming_their_table_and_column(tmp_path):
    events = tables()["condition_occurrence"].copy()
    events["condition_start_date"] = "9999-12-31"
    engine = DuckDBEngine()
    try:
        result = compute(engine, write_extract(tmp_path / "cdm", "parquet", condition_occurrence=events), ["2024"],
                         synthetic=False)
    finally:
        engine.close()
    high = next(c for c in result.extract.checks
                if c.id == "plausibleValueHigh.condition_occurrence.condition_start_date")
    assert not high.passed and high.failing == high.total == len(events) and not high.blocking


def test_a_file_that_is_not_parquet_is_one_line_naming_its_table(tmp_path, monkeypatch, db_url, capsys):
    folder = write_extract(tmp_path / "cdm", "parquet")
    (folder / "measurement.parquet").write_bytes(b"PAR1 but not really")
    rc, out, err = _cli(folder, db_url, monkeypatch, capsys)
    assert rc == 2 and err.startswith("python -m rwd: error: duckdb: cannot read table measurement: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in out + err


# --- PostgreSQL: the same checks, computed in the database ----------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_server():
    from tests.conftest import fresh_pg_database
    from tests.rwd.test_database import _with_password, load_schema

    with fresh_pg_database() as url:
        load_schema(url, "empty_person", person=tables()["person"].iloc[0:0])
        load_schema(url, "release_9999", cdm_source=_release("9999-12-31"))
        yield _with_password(url)


@pytest.mark.parametrize(("schema", "expected"), [("empty_person", EMPTY_PERSON), ("release_9999", RELEASE_CHECK)])
def test_postgresql_blocks_the_same_hostile_extracts(hostile_server, schema, expected):
    from rwd.cdm import CdmDatabase
    from rwd.db_engine import DatabaseEngine

    source = CdmDatabase.parse(hostile_server, schema)
    engine = DatabaseEngine(source)
    try:
        with pytest.raises(BlockingCheckFailed) as caught:
            compute(engine, source, None, synthetic=False)
    finally:
        engine.close()
    assert expected in str(caught.value)


# The Spark case (an empty person table, a release date in 9999, a bad file) is in tests/rwd/test_spark.py: one
# module holds every Spark test, so a run starts one JVM.
