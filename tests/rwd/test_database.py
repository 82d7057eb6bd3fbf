"""A CDM held in PostgreSQL is computed in PostgreSQL (``--cdm postgresql+psycopg://...``): the hand-checked 42-person
extract of tests/rwd_fixture.py, loaded into a schema, gives the same aggregates, observation rows and checks as
DuckDB; bad sources fail with a clear message; the password appears nowhere.

Needs the test PostgreSQL (``source scripts/test_postgres.sh start``): skipped without it on a workstation, a
failure under CI. The tests that need no server (URL handling, an unreachable database, the CLI's refusals) run
everywhere.
"""

from __future__ import annotations

import json
import socket
import uuid

import pandas as pd
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from core.access import SYSTEM
from data_sources.seed import init_store
from rwd.__main__ import main
from rwd.cdm import CdmDatabase, CdmSourceError, TableRef, discover, is_database_url
from rwd.compute import compute, write
from rwd.db_engine import DatabaseEngine, transpile
from rwd.definitions import load_definitions
from rwd.engines import DuckDBEngine
from rwd.quality import BlockingCheckFailed
from store import make_engine
from store.rwd_runs import latest_run
from store.schema import sources
from tests.rwd.test_definitions import EXPECTED, EXPECTED_MEDIAN
from tests.rwd_fixture import tables, write_extract

# The test server (scripts/test_postgres.sh) trusts loopback connections: any password connects, so a run can carry
# one and be searched for it. A server URL that has its own password keeps it, and that one is searched for.
SECRET = "S3cret-pw-rwd"
DEFINITIONS = [d.id for d in load_definitions()]


def _with_password(url: str) -> str:
    parsed = make_url(url)
    return url if parsed.password else parsed.set(password=SECRET).render_as_string(hide_password=False)


def _password(url: str) -> str:
    return str(make_url(url).password)


def load_schema(url: str, schema: str, as_text: bool = False, drop: tuple[str, ...] = (), **changes) -> None:
    """The fixture's tables in a new schema: typed columns (dates as DATE, ids as BIGINT), or ``as_text`` every
    column TEXT and every table and column name in capitals (a CSV load with quoted names)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        for name, frame in {**tables(), **changes}.items():
            if name in drop:
                continue
            if as_text:
                frame = frame.astype("string").rename(columns=str.upper)
                name = name.upper()
            else:
                frame = frame.assign(**{c: pd.to_datetime(frame[c]).dt.date for c in frame if c.endswith("_date")})
            frame.to_sql(name, engine, schema=schema, index=False)
    finally:
        engine.dispose()


def run_in_database(url: str, schema: str, **kwargs):
    source = CdmDatabase.parse(url, schema)
    engine = DatabaseEngine(source)
    try:
        return compute(engine, source, ["2024"], **{"synthetic": False, **kwargs})
    finally:
        engine.close()


@pytest.fixture(scope="module")
def server():
    """One fresh database for the module, holding the fixture typed (schema ``cdm``) and as text (``cdm_text``)."""
    from tests.conftest import fresh_pg_database

    with fresh_pg_database() as url:
        load_schema(url, "cdm")
        load_schema(url, "cdm_text", as_text=True)
        yield _with_password(url)


@pytest.fixture(scope="module")
def on_duckdb(tmp_path_factory):
    engine = DuckDBEngine()
    try:
        return compute(engine, write_extract(tmp_path_factory.mktemp("cdm"), "csv"), ["2024"], synthetic=False)
    finally:
        engine.close()


@pytest.fixture(scope="module", params=["cdm", "cdm_text"])
def on_postgres(request, server):
    return run_in_database(server, request.param)


@pytest.mark.parametrize("definition", DEFINITIONS)
def test_same_numbers_in_postgresql_as_on_duckdb(on_duckdb, on_postgres, definition):
    agg_duck, agg_pg = on_duckdb.aggregates[(definition, "2024")], on_postgres.aggregates[(definition, "2024")]
    assert len(agg_duck) > 0
    assert agg_pg.to_dict("records") == agg_duck.to_dict("records")
    assert on_postgres.rows[definition].to_dict("records") == on_duckdb.rows[definition].to_dict("records")


def test_postgresql_matches_the_hand_checked_numbers(on_postgres):
    for indicator, expected in EXPECTED.items():
        rows = on_postgres.rows[indicator]
        got = {r: (n, d) for r, n, d in zip(rows["region"], rows["numerator"], rows["denominator"], strict=True)}
        assert got == expected, indicator
    rows = on_postgres.rows["rwd_days_suspicion_to_diagnosis_median"]
    assert {r: (v, d) for r, v, d in zip(rows["region"], rows["value"], rows["denominator"], strict=True)} == \
        EXPECTED_MEDIAN


def test_same_extract_checks_and_coverage_as_on_duckdb(on_duckdb, on_postgres):
    assert on_postgres.engine == "postgresql"
    ex = on_postgres.extract
    assert (ex.name, ex.abbreviation, ex.as_of, ex.synthetic) == ("Test extract", "TEST",
                                                                 on_duckdb.extract.as_of, False)
    assert [c.as_dict() for c in ex.checks] == [c.as_dict() for c in on_duckdb.extract.checks]
    assert on_postgres.coverage.to_dict("records") == on_duckdb.coverage.to_dict("records")


def test_region_names_read_the_same_as_on_duckdb(server, tmp_path):
    defn = load_definitions()[0]
    engine = DuckDBEngine()
    try:
        expected = compute(engine, write_extract(tmp_path / "cdm"), ["2024"], definitions=(defn,),
                           region_column="county", synthetic=False)
    finally:
        engine.close()
    got = run_in_database(server, "cdm", definitions=(defn,), region_column="county")
    assert got.rows[defn.id].to_dict("records") == expected.rows[defn.id].to_dict("records")
    assert got.coverage.to_dict("records") == expected.coverage.to_dict("records")
    assert set(got.rows[defn.id]["region"]) == {"KZ-75", "KZ-71", "KZ"}


def test_a_column_that_places_nobody_blocks_as_on_duckdb(server, tmp_path):
    """``city`` is empty for every location: nobody can be placed, so nothing is computed, on either engine."""
    engine = DuckDBEngine()
    try:
        with pytest.raises(BlockingCheckFailed) as on_duckdb:
            compute(engine, write_extract(tmp_path / "cdm"), ["2024"], region_column="city", synthetic=False)
    finally:
        engine.close()
    with pytest.raises(BlockingCheckFailed) as in_database:
        run_in_database(server, "cdm", region_column="city")
    assert str(in_database.value) == str(on_duckdb.value)
    assert "100 of 100 persons have no Kazakh region: no location (person.location_id empty or not in location) " \
           "for 3; city empty for 97" in str(on_duckdb.value)


def test_batch_equals_each_definition_in_postgresql(server):
    """One query for the population definitions of a period (what compute runs) = each definition's own query."""
    from rwd.extract import open_extract
    from tests.rwd.test_batch import POPULATION, VARIANTS, assert_batch_matches

    source = CdmDatabase.parse(server, "cdm")
    engine = DatabaseEngine(source)
    try:
        open_extract(engine, source)
        assert assert_batch_matches(engine, POPULATION + VARIANTS, ["2024", "2024Q1", "2024Q4"]) > 20
    finally:
        engine.close()


def test_tables_are_found_case_insensitively_in_their_schema(server):
    found = discover(CdmDatabase.parse(server, "cdm_text"))
    assert found["person"] == TableRef("person", "cdm_text", "PERSON")
    assert set(found) == set(tables())


def test_provenance_and_report_never_show_the_password(server, tmp_path):
    store = init_store(make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    result = run_in_database(server, "cdm")
    summary = write(store, result, SYSTEM)
    assert summary.added > 0
    with store.connect() as conn:
        titles = {r.title for r in conn.execute(select(sources.c.title).where(sources.c.id.like("rwd-%")))}
    assert "OMOP CDM extract Test extract, as of 2025-12-31, definition rwd_breast_screening_coverage_pct@1" in titles
    report = json.dumps(latest_run(store), default=str)
    secret = _password(server)
    assert secret not in report and secret not in " ".join(titles)
    assert secret not in repr(result.extract) and secret not in CdmDatabase.parse(server, "cdm").label


def test_without_cdm_source_rows_the_name_is_the_database_and_schema(server, tmp_path):
    schema = f"cdm_{uuid.uuid4().hex[:8]}"
    load_schema(server, schema, cdm_source=tables()["cdm_source"].iloc[0:0])
    result = run_in_database(server, schema, definitions=(load_definitions()[0],))
    database = make_url(server).database
    assert result.extract.name == f"{database}.{schema}"
    assert result.extract.as_of.isoformat() == "2025-12-31"  # the last observation period's end
    from rwd.store_write import source_record

    record = source_record(result.extract, load_definitions()[0])
    assert record["title"] == (f"OMOP CDM extract {database}.{schema}, as of 2025-12-31, "
                               "definition rwd_breast_screening_coverage_pct@1")


def test_missing_schema_is_a_clear_error(server):
    with pytest.raises(CdmSourceError, match="schema 'no_such_schema' not found") as info:
        run_in_database(server, "no_such_schema")
    assert _password(server) not in str(info.value)
    assert "cdm_text" in str(info.value)  # names the schemas that are there


def test_schema_without_cdm_tables_is_a_clear_error(server):
    with pytest.raises(CdmSourceError, match="schema 'public' holds no OMOP CDM table"):
        run_in_database(server, None)  # the default schema


def test_missing_required_table_blocks_and_writes_nothing(server, tmp_path, monkeypatch, capsys):
    schema = f"cdm_{uuid.uuid4().hex[:8]}"
    load_schema(server, schema, drop=("location",))
    with pytest.raises(BlockingCheckFailed, match="missing: location"):
        run_in_database(server, schema)
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["compute", "--cdm", server, "--cdm-schema", schema, "--quiet", "--real"]) == 2
    captured = capsys.readouterr()
    assert "[FAIL] conformance   required_tables" in captured.out and "nothing written" in captured.err
    assert _password(server) not in captured.out + captured.err
    assert latest_run(init_store(make_engine(db_url))) is None


def test_unreadable_text_date_blocks(server):
    schema = f"cdm_{uuid.uuid4().hex[:8]}"
    deaths = tables()["death"].copy()
    deaths.loc[0, "death_date"] = "yesterday"
    load_schema(server, schema, as_text=True, death=deaths)
    with pytest.raises(BlockingCheckFailed, match=r"types\.death: 1 of 3"):
        run_in_database(server, schema)


def test_a_query_the_database_refuses_is_a_clear_error(server):
    role = f"reader_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server)
    try:
        with admin.begin() as conn:  # may connect and see the schema, not read its tables
            conn.execute(text(f'''CREATE ROLE "{role}" LOGIN PASSWORD '{_password(server)}' '''))
            conn.execute(text(f'GRANT USAGE ON SCHEMA cdm TO "{role}"'))
        url = make_url(server).set(username=role).render_as_string(hide_password=False)
        refused = r"refused a query on table [a-z_]+(, table [a-z_]+)*: permission denied for table"
        with pytest.raises(CdmSourceError, match=refused) as info:
            run_in_database(url, "cdm")
        assert _password(server) not in str(info.value)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


# value as stored, TRY_CAST target, reads as the type (DuckDB's TRY_CAST in PostgreSQL, rwd.db_engine._pg_try_cast)
TRY_CASTS = [
    ("'12'::text", "BIGINT", True), ("' -12 '::text", "BIGINT", True),
    ("'9223372036854775807'::text", "BIGINT", True), ("'9223372036854775808'::text", "BIGINT", False),
    ("'1e3'::text", "BIGINT", False), ("'abc'::text", "BIGINT", False),
    ("''::text", "BIGINT", False), ("'2147483648'::varchar", "INTEGER", False), ("'1984'::varchar", "INTEGER", True),
    ("1.6::numeric", "BIGINT", True), ("2147483647.6::numeric", "INTEGER", False), ("3::smallint", "BIGINT", True),
    ("'NaN'::float8", "BIGINT", False), ("DATE '2024-01-01'", "BIGINT", False),
    ("'2024-02-29'::text", "DATE", True), ("'2023-02-29'::text", "DATE", False), ("'2024-04-31'::text", "DATE", False),
    ("'2024-13-01'::text", "DATE", False), ("'0000-01-01'::text", "DATE", False), ("'2024-1-5'::text", "DATE", True),
    ("' 2024-01-05 10:30:00 '::text", "DATE", True), ("'2024-01-05 25:00'::text", "DATE", False),
    ("'01/02/2024'::text", "DATE", False), ("'yesterday'::text", "DATE", False), ("20240101", "DATE", False),
    ("DATE '2024-01-05'", "DATE", True), ("TIMESTAMP '2024-01-05 23:00'", "DATE", True),
    ("TIMESTAMPTZ '2024-01-05 23:00+05'", "DATE", True),
]


def test_try_cast_reads_like_duckdb_and_never_fails_a_query(server):
    """Every value it accepts, the typed view's CAST reads too; no value makes the query fail."""
    engine = create_engine(server)
    try:
        with engine.connect() as conn:
            run = conn.execution_options(no_parameters=True).exec_driver_sql  # the SQL holds % and :
            for value, typ, readable in TRY_CASTS:
                run("DROP TABLE IF EXISTS raw_value")  # a table: a constant would be folded when planning
                run(f"CREATE TEMPORARY TABLE raw_value AS SELECT {value} AS v")
                check = transpile(f"SELECT TRY_CAST(v AS {typ}) IS NOT NULL AS ok FROM raw_value", "postgresql")
                assert run(check).scalar_one() is readable, (value, typ)
                if readable:  # what the check lets through, the typed view reads
                    run(f"SELECT CAST(v AS {typ}) FROM raw_value").scalar_one()
    finally:
        engine.dispose()


def test_cli_dry_run_on_a_database(server, tmp_path, monkeypatch, capsys):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["compute", "--cdm", server, "--cdm-schema", "cdm", "--period", "2024", "--dry-run", "--quiet",
                 "--real"]) == 0
    captured = capsys.readouterr()
    assert "Extract: Test extract (as of 2025-12-31, real" in captured.out
    assert "Engine: postgresql; periods: 2024" in captured.out
    assert f"Source: postgresql://{make_url(server).host}:{make_url(server).port}/" in captured.out
    assert "would write" in captured.out and "dry run" in captured.out
    assert _password(server) not in captured.out + captured.err
    assert latest_run(init_store(make_engine(db_url))) is None


# --- no server needed -------------------------------------------------------------------------------------------

def test_urls_are_databases_and_hide_their_password():
    assert is_database_url("postgresql+psycopg://u:pw@h/db") and not is_database_url("/data/cdm")
    source = CdmDatabase.parse(f"postgresql+psycopg://analyst:{SECRET}@db.example:5433/omop", "cdm")
    assert source.label == "postgresql://db.example:5433/omop, schema cdm"
    assert SECRET not in repr(source) and SECRET not in str(source)
    with pytest.raises(CdmSourceError, match="names no database"):
        CdmDatabase.parse(f"postgresql+psycopg://analyst:{SECRET}@db.example:5433")


def test_unreachable_database_is_a_clear_error():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    source = CdmDatabase.parse(f"postgresql+psycopg://analyst:{SECRET}@127.0.0.1:{port}/omop", "cdm")
    with pytest.raises(CdmSourceError, match=rf"cannot connect to the CDM database postgresql://127.0.0.1:{port}/omop"
                       ) as info:
        DatabaseEngine(source)
    assert SECRET not in str(info.value)
    with pytest.raises(CdmSourceError, match="cannot connect"):
        discover(source)


def test_cli_refuses_mismatched_options(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    url = f"postgresql+psycopg://analyst:{SECRET}@127.0.0.1:1/omop"
    assert main(["compute", "--cdm", url, "--engine", "spark", "--quiet"]) == 2
    assert "computed in the database itself" in capsys.readouterr().err
    assert main(["compute", "--cdm", str(tmp_path), "--cdm-schema", "cdm", "--quiet"]) == 2
    assert "--cdm-schema applies to a database URL only" in capsys.readouterr().err
    assert main(["compute", "--cdm", url, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect to the CDM database postgresql://127.0.0.1:1/omop" in err and SECRET not in err


def test_dqd_checks_and_concept_sets_count_the_same_as_on_duckdb(server, tmp_path):
    """The five-person extract that violates every data-quality check (tests/rwd/test_quality.py), typed and as
    text: the same checks, counts and concept-set reports in PostgreSQL as on DuckDB."""
    from tests.rwd.test_quality import dq_extract, dq_tables

    engine = DuckDBEngine()
    try:
        expected = compute(engine, dq_extract(tmp_path / "dq"), ["2024"], synthetic=False, min_placed_share=0.0)
    finally:
        engine.close()
    for schema, as_text in (("cdm_dq", False), ("cdm_dq_text", True)):
        load_schema(server, schema, as_text=as_text, **dq_tables())
        found = run_in_database(server, schema, min_placed_share=0.0)
        assert [c.as_dict() for c in found.extract.checks] == [c.as_dict() for c in expected.extract.checks]
        assert [c.as_dict() for c in found.concept_sets] == [c.as_dict() for c in expected.concept_sets]
