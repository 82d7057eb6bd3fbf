"""The database engine: an OMOP CDM held in a database (``--cdm postgresql+psycopg://...``) is computed in that
database. The same DuckDB SQL as the other engines, transpiled by sqlglot to the database's dialect; the raw tables
are TEMPORARY views over ``<schema>.<table>`` and lookups TEMPORARY views over VALUES, so nothing is written to the
database and everything goes when the connection closes. Only the aggregates the queries return (counts by
region, a histogram of days) come back to Python: no row about a person is fetched.

PostgreSQL is supported and tested (``tests/rwd/test_database.py``). Any SQLAlchemy URL is accepted, but another
database may need dialect work: temporary views, TRY_CAST (``_pg_try_cast`` below for PostgreSQL), date
arithmetic.

The whole run is one REPEATABLE READ transaction (PostgreSQL): every query sees the same snapshot of the extract,
and it is rolled back at the end. The user needs SELECT on the CDM tables and the TEMPORARY privilege on the
database (so not a read-only standby).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pandas as pd
import sqlglot
from sqlalchemy.exc import DBAPIError
from sqlglot import exp
from sqlglot.dialects.postgres import Postgres

from rwd.cdm import CdmDatabase, CdmSourceError, TableRef
from rwd.engine_errors import tables_in
from rwd.engines import values_view_sql

# SQLAlchemy backend name -> sqlglot dialect; only postgresql is tested, the others are a starting point.
SQLGLOT_DIALECTS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "mssql": "tsql",
                    "oracle": "oracle", "sqlite": "sqlite", "snowflake": "snowflake", "bigquery": "bigquery",
                    "redshift": "redshift", "trino": "trino", "databricks": "databricks", "duckdb": "duckdb"}
SUPPORTED = ("postgresql",)

_PG_NUMERIC = "('smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision')"
_PG_DATES = "('date', 'timestamp without time zone', 'timestamp with time zone')"
_PG_INT_RANGES = {exp.DataType.Type.BIGINT: (-(2 ** 63), 2 ** 63 - 1),
                  exp.DataType.Type.INT: (-(2 ** 31), 2 ** 31 - 1),
                  exp.DataType.Type.SMALLINT: (-(2 ** 15), 2 ** 15 - 1)}
_PG_FITS = {exp.DataType.Type.BIGINT: "('smallint', 'integer', 'bigint')",  # integer columns that always fit
            exp.DataType.Type.INT: "('smallint', 'integer')", exp.DataType.Type.SMALLINT: "('smallint')"}
_PG_TEXT_DATE = (r"'^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
                 r"(\s+([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?)?\s*$'")


def _pg_try_cast(gen, expression: exp.TryCast) -> str:
    """DuckDB's TRY_CAST (NULL when a value does not read as the type) for PostgreSQL, which has none (sqlglot
    writes a plain CAST, which would fail the whole query). Only the conformance check uses it, on raw columns of
    any type, so it reads the value as text and accepts what the typed view's CAST is certain to read: whole
    numbers in the type's range (decimals too from a numeric column, which CAST rounds like DuckDB) and ISO dates
    (``2024-01-31``, optionally with a time; any date or timestamp column). Each CAST sits under a CASE that has
    checked its input, so no value can make the query fail; a column of an unrelated type reads as NULL
    (failing), as in DuckDB."""
    value = gen.sql(expression, "this")
    target = expression.to.this
    typ = gen.sql(expression, "to")
    text = f"CAST({value} AS TEXT)"
    kind = f"CAST(pg_typeof({value}) AS TEXT)"
    if target in _PG_INT_RANGES:
        low, high = _PG_INT_RANGES[target]
        number = f"CAST({text} AS NUMERIC)"
        return (f"CASE WHEN {kind} IN {_PG_FITS[target]} THEN CAST({text} AS {typ}) "  # the usual case, fast
                f"WHEN {kind} IN {_PG_NUMERIC} AND {text} ~ '^[+-]?[0-9]+(\\.[0-9]*)?$' "
                f"THEN CASE WHEN ROUND({number}) BETWEEN {low} AND {high} THEN CAST({number} AS {typ}) END "
                f"WHEN {text} ~ '^\\s*[+-]?[0-9]+\\s*$' "
                f"THEN CASE WHEN {number} BETWEEN {low} AND {high} THEN CAST({text} AS {typ}) END END")
    if target == exp.DataType.Type.DATE:
        def part(n: int) -> str:  # year, month or day of the text, as an integer
            skip = "[0-9]{4}-" + "[0-9]{1,2}-" * (n - 1) if n else ""
            width = "4" if n == 0 else "1,2"
            return f"CAST(substring({text} FROM '^\\s*{skip}([0-9]{{{width}}})') AS INT)"
        year, month, day = part(0), part(1), part(2)
        leap = f"({year} % 4 = 0 AND {year} % 100 <> 0 OR {year} % 400 = 0)"
        last_day = (f"CASE WHEN {month} IN (4, 6, 9, 11) THEN 30 WHEN {month} = 2 THEN "
                    f"CASE WHEN {leap} THEN 29 ELSE 28 END ELSE 31 END")
        return (f"CASE WHEN {kind} = 'date' THEN CAST({text} AS DATE) "  # the usual case, fast (ISO DateStyle)
                f"WHEN {kind} IN {_PG_DATES} "
                f"THEN CAST(substring({text} FROM '^([0-9]{{4,}}-[0-9]{{2}}-[0-9]{{2}})') AS DATE) "
                f"WHEN {text} ~ {_PG_TEXT_DATE} THEN CASE WHEN {year} >= 1 AND {month} BETWEEN 1 AND 12 "
                f"AND {day} BETWEEN 1 AND {last_day} THEN CAST({text} AS DATE) END END")
    raise ValueError(f"TRY_CAST to {typ} has no PostgreSQL translation (add one to rwd/db_engine.py)")


class DensaulyqPostgres(Postgres):
    """sqlglot's PostgreSQL dialect with a TRY_CAST that keeps DuckDB's meaning (``_pg_try_cast``)."""

    class Generator(Postgres.Generator):
        TRANSFORMS: ClassVar[dict] = {**Postgres.Generator.TRANSFORMS, exp.TryCast: _pg_try_cast}


def transpile(sql: str, backend: str) -> str:
    """One DuckDB statement in the SQL of ``backend`` (a SQLAlchemy backend name)."""
    if backend == "postgresql":
        return sqlglot.parse_one(sql, read="duckdb").sql(dialect=DensaulyqPostgres)
    return sqlglot.transpile(sql, read="duckdb", write=SQLGLOT_DIALECTS.get(backend, backend))[0]


class DatabaseEngine:
    """Runs the definitions in the database holding the extract; ``name`` is the database (``postgresql``)."""

    batch_queries = False  # a count query is one round trip; each one scans anyway

    def __init__(self, source: CdmDatabase):
        self.source = source
        self.backend = source.url.get_backend_name()
        self.name = self.backend[:20]
        if self.backend not in SQLGLOT_DIALECTS:
            raise CdmSourceError(f"{source.label}: no SQL dialect known for {self.backend!r} "
                                 f"(supported: {', '.join(SUPPORTED)})")
        options: dict = {}
        if self.backend == "postgresql":
            options["isolation_level"] = "REPEATABLE READ"
            if source.url.get_driver_name() in ("psycopg", "psycopg2"):
                options["connect_args"] = {"application_name": "densaulyq-rwd", "connect_timeout": 15}
        self._engine = source.make_engine(**options)
        self.conn = None
        try:
            self.conn = self._engine.connect().execution_options(no_parameters=True)  # no %s / :name parsing
            if self.backend == "postgresql":
                # literals keep their backslashes, dates read and print as ISO, dates of timestamps in UTC (as
                # on Spark); no nested loops: every query aggregates whole tables, and the planner, unable to
                # estimate the age conditions (and guessing one row on tables never analysed), otherwise picks
                # nested loops over sequential scans, quadratic (a run on 20,000 persons: 10 s instead of 0.8 s)
                for setting in ("SET standard_conforming_strings = on", "SET DateStyle = 'ISO'",
                                "SET TIME ZONE 'UTC'", "SET enable_nestloop = off"):
                    self.conn.exec_driver_sql(setting)
        except DBAPIError as exc:
            self.close()
            raise source.connection_error(exc) from None

    def transpile(self, sql: str) -> str:
        return transpile(sql, self.backend)

    def _run(self, sql: str):
        try:
            return self.conn.exec_driver_sql(sql)
        except DBAPIError as exc:
            raise self.source.query_error(exc, tables_in(sql)) from None

    def register_file(self, name: str, table) -> None:
        """``raw_<table>``: a temporary view over the CDM table (``TableRef`` from ``discover``)."""
        if not isinstance(table, TableRef):
            raise TypeError("the database engine reads the tables of its database, not files")
        quote = self._engine.dialect.identifier_preparer.quote_identifier
        self._run(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS "
                  f"SELECT * FROM {quote(table.schema)}.{quote(table.name)}")

    def register_rows(self, name: str, columns: dict[str, str], rows: Sequence[tuple]) -> None:
        self.execute(values_view_sql(name, columns, rows))

    def columns(self, name: str) -> list[str]:
        return list(self._run(f"SELECT * FROM {name} LIMIT 0").keys())

    def execute(self, sql: str) -> None:
        self._run(self.transpile(sql))

    def query(self, sql: str) -> pd.DataFrame:
        result = self._run(self.transpile(sql))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def close(self) -> None:
        """Roll back (the temporary views go with the transaction) and disconnect; safe to call twice."""
        if self.conn is not None:
            try:
                self.conn.rollback()
            finally:
                self.conn.close()
                self.conn = None
        self._engine.dispose()
