"""The two engines a definition runs on. SQL is written once, in DuckDB's dialect, and sqlglot transpiles it to
Spark SQL; both engines answer with plain rows, so the numbers compared between them are the same Python values.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pandas as pd
import sqlglot

from rwd.cdm import TableFile
from rwd.engine_errors import (
    EngineError,
    clear_errors,
    duckdb_errors,
    first_line,
    spark_errors,
    table_of_file,
    table_of_sql,
)


class Engine(Protocol):
    name: str

    def register_file(self, name: str, table: TableFile) -> None: ...
    def register_rows(self, name: str, columns: dict[str, str], rows: Sequence[tuple]) -> None: ...
    def columns(self, name: str) -> list[str]: ...
    def execute(self, sql: str) -> None: ...
    def query(self, sql: str) -> pd.DataFrame: ...
    def close(self) -> None: ...


def to_spark(sql: str) -> str:
    """One DuckDB statement in Spark SQL (sqlglot)."""
    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


class DuckDBEngine:
    """Embedded DuckDB (the default): nothing to start; reads Parquet and CSV in place."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None):
        import duckdb

        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute("SET preserve_insertion_order = false")

    @clear_errors(duckdb_errors, table_of_file)
    def register_file(self, name: str, table: TableFile) -> None:
        path = str(table.path / "*.parquet") if table.path.is_dir() else str(table.path)
        reader = "read_parquet" if table.format == "parquet" else "read_csv_auto"
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {reader}(?)".replace("?", _lit(path)))

    def register_rows(self, name: str, columns: dict[str, str], rows: Sequence[tuple]) -> None:
        self.execute(values_view_sql(name, columns, rows))

    @clear_errors(duckdb_errors, table_of_file)
    def columns(self, name: str) -> list[str]:
        return [d[0] for d in self.con.execute(f"SELECT * FROM {name} LIMIT 0").description]

    @clear_errors(duckdb_errors, table_of_sql)
    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    @clear_errors(duckdb_errors, table_of_sql)
    def query(self, sql: str) -> pd.DataFrame:
        cur = self.con.execute(sql)
        names = [d[0] for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=names)

    def close(self) -> None:
        self.con.close()


def _sql_literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def values_view_sql(name: str, columns: dict[str, str], rows: Sequence[tuple]) -> str:
    """A small lookup table (e.g. location values -> regions) as a view over literal rows (DuckDB dialect)."""
    casts = ", ".join(f"CAST({c} AS {typ}) AS {c}" for c, typ in columns.items())
    if not rows:
        nulls = ", ".join(f"CAST(NULL AS {typ}) AS {c}" for c, typ in columns.items())
        return f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT {nulls} WHERE 1 = 0"
    values = ", ".join("(" + ", ".join(_sql_literal(v) for v in row) + ")" for row in rows)
    return (f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT {casts} FROM (VALUES {values}) "
            f"AS v({', '.join(columns)})")


SMALL_DATA_CONF = {  # tests on a few dozen persons: no code generation to compile, no adaptive re-planning
    "spark.sql.codegen.wholeStage": "false", "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.sql.adaptive.enabled": "false", "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
}


def spark_session(master: str = "local[2]", app_name: str = "densaulyq-rwd", conf: dict[str, str] | None = None):
    """A Spark session: local mode by default (UI off, 2 shuffle partitions), any cluster by master URL."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName(app_name)
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2" if master.startswith("local") else "200")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", os.environ.get("DENSAULYQ_SPARK_DRIVER_MEMORY", "2g")))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    # Spark's own log would print each failed task's Java stack trace; a failure reaches the operator as one line
    # (rwd.engine_errors). DENSAULYQ_SPARK_LOG_LEVEL=ERROR (or WARN, INFO) shows Spark's log for debugging.
    session.sparkContext.setLogLevel(os.environ.get("DENSAULYQ_SPARK_LOG_LEVEL", "OFF"))
    return session


class SparkEngine:
    """Apache Spark (PySpark): the same SQL, transpiled; local mode in tests, a cluster by ``master``."""

    name = "spark"
    batch_queries = True  # every query is a job with a fixed overhead: batch the small ones

    def __init__(self, session=None, master: str = "local[2]"):
        self.spark = session or spark_session(master)
        self._owned = session is None
        self._views: list[str] = []

    @clear_errors(spark_errors, table_of_file)
    def register_file(self, name: str, table: TableFile) -> None:
        path = str(table.path)
        if table.format == "parquet":
            frame = self.spark.read.parquet(path)
        else:
            frame = self.spark.read.option("header", "true").option("inferSchema", "true").csv(path)
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def register_rows(self, name: str, columns: dict[str, str], rows: Sequence[tuple]) -> None:
        self.execute(values_view_sql(name, columns, rows))  # a local relation: no Python workers involved

    @clear_errors(spark_errors, table_of_file)
    def columns(self, name: str) -> list[str]:
        return list(self.spark.table(name).columns)

    @clear_errors(spark_errors, table_of_sql)
    def execute(self, sql: str) -> None:
        self.spark.sql(to_spark(sql))
        name = sql.split(" VIEW ", 1)[1].split()[0] if " VIEW " in sql else None
        if name:
            self._views.append(name)

    @clear_errors(spark_errors, table_of_sql)
    def query(self, sql: str) -> pd.DataFrame:
        frame = self.spark.sql(to_spark(sql))
        rows = [tuple(r) for r in frame.collect()]
        return pd.DataFrame(rows, columns=list(frame.columns))

    def close(self) -> None:
        for name in set(self._views):
            self.spark.catalog.dropTempView(name)
        if self._owned:
            self.spark.stop()


def make_engine(name: str, spark_master: str = "local[2]", threads: int | None = None):
    if name == "duckdb":
        return DuckDBEngine(threads=threads)
    if name == "spark":
        try:
            return SparkEngine(master=spark_master)
        except Exception as exc:  # no JVM, a master that does not answer: one line, as for a table
            if not isinstance(exc, spark_errors()):
                raise
            raise EngineError(f"spark: cannot start a session on {spark_master}: {first_line(exc)}") from None
    raise ValueError(f"unknown engine {name!r} (duckdb or spark)")


def _lit(text: str) -> str:
    return "'" + str(Path(text)).replace("'", "''") + "'"
