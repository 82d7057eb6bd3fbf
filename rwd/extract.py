"""Open an OMOP CDM extract in an engine: register its tables (files of a folder, or tables of a database schema),
run the data-quality checks, resolve regions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo.names import REGION_CODES, region_code
from rwd.cdm import COLUMNS, REGION_COLUMNS, CdmDatabase, TableRef, discover, typed_view_sql
from rwd.quality import BlockingCheckFailed, CheckResult, blocking_failures, conformance_checks, content_checks


@dataclass
class Extract:
    """What a run needs to know about its extract (no person-level data)."""

    source: Path | CdmDatabase  # a folder, or a database and schema (whose repr hides the password)
    name: str
    abbreviation: str
    as_of: date
    synthetic: bool
    region_column: str
    checks: list[CheckResult] = field(default_factory=list)
    unresolved_regions: list[str] = field(default_factory=list)


def resolve_region(value: str) -> str | None:
    """A location value as one of the 20 ISO 3166-2:KZ codes (a code as is, a name through the resolver)."""
    text = str(value).strip()
    if text.upper() in REGION_CODES:
        return text.upper()
    code = region_code(text)
    return code if code in REGION_CODES else None


def _default_name(source: Path | CdmDatabase, tables: dict) -> str:
    """The extract's name when ``cdm_source`` gives none: the folder's name, or ``database.schema``."""
    if not isinstance(source, CdmDatabase):
        return Path(source).name
    schemas = {ref.schema for ref in tables.values() if isinstance(ref, TableRef)}
    schema = source.schema or (schemas.pop() if len(schemas) == 1 else None)
    return f"{source.url.database}.{schema}" if schema else str(source.url.database)


def _metadata(engine, default_name: str) -> tuple[str, str, date | None, bool]:
    src = engine.query("SELECT cdm_source_name, cdm_source_abbreviation, source_description, source_release_date "
                       "FROM cdm_source LIMIT 1")
    if src.empty:
        return default_name, default_name, None, False
    row = src.iloc[0]
    name = str(row["cdm_source_name"] or default_name)
    abbreviation = str(row["cdm_source_abbreviation"] or name)
    text = f"{abbreviation} {row['source_description'] or ''}".lower()
    release = row["source_release_date"]
    as_of = release if isinstance(release, date) and release == release else None
    return name, abbreviation, as_of, "synthetic" in text


def open_extract(engine, source: Path | CdmDatabase, region_column: str = "location_source_value",
                 synthetic: bool | None = None) -> Extract:
    """Register the extract in ``engine`` and check it; raises BlockingCheckFailed (nothing computed) when a
    blocking check fails. ``synthetic`` overrides what ``cdm_source`` says (a synthetic source is never real).

    ``source`` is a folder (DuckDB or Spark read its files) or a ``CdmDatabase``, computed in that database by the
    ``DatabaseEngine`` connected to it (``rwd.db_engine``); raises CdmSourceError when it cannot be read."""
    if region_column not in REGION_COLUMNS:
        raise ValueError(f"region column must be one of {', '.join(REGION_COLUMNS)}")
    if isinstance(source, CdmDatabase):
        if getattr(engine, "source", None) != source:
            raise ValueError("a CDM database is computed in that database: use rwd.db_engine.DatabaseEngine(source)")
    else:
        if getattr(engine, "source", None) is not None:
            raise ValueError("the database engine reads its own database, not a folder (use duckdb or spark)")
        source = Path(source)
    files = discover(source)
    for table, tf in files.items():
        engine.register_file(f"raw_{table}", tf)
    present = {table: set(engine.columns(f"raw_{table}")) for table in files}
    checks = conformance_checks(engine, present)
    if blocking_failures(checks):
        raise BlockingCheckFailed(blocking_failures(checks), checks)
    for table in COLUMNS:
        engine.execute(typed_view_sql(table, present.get(table), region_column))
    raw_values = engine.query("SELECT DISTINCT region_value AS raw FROM location WHERE region_value IS NOT NULL")
    mapping = [(str(v), resolve_region(v)) for v in raw_values["raw"]]
    engine.register_rows("region_map", {"raw": "VARCHAR", "region": "VARCHAR"},
                         [(raw, code) for raw, code in mapping if code])
    name, abbreviation, as_of, says_synthetic = _metadata(engine, _default_name(source, files))
    if as_of is None:
        last = engine.query("SELECT MAX(observation_period_end_date) AS d FROM observation_period").iloc[0, 0]
        as_of = last if isinstance(last, date) else date.today()
    checks += content_checks(engine, as_of, "concept" in files, present)
    extract = Extract(source, name, abbreviation, as_of, bool(says_synthetic if synthetic is None else
                                                              synthetic or says_synthetic),
                      region_column, checks, sorted(raw for raw, code in mapping if not code)[:20])
    if blocking_failures(checks):
        raise BlockingCheckFailed(blocking_failures(checks), checks)
    return extract


def default_period(extract: Extract) -> str:
    """The last calendar year the extract covers completely."""
    end = extract.as_of
    return str(end.year if (end.month, end.day) == (12, 31) else end.year - 1)
