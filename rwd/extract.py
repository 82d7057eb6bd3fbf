"""Open an OMOP CDM extract in an engine: register its tables (files of a folder, or tables of a database schema),
run the data-quality checks, resolve regions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.i18n import N_, Message
from rwd.cdm import COLUMNS, REGION_COLUMNS, CdmDatabase, TableFile, TableRef, discover, typed_view_sql
from rwd.placement import register_region_map
from rwd.quality import (
    BlockingCheckFailed,
    CheckResult,
    blocking_failures,
    conformance_checks,
    content_checks,
    release_date_check,
)


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
    synthetic_marker: bool = False  # cdm_source carries the generator's marker (rwd.synth.SYNTHETIC_MARKER)


def _default_name(source: Path | CdmDatabase, tables: dict) -> str:
    """The extract's name when ``cdm_source`` gives none: the folder's name, or ``database.schema``."""
    if not isinstance(source, CdmDatabase):
        return Path(source).name
    schemas = {ref.schema for ref in tables.values() if isinstance(ref, TableRef)}
    schema = source.schema or (schemas.pop() if len(schemas) == 1 else None)
    return f"{source.url.database}.{schema}" if schema else str(source.url.database)


def _metadata(engine, default_name: str) -> tuple[str, str, date | None, bool]:
    """(name, abbreviation, release date, whether the generator's marker is there); free text decides nothing."""
    from rwd.synth import SYNTHETIC_MARKER

    src = engine.query("SELECT cdm_source_name, cdm_source_abbreviation, source_release_date, cdm_etl_reference "
                       "FROM cdm_source LIMIT 1")
    if src.empty:
        return default_name, default_name, None, False
    row = src.iloc[0]
    name = str(row["cdm_source_name"] or default_name)
    abbreviation = str(row["cdm_source_abbreviation"] or name)
    release = row["source_release_date"]
    as_of = release if isinstance(release, date) and release == release else None
    return name, abbreviation, as_of, row["cdm_etl_reference"] == SYNTHETIC_MARKER


class StatusUndeclared(ValueError):
    """Whether an extract is real or synthetic was not declared (or contradicts the generator's marker)."""


UNDECLARED = N_("{name}: say whether this extract is real or synthetic with --real or --synthetic (only extracts "
                "written by python -m rwd synthesize carry the marker that says so; a description in cdm_source "
                "decides nothing); nothing computed")
CONTRADICTED = N_("{name}: --real given, but cdm_source carries the marker of the Densaulyq generator (python -m rwd "
                  "synthesize): this extract is synthetic; nothing computed")


def declared_status(name: str, marker: bool, synthetic: bool | None) -> bool:
    """Whether the results are illustrative: the generator's marker, else what the operator declared."""
    if marker and synthetic is False:
        raise StatusUndeclared(Message(CONTRADICTED, name=name))
    if marker:
        return True
    if synthetic is None:
        raise StatusUndeclared(Message(UNDECLARED, name=name))
    return synthetic


def open_extract(engine, source: Path | CdmDatabase, region_column: str = "location_source_value",
                 synthetic: bool | None = None, location_map: dict[str, str] | None = None) -> Extract:
    """Register the extract in ``engine`` and check it; raises BlockingCheckFailed (nothing computed) when a
    blocking check fails. ``synthetic``: what the operator declared (None: not declared, ``Extract.synthetic``
    then follows the generator's marker alone; ``rwd.compute`` refuses such a run). ``location_map``: a data
    holder's crosswalk of location values (``rwd.placement.read_location_map``).

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
        if isinstance(tf, TableFile) and tf.path.is_file() and tf.path.stat().st_size == 0:
            # a zero-byte file is an empty table (exports write one for a table without rows), on every engine
            engine.register_rows(f"raw_{table}", dict.fromkeys(COLUMNS[table], "VARCHAR"), [])
        else:
            engine.register_file(f"raw_{table}", tf)
    present = {table: set(engine.columns(f"raw_{table}")) for table in files}
    checks = conformance_checks(engine, present)
    if blocking_failures(checks):
        raise BlockingCheckFailed(blocking_failures(checks), checks)
    for table in COLUMNS:
        engine.execute(typed_view_sql(table, present.get(table), region_column))
    register_region_map(engine, None, location_map)  # today's regions; each period's in rwd.compute
    name, abbreviation, release, marker = _metadata(engine, _default_name(source, files))
    today = date.today()
    release_check = release_date_check(release, today)
    as_of = release if release_check is not None and release_check.passed else None
    if as_of is None:  # the last observed day; an open-ended period (9999-12-31) is not one
        last = engine.query("SELECT MAX(observation_period_end_date) AS d FROM observation_period "
                            f"WHERE observation_period_end_date <= DATE '{today.isoformat()}'").iloc[0, 0]
        as_of = last if isinstance(last, date) and last == last else today
    checks += [c for c in (release_check,) if c is not None]
    checks += content_checks(engine, as_of, "concept" in files, present)
    extract = Extract(source, name, abbreviation, as_of, bool(marker or synthetic), region_column, checks, marker)
    if blocking_failures(checks):
        raise BlockingCheckFailed(blocking_failures(checks), checks)
    return extract


def default_period(extract: Extract) -> str:
    """The last calendar year the extract covers completely."""
    end = extract.as_of
    return str(end.year if (end.month, end.day) == (12, 31) else end.year - 1)
