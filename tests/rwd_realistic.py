"""The 100-person test extract of tests/rwd_fixture.py written the way a data holder's OMOP CDM v5.4 export looks:
every table with all its v5.4 columns (the field list of OHDSI/CommonDataModel ``inst/csv/
OMOP_CDMv5.4_Field_Level.csv``, v5.4 tag), upper-case file and column names (``PERSON.csv``, ``PERSON_ID``, as
exported from Oracle or SQL Server), every value quoted as text, empty fields as ``""``, and locations that are not
in Kazakhstan (a Moscow or Bishkek address, a US ZIP code, an empty value) or an empty LOCATION table.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from tests.rwd_fixture import PERSONS, tables

V54_COLUMNS = {  # OMOP_CDMv5.4_Field_Level.csv, in its order
    "person": ["person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth",
               "birth_datetime", "race_concept_id", "ethnicity_concept_id", "location_id", "provider_id",
               "care_site_id", "person_source_value", "gender_source_value", "gender_source_concept_id",
               "race_source_value", "race_source_concept_id", "ethnicity_source_value",
               "ethnicity_source_concept_id"],
    "observation_period": ["observation_period_id", "person_id", "observation_period_start_date",
                           "observation_period_end_date", "period_type_concept_id"],
    "location": ["location_id", "address_1", "address_2", "city", "state", "zip", "county",
                 "location_source_value", "country_concept_id", "country_source_value", "latitude", "longitude"],
    "death": ["person_id", "death_date", "death_datetime", "death_type_concept_id", "cause_concept_id",
              "cause_source_value", "cause_source_concept_id"],
    "condition_occurrence": ["condition_occurrence_id", "person_id", "condition_concept_id", "condition_start_date",
                             "condition_start_datetime", "condition_end_date", "condition_end_datetime",
                             "condition_type_concept_id", "condition_status_concept_id", "stop_reason",
                             "provider_id", "visit_occurrence_id", "visit_detail_id", "condition_source_value",
                             "condition_source_concept_id", "condition_status_source_value"],
    "procedure_occurrence": ["procedure_occurrence_id", "person_id", "procedure_concept_id", "procedure_date",
                             "procedure_datetime", "procedure_end_date", "procedure_end_datetime",
                             "procedure_type_concept_id", "modifier_concept_id", "quantity", "provider_id",
                             "visit_occurrence_id", "visit_detail_id", "procedure_source_value",
                             "procedure_source_concept_id", "modifier_source_value"],
    "measurement": ["measurement_id", "person_id", "measurement_concept_id", "measurement_date",
                    "measurement_datetime", "measurement_time", "measurement_type_concept_id",
                    "operator_concept_id", "value_as_number", "value_as_concept_id", "unit_concept_id", "range_low",
                    "range_high", "provider_id", "visit_occurrence_id", "visit_detail_id",
                    "measurement_source_value", "measurement_source_concept_id", "unit_source_value",
                    "unit_source_concept_id", "value_source_value", "measurement_event_id",
                    "meas_event_field_concept_id"],
    "observation": ["observation_id", "person_id", "observation_concept_id", "observation_date",
                    "observation_datetime", "observation_type_concept_id", "value_as_number", "value_as_string",
                    "value_as_concept_id", "qualifier_concept_id", "unit_concept_id", "provider_id",
                    "visit_occurrence_id", "visit_detail_id", "observation_source_value",
                    "observation_source_concept_id", "unit_source_value", "qualifier_source_value",
                    "value_source_value", "observation_event_id", "obs_event_field_concept_id"],
    "concept": ["concept_id", "concept_name", "domain_id", "vocabulary_id", "concept_class_id", "standard_concept",
                "concept_code", "valid_start_date", "valid_end_date", "invalid_reason"],
    "cdm_source": ["cdm_source_name", "cdm_source_abbreviation", "cdm_holder", "source_description",
                   "source_documentation_reference", "cdm_etl_reference", "source_release_date",
                   "cdm_release_date", "cdm_version", "cdm_version_concept_id", "vocabulary_version"],
}
# Locations outside Kazakhstan, as location_source_value holds them in exports seen in practice
ABROAD = [{"location_id": 3, "city": "Moscow", "location_source_value": "Moscow, Tverskaya 7"},
          {"location_id": 4, "city": "Bishkek", "location_source_value": "Bishkek"},
          {"location_id": 5, "city": "New York", "state": "NY", "zip": "10001", "location_source_value": "10001"},
          {"location_id": 6, "location_source_value": ""}]


def realistic_tables(where: dict[int, int | None] | None = None, location: list[dict] | None = None
                     ) -> dict[str, pd.DataFrame]:
    """The fixture's tables in full v5.4 shape; ``where``: person id -> location id (others keep theirs);
    ``location``: the LOCATION rows (default: the fixture's two cities and ``ABROAD``; ``[]``: empty)."""
    out = tables(PERSONS, name="Regional cancer registry extract")
    if where:
        out["person"]["location_id"] = [where.get(p, loc) for p, loc in
                                        zip(out["person"]["person_id"], out["person"]["location_id"], strict=True)]
    base = out["location"].to_dict("records") + ABROAD
    out["location"] = pd.DataFrame(base if location is None else location, columns=V54_COLUMNS["location"])
    out["cdm_source"] = out["cdm_source"].assign(source_description="Extract for a synthetic-data study")
    return {name: frame.reindex(columns=V54_COLUMNS[name]) for name, frame in out.items()}


def write_realistic(folder: Path, frames: dict[str, pd.DataFrame], fmt: str = "csv") -> Path:
    """Write ``frames``: upper-case CSV (every value quoted, empty as ``""``) or Parquet with text columns."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        text = [[cell_text(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
        if fmt == "csv":
            with (folder / f"{name.upper()}.csv").open("w", newline="") as handle:
                writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
                writer.writerow([c.upper() for c in frame.columns])
                writer.writerows([["" if v is None else v for v in row] for row in text])
        else:
            pd.DataFrame(text, columns=[c.upper() for c in frame.columns], dtype="string").to_parquet(
                folder / f"{name.upper()}.parquet", index=False)
    return folder


def cell_text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def all_abroad() -> dict[str, pd.DataFrame]:
    """Every person outside Kazakhstan or without a usable location: nothing may be written."""
    where = {pid: 3 + pid % 5 if pid % 5 < 4 else None for pid in PERSONS}  # Moscow, Bishkek, ZIP, "", none
    return realistic_tables(where)


def three_percent_abroad() -> dict[str, pd.DataFrame]:
    """The fixture's three persons without a location moved abroad (Moscow, Bishkek, a ZIP code): 3 % unplaced."""
    return realistic_tables({8: 3, 33: 4, 40: 5})
