"""An OMOP CDM v5.4 extract: which tables it has, and the typed columns the definitions read.

An extract is a folder with one file (``person.parquet``, ``PERSON.csv``) or one folder of Parquet parts
(``person/part-0.parquet``) per table, or a database schema holding the CDM tables (``CdmDatabase``: a SQLAlchemy
URL and a schema). The engines register each table as ``raw_<table>`` and, once the blocking data-quality checks
have passed, a typed view ``<table>`` with only the columns below (absent optional columns read as NULL, an absent
optional table as empty).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool


def _event_extras(prefix: str, end_date: str | None) -> dict[str, str]:
    """The optional columns of an event table the concept sets and data-quality checks read: its id, end date,
    source value and source concept, and visit."""
    key = "measurement_id" if prefix == "measurement" else f"{prefix}_id" if prefix == "observation" \
        else f"{prefix}_occurrence_id"
    out = {key: "BIGINT", f"{prefix}_source_value": "VARCHAR", f"{prefix}_source_concept_id": "BIGINT",
           "visit_occurrence_id": "BIGINT"}
    if end_date:
        out[end_date] = "DATE"
    return out


# table -> {column: SQL type}; the first group of each table is required, the rest optional.
COLUMNS: dict[str, dict[str, str]] = {
    "person": {"person_id": "BIGINT", "gender_concept_id": "BIGINT", "year_of_birth": "INTEGER",
               "month_of_birth": "INTEGER", "day_of_birth": "INTEGER", "location_id": "BIGINT"},
    "observation_period": {"person_id": "BIGINT", "observation_period_start_date": "DATE",
                           "observation_period_end_date": "DATE", "observation_period_id": "BIGINT"},
    "location": {"location_id": "BIGINT", "location_source_value": "VARCHAR", "county": "VARCHAR",
                 "city": "VARCHAR", "state": "VARCHAR"},
    "care_site": {"care_site_id": "BIGINT", "location_id": "BIGINT"},
    "death": {"person_id": "BIGINT", "death_date": "DATE"},
    "condition_occurrence": {"person_id": "BIGINT", "condition_concept_id": "BIGINT",
                             "condition_start_date": "DATE", **_event_extras("condition", "condition_end_date")},
    "procedure_occurrence": {"person_id": "BIGINT", "procedure_concept_id": "BIGINT", "procedure_date": "DATE",
                             **_event_extras("procedure", "procedure_end_date")},
    "measurement": {"person_id": "BIGINT", "measurement_concept_id": "BIGINT", "measurement_date": "DATE",
                    "value_as_concept_id": "BIGINT", **_event_extras("measurement", None),
                    "unit_concept_id": "BIGINT"},
    "observation": {"person_id": "BIGINT", "observation_concept_id": "BIGINT", "observation_date": "DATE",
                    **_event_extras("observation", None)},
    "visit_occurrence": {"visit_occurrence_id": "BIGINT", "person_id": "BIGINT", "visit_start_date": "DATE",
                         "visit_end_date": "DATE"},
    "concept": {"concept_id": "BIGINT", "concept_name": "VARCHAR", "domain_id": "VARCHAR",
                "vocabulary_id": "VARCHAR", "standard_concept": "VARCHAR", "invalid_reason": "VARCHAR"},
    "concept_ancestor": {"ancestor_concept_id": "BIGINT", "descendant_concept_id": "BIGINT"},
    "cdm_source": {"cdm_source_name": "VARCHAR", "cdm_source_abbreviation": "VARCHAR",
                   "source_description": "VARCHAR", "source_release_date": "DATE",
                   "cdm_etl_reference": "VARCHAR"},
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("person_id", "gender_concept_id", "year_of_birth"),
    "observation_period": ("person_id", "observation_period_start_date", "observation_period_end_date"),
    "location": ("location_id",),
    "cdm_source": ("cdm_source_name",),
    "death": ("person_id", "death_date"),
    "condition_occurrence": ("person_id", "condition_concept_id", "condition_start_date"),
    "procedure_occurrence": ("person_id", "procedure_concept_id", "procedure_date"),
    "measurement": ("person_id", "measurement_concept_id", "measurement_date"),
    "observation": ("person_id", "observation_concept_id", "observation_date"),
    "concept": ("concept_id",),
    "concept_ancestor": ("ancestor_concept_id", "descendant_concept_id"),
    "visit_occurrence": ("visit_occurrence_id", "person_id", "visit_start_date"),
    "care_site": ("care_site_id",),
}
REQUIRED_TABLES = ("person", "observation_period", "location", "cdm_source")
REGION_COLUMNS = ("location_source_value", "county", "city")


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    format: str  # parquet | csv


@dataclass(frozen=True)
class TableRef:
    """A CDM table held in a database: ``schema.name`` as the database spells them."""

    table: str
    schema: str
    name: str


class CdmSourceError(RuntimeError):
    """The extract cannot be read: an unreachable database, a missing schema, a URL that does not parse.
    The message names what is wrong and never shows a password."""


def is_database_url(value: object) -> bool:
    """``--cdm`` names a database when it reads as a URL (``postgresql+psycopg://...``), else a folder."""
    return "://" in str(value)


@dataclass(frozen=True)
class CdmDatabase:
    """An OMOP CDM held in a database: a SQLAlchemy URL and the schema of its tables (``None``: the connection's
    default schema, ``public`` on PostgreSQL). Its repr and ``label`` never show the password."""

    url: URL
    schema: str | None = None

    @classmethod
    def parse(cls, url: str | URL, schema: str | None = None) -> CdmDatabase:
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError):
            raise CdmSourceError("--cdm does not read as a database URL (expected e.g. "
                                 "postgresql+psycopg://user:password@host:5432/database)") from None
        if not parsed.database:
            raise CdmSourceError(f"{_label(parsed)}: the database URL names no database")
        if schema is not None and not schema.strip():
            raise CdmSourceError("--cdm-schema is empty")
        return cls(parsed, schema.strip() if schema else None)

    @property
    def label(self) -> str:
        """Where the extract is, without user or password: ``postgresql://host:5432/omop, schema cdm``."""
        return _label(self.url) + (f", schema {self.schema}" if self.schema else "")

    def scrub(self, text: str) -> str:
        """``text`` (an error message) with the password, were it to appear, replaced by ***."""
        password = self.url.password
        return text.replace(str(password), "***") if password else text

    def connection_error(self, exc: BaseException) -> CdmSourceError:
        """A clear, password-free error for a connection that failed."""
        cause = getattr(exc, "orig", None) or exc
        detail = " ".join(str(cause).split()) or type(cause).__name__
        return CdmSourceError(self.scrub(f"cannot connect to the CDM database {self.label}: {detail}"))

    def query_error(self, exc: BaseException, tables: list[str] | None = None) -> CdmSourceError:
        """A clear, password-free error for a statement the database refused (its first line), naming the CDM
        tables the statement read."""
        cause = getattr(exc, "orig", None) or exc
        detail = " ".join(str(cause).split("\n")[0].split()) or type(cause).__name__
        where = f" on {', '.join(f'table {name}' for name in tables)}" if tables else ""
        return CdmSourceError(self.scrub(f"the CDM database {self.label} refused a query{where}: {detail}"))

    def make_engine(self, **kwargs):
        """A SQLAlchemy engine for the extract (no pool: one connection per run)."""
        try:
            return create_engine(self.url, poolclass=NullPool, **kwargs)
        except (NoSuchModuleError, ModuleNotFoundError, ArgumentError) as exc:
            raise CdmSourceError(self.scrub(f"cannot use the database URL {self.label}: {exc}")) from None


def _label(url: URL) -> str:
    host = (url.host or "") + (f":{url.port}" if url.port else "")
    return f"{url.get_backend_name()}://{host}/{url.database or ''}"


def discover(source: Path | CdmDatabase) -> dict[str, TableFile | TableRef]:
    """The CDM tables of an extract: files in a folder (names matched case-insensitively) or tables and views of
    a database schema (``discover_database``)."""
    if isinstance(source, CdmDatabase):
        return discover_database(source)
    folder = Path(source)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder (an OMOP CDM extract is a folder of Parquet or CSV files)")
    found: dict[str, TableFile] = {}
    for entry in sorted(folder.iterdir()):
        name = entry.name.lower()
        if entry.is_dir() and name in COLUMNS and any(entry.glob("*.parquet")):
            found[name] = TableFile(name, entry, "parquet")
            continue
        for ext in ("parquet", "csv"):
            stem = name.removesuffix(f".{ext}")
            if entry.is_file() and name.endswith(f".{ext}") and stem in COLUMNS and stem not in found:
                found[stem] = TableFile(stem, entry, ext)
    return found


def discover_database(source: CdmDatabase) -> dict[str, TableRef]:
    """The CDM tables (or views) of the source's schema, names matched case-insensitively; raises CdmSourceError
    when the database cannot be reached, the schema does not exist or holds no CDM table at all (a schema missing
    only some required tables fails the blocking ``required_tables`` check, as a folder does)."""
    engine = source.make_engine()
    try:
        conn = engine.connect()
    except DBAPIError as exc:
        engine.dispose()
        raise source.connection_error(exc) from None
    try:
        with conn:
            insp = inspect(conn)
            schema = source.schema or insp.default_schema_name
            if not schema or not insp.has_schema(schema):
                known = [s for s in insp.get_schema_names() if s != "information_schema" and not s.startswith("pg_")]
                raise CdmSourceError(f"{source.label}: schema {schema!r} not found in the database "
                                     f"(schemas there: {', '.join(known[:10]) or 'none'}; choose with --cdm-schema)")
            names = list(insp.get_table_names(schema)) + list(insp.get_view_names(schema))
            with contextlib.suppress(NotImplementedError):  # dialects without materialized views
                names += list(insp.get_materialized_view_names(schema))
    except DBAPIError as exc:
        raise source.query_error(exc) from None
    finally:
        engine.dispose()
    found: dict[str, TableRef] = {}
    for name in sorted(names, key=lambda n: (n.lower(), n != n.lower())):  # ``person`` before ``PERSON``
        table = name.lower()
        if table in COLUMNS and table not in found:
            found[table] = TableRef(table, schema, name)
    if not found:
        raise CdmSourceError(f"{_label(source.url)}: schema {schema!r} holds no OMOP CDM table (expected "
                             f"{', '.join(REQUIRED_TABLES)}, ...; choose the schema with --cdm-schema)")
    return found


def typed_view_sql(table: str, present_columns: set[str] | None, region_column: str = "location_source_value") -> str:
    """DuckDB SQL for the typed view of ``table`` over ``raw_<table>`` (or an empty one when absent).

    ``location`` also gets ``region_value``: the configured column the region is read from."""
    cols = dict(COLUMNS[table])
    if table == "location":
        cols["region_value"] = "VARCHAR"
    if present_columns is None:
        body = ", ".join(f"CAST(NULL AS {typ}) AS {col}" for col, typ in cols.items())
        return f"CREATE OR REPLACE TEMPORARY VIEW {table} AS SELECT {body} WHERE 1 = 0"
    lower = {c.lower(): c for c in present_columns}
    parts = []
    for col, typ in cols.items():
        src = lower.get(region_column if col == "region_value" else col)
        parts.append(f"CAST({_quote(src)} AS {typ}) AS {col}" if src else f"CAST(NULL AS {typ}) AS {col}")
    return f"CREATE OR REPLACE TEMPORARY VIEW {table} AS SELECT {', '.join(parts)} FROM raw_{table}"


def _quote(column: str) -> str:
    if not column.replace("_", "").isalnum():
        raise ValueError(f"unexpected column name {column!r}")
    return f'"{column}"'
