"""An OMOP CDM v5.4 extract on disk: which tables it has, and the typed columns the definitions read.

An extract is a folder with one file (``person.parquet``, ``PERSON.csv``) or one folder of Parquet parts
(``person/part-0.parquet``) per table. The engines register each file as ``raw_<table>`` and, once the blocking
data-quality checks have passed, a typed view ``<table>`` with only the columns below (absent optional columns
read as NULL, an absent optional table as empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# table -> {column: SQL type}; the first group of each table is required, the rest optional.
COLUMNS: dict[str, dict[str, str]] = {
    "person": {"person_id": "BIGINT", "gender_concept_id": "BIGINT", "year_of_birth": "INTEGER",
               "month_of_birth": "INTEGER", "day_of_birth": "INTEGER", "location_id": "BIGINT"},
    "observation_period": {"person_id": "BIGINT", "observation_period_start_date": "DATE",
                           "observation_period_end_date": "DATE"},
    "location": {"location_id": "BIGINT", "location_source_value": "VARCHAR", "county": "VARCHAR",
                 "city": "VARCHAR", "state": "VARCHAR"},
    "care_site": {"care_site_id": "BIGINT", "location_id": "BIGINT"},
    "death": {"person_id": "BIGINT", "death_date": "DATE"},
    "condition_occurrence": {"person_id": "BIGINT", "condition_concept_id": "BIGINT",
                             "condition_start_date": "DATE"},
    "procedure_occurrence": {"person_id": "BIGINT", "procedure_concept_id": "BIGINT", "procedure_date": "DATE"},
    "measurement": {"person_id": "BIGINT", "measurement_concept_id": "BIGINT", "measurement_date": "DATE",
                    "value_as_concept_id": "BIGINT"},
    "observation": {"person_id": "BIGINT", "observation_concept_id": "BIGINT", "observation_date": "DATE"},
    "concept": {"concept_id": "BIGINT", "concept_name": "VARCHAR", "domain_id": "VARCHAR",
                "vocabulary_id": "VARCHAR"},
    "cdm_source": {"cdm_source_name": "VARCHAR", "cdm_source_abbreviation": "VARCHAR",
                   "source_description": "VARCHAR", "source_release_date": "DATE"},
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
    "care_site": ("care_site_id",),
}
REQUIRED_TABLES = ("person", "observation_period", "location", "cdm_source")
REGION_COLUMNS = ("location_source_value", "county", "city")


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    format: str  # parquet | csv


def discover(folder: Path) -> dict[str, TableFile]:
    """The CDM tables found in ``folder`` (file names matched case-insensitively)."""
    folder = Path(folder)
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
