"""A generator of synthetic OMOP CDM v5.4 extracts (vectorised numpy, written as Parquet in chunks).

Regions are drawn in proportion to the real 2023 populations of the reference data; screening uptake, tobacco
recording, cancer incidence, stage and delays are plausible but invented. Everything is flagged synthetic: the
``cdm_source`` row carries the fixed marker ``SYNTHETIC_MARKER`` (in ``cdm_etl_reference``, the CDM's field for
the ETL that wrote the extract), and runs on it write observations with ``synthetic=True``. No real person is in it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.paths import DATA_DIR
from geo.names import REGION_CODES, region_name

SYNTHETIC_MARKER = "densaulyq.rwd.synth: synthetic, no real patients"  # read by rwd.extract; never change it
EPOCH = date(1970, 1, 1)
AS_OF = date(2025, 12, 31)
OBS_START = date(2018, 1, 1)
CHUNK = 1_000_000
FEMALE, MALE = 8532, 8507
CANCERS = (4112853, 4180790, 196359, 4311499)
STAGES = (1633306, 1635624, 1633650, 1635721)  # I, II, III, IV
FILLER = ((320128, "condition_occurrence"), (201826, "condition_occurrence"), (3004249, "measurement"),
          (4024659, "observation"))
CONCEPTS = [
    (8532, "FEMALE", "Gender", "Gender"), (8507, "MALE", "Gender", "Gender"),
    (4324693, "Mammography", "Procedure", "SNOMED"), (4059545, "Cervical smear", "Procedure", "SNOMED"),
    (3037975, "Human papillomavirus DNA test", "Measurement", "LOINC"),
    (3002102, "Hemoglobin.gastrointestinal in stool by immunoassay", "Measurement", "LOINC"),
    (4249893, "Colonoscopy", "Procedure", "SNOMED"), (4005823, "Tobacco user", "Observation", "SNOMED"),
    (42709996, "Smokes tobacco daily", "Observation", "SNOMED"),
    (4112853, "Malignant tumor of breast", "Condition", "SNOMED"),
    (4180790, "Malignant tumor of colon", "Condition", "SNOMED"),
    (196359, "Malignant neoplasm of uterine cervix", "Condition", "SNOMED"),
    (4311499, "Malignant neoplasm of lung", "Condition", "SNOMED"),
    (1635142, "Stage group", "Measurement", "Cancer Modifier"), (1633306, "Stage I", "Meas Value", "Cancer Modifier"),
    (1635624, "Stage II", "Meas Value", "Cancer Modifier"), (1633650, "Stage III", "Meas Value", "Cancer Modifier"),
    (1635721, "Stage IV", "Meas Value", "Cancer Modifier"),
    (4183627, "Suspected malignant neoplasm", "Observation", "SNOMED"),
    (320128, "Essential hypertension", "Condition", "SNOMED"), (201826, "Type 2 diabetes mellitus", "Condition",
                                                                 "SNOMED"),
    (3004249, "Systolic blood pressure", "Measurement", "LOINC"), (4024659, "Outpatient visit note", "Observation",
                                                                      "SNOMED"),
]
TABLE_COLUMNS = {
    "procedure_occurrence": ("procedure_occurrence_id", "procedure_concept_id", "procedure_date"),
    "measurement": ("measurement_id", "measurement_concept_id", "measurement_date"),
    "observation": ("observation_id", "observation_concept_id", "observation_date"),
    "condition_occurrence": ("condition_occurrence_id", "condition_concept_id", "condition_start_date"),
}



# Rows per Parquet row group: DuckDB's own default (122,880), close to what ETL tools write. Engines read a file in
# parallel by row group; pyarrow's default (about a million rows) put a 1 M-person table in one group, read by one
# core, unlike an extract written by DuckDB, Spark or an ETL pipeline.
ROW_GROUP_ROWS = 122_880

def _day(d: date) -> int:
    return (d - EPOCH).days


def population_shares() -> pd.Series:
    """Share of each of the 20 regions in the real 2023 population (reference data of the store)."""
    ref = pd.read_csv(DATA_DIR / "reference" / "kz_regional_indicators.csv", usecols=["iso_code", "indicator_id",
                                                                                        "year", "value"])
    pop = ref[(ref["indicator_id"] == "population_total") & (ref["year"] == 2023)
              & ref["iso_code"].isin(REGION_CODES)].set_index("iso_code")["value"].astype(float)
    pop = pop.reindex(list(REGION_CODES))
    if pop.isna().any():
        raise ValueError("reference data lack a 2023 population for " + ", ".join(pop[pop.isna()].index))
    return pop / pop.sum()


class _Events:
    """Event columns collected per table for one chunk."""

    def __init__(self):
        self.parts: dict[str, list[tuple[np.ndarray, ...]]] = {item: [] for item in TABLE_COLUMNS}
        self.stage_values: list[np.ndarray] = []

    def add(self, table: str, person: np.ndarray, concept, day: np.ndarray, value=None) -> None:
        concept = np.broadcast_to(np.asarray(concept, dtype=np.int64), person.shape)
        val = np.zeros(person.shape, np.int64) if value is None else np.asarray(value, np.int64)
        self.parts[table].append((person.astype(np.int64), concept, day.astype(np.int32), val))


def _cycles(rng, ev: _Events, table, concept, person, start_day, end_day, eligible, p, years, first, last):
    """One event per screening cycle of ``years`` years with probability ``p`` (per person), inside observation."""
    for y in range(first, last + 1, years):
        lo, hi = _day(date(y, 1, 1)), _day(date(min(y + years - 1, last), 12, 31))
        hit = eligible & (rng.random(person.size) < p)
        day = rng.integers(lo, hi + 1, person.size)
        hit &= (day >= start_day) & (day <= end_day)
        ev.add(table, person[hit], concept if np.ndim(concept) == 0 else concept[hit], day[hit])


def _chunk(rng, first_id: int, n: int, shares: np.ndarray, uptake: dict[str, np.ndarray]) -> dict[str, pa.Table]:
    person = np.arange(first_id, first_id + n, dtype=np.int64)
    region = rng.choice(len(shares), n, p=shares)
    female = rng.random(n) < 0.51
    ages = np.arange(96)
    age = rng.choice(ages, n, p=np.exp(-ages / 40) / np.exp(-ages / 40).sum())
    birth_year = AS_OF.year - age
    month, dom = rng.integers(1, 13, n), rng.integers(1, 29, n)
    birth_day = (pd.to_datetime(pd.DataFrame({"year": birth_year, "month": month, "day": dom}))
                 .to_numpy().astype("datetime64[D]").astype(np.int64))
    location = np.where(rng.random(n) < 0.005, -1, region + 1)
    start = np.maximum(_day(OBS_START), birth_day)
    end = np.full(n, _day(AS_OF))
    died = rng.random(n) < np.minimum(0.0004 * np.exp(age / 11.0), 0.5) * 0.3
    death_day = rng.integers(_day(OBS_START), _day(AS_OF) + 1, n)
    died &= death_day > start
    moved = ~died & (rng.random(n) < 0.03)
    end = np.where(died, death_day, np.where(moved, rng.integers(_day(date(2019, 1, 1)), _day(AS_OF), n), end))
    end = np.maximum(end, start)
    ev = _Events()
    f = female
    _cycles(rng, ev, "procedure_occurrence", 4324693, person, start, end, f & (age >= 38) & (age <= 75),
            uptake["breast"][region], 2, 2018, 2025)
    _cycles(rng, ev, "procedure_occurrence", 4059545, person, start, end, f & (age >= 28) & (age <= 75),
            uptake["cervical"][region] * 0.8, 4, 2018, 2025)
    _cycles(rng, ev, "measurement", 3037975, person, start, end, f & (age >= 28) & (age <= 75),
            uptake["cervical"][region] * 0.2, 4, 2018, 2025)
    crc = (age >= 48) & (age <= 75)
    fit = np.where(rng.random(n) < 0.8, 3002102, 4249893)
    _cycles(rng, ev, "measurement", np.where(fit == 3002102, 3002102, 0), person, start, end,
            crc & (fit == 3002102), uptake["colorectal"][region], 2, 2018, 2025)
    _cycles(rng, ev, "procedure_occurrence", 4249893, person, start, end, crc & (fit != 3002102),
            uptake["colorectal"][region], 2, 2018, 2025)
    youth_birth = birth_year
    for y in range(2018, 2026):
        young = (y - youth_birth >= 11) & (y - youth_birth <= 26)
        _cycles(rng, ev, "observation", np.where(rng.random(n) < 0.85, 4005823, 42709996), person, start, end,
                young, uptake["tobacco"][region], 1, y, y)
    # cancers: one first diagnosis at most, incidence rising with age
    risk = np.clip(0.0003 + 0.0003 * np.maximum(age - 30, 0), 0, 0.05)  # over the 8 years
    has_cancer = rng.random(n) < risk
    dx = rng.integers(_day(OBS_START), _day(AS_OF) + 1, n)
    has_cancer &= (dx >= start) & (dx <= end)
    idx = np.flatnonzero(has_cancer)
    kind = np.asarray(CANCERS)[rng.integers(0, len(CANCERS), idx.size)]
    ev.add("condition_occurrence", person[idx], kind, dx[idx])
    staged = rng.random(idx.size) < 0.92
    iv_share = uptake["stage_iv"][region[idx]]
    u = rng.random(idx.size)
    stage = np.where(u < iv_share, 3, np.where(u < iv_share + 0.25, 2, np.where(u < iv_share + 0.55, 1, 0)))
    s_idx = idx[staged]
    ev.add("measurement", person[s_idx], 1635142, dx[s_idx] + rng.integers(0, 45, s_idx.size),
           np.asarray(STAGES)[stage[staged]])
    suspected = rng.random(idx.size) < 0.9
    delay = np.round(rng.gamma(2.0, uptake["delay"][region[idx]] / 2.0)).astype(np.int64).clip(0, 365)
    sus_idx = idx[suspected]
    ev.add("observation", person[sus_idx], 4183627, np.maximum(dx[sus_idx] - delay[suspected], start[sus_idx]))
    # everyday events, so that a person has about five events
    for concept, table in FILLER:
        k = rng.poisson(1.05, n)
        who = np.repeat(np.arange(n), k)
        day = rng.integers(start[who], end[who] + 1)
        ev.add(table, person[who], concept, day)
    return _tables(person, female, birth_year, month, dom, location, start, end, died, death_day, ev)


def _tables(person, female, birth_year, month, dom, location, start, end, died, death_day, ev) -> dict:
    out = {
        "person": pa.table({
            "person_id": person, "gender_concept_id": np.where(female, FEMALE, MALE).astype(np.int64),
            "year_of_birth": birth_year.astype(np.int32), "month_of_birth": month.astype(np.int32),
            "day_of_birth": dom.astype(np.int32), "race_concept_id": np.zeros(person.size, np.int64),
            "ethnicity_concept_id": np.zeros(person.size, np.int64),
            "location_id": pa.array(location, mask=location < 0, type=pa.int64())}),
        "observation_period": pa.table({
            "observation_period_id": person, "person_id": person,
            "observation_period_start_date": pa.array(start.astype(np.int32), type=pa.date32()),
            "observation_period_end_date": pa.array(end.astype(np.int32), type=pa.date32()),
            "period_type_concept_id": np.full(person.size, 32817, np.int64)}),
        "death": pa.table({"person_id": person[died],
                           "death_date": pa.array(death_day[died].astype(np.int32), type=pa.date32()),
                           "death_type_concept_id": np.full(int(died.sum()), 32817, np.int64)}),
    }
    for table, parts in ev.parts.items():
        pid = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        concept = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        day = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int32)
        id_col, concept_col, date_col = TABLE_COLUMNS[table]
        cols = {id_col: np.zeros(pid.size, np.int64), "person_id": pid, concept_col: concept,
                date_col: pa.array(day, type=pa.date32()),
                id_col.replace("_id", "_type_concept_id"): np.full(pid.size, 32817, np.int64)}
        if table == "measurement":
            cols["value_as_concept_id"] = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, np.int64)
        out[table] = pa.table(cols)
    return out


def _uptake(rng, regions: int) -> dict[str, np.ndarray]:
    return {"breast": rng.uniform(0.45, 0.80, regions), "cervical": rng.uniform(0.40, 0.75, regions),
            "colorectal": rng.uniform(0.20, 0.50, regions), "tobacco": rng.uniform(0.06, 0.18, regions),
            "stage_iv": rng.uniform(0.09, 0.20, regions), "delay": rng.uniform(25, 60, regions)}


def synthesize(persons: int, out: Path, seed: int = 0, chunk: int = CHUNK) -> dict[str, int]:
    """Write a synthetic extract of ``persons`` people to ``out``; returns the rows written per table."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shares = population_shares().to_numpy()
    uptake = _uptake(rng, len(shares))
    writers: dict[str, pq.ParquetWriter] = {}
    counts: dict[str, int] = {}
    next_ids: dict[str, int] = {item: 1 for item in TABLE_COLUMNS}
    try:
        for first in range(1, persons + 1, chunk):
            tables = _chunk(rng, first, min(chunk, persons - first + 1), shares, uptake)
            for name, table in tables.items():
                if name in TABLE_COLUMNS:
                    id_col = TABLE_COLUMNS[name][0]
                    ids = np.arange(next_ids[name], next_ids[name] + table.num_rows, dtype=np.int64)
                    table = table.set_column(0, id_col, pa.array(ids))
                    next_ids[name] += table.num_rows
                if name not in writers:
                    writers[name] = pq.ParquetWriter(out / f"{name}.parquet", table.schema, compression="zstd")
                writers[name].write_table(table, row_group_size=ROW_GROUP_ROWS)
                counts[name] = counts.get(name, 0) + table.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    _small_tables(out, persons, seed)
    return counts


def _small_tables(out: Path, persons: int, seed: int) -> None:
    codes = list(REGION_CODES)
    pq.write_table(pa.table({
        "location_id": np.arange(1, len(codes) + 1, dtype=np.int64), "location_source_value": codes,
        "county": [region_name(c) for c in codes], "city": [None] * len(codes), "state": [None] * len(codes),
        "country_concept_id": np.full(len(codes), 4033442, np.int64)}), out / "location.parquet")
    pq.write_table(pa.table({"care_site_id": np.arange(1, len(codes) + 1, dtype=np.int64),
                             "care_site_name": [f"Polyclinic {c}" for c in codes],
                             "location_id": np.arange(1, len(codes) + 1, dtype=np.int64)}), out / "care_site.parquet")
    cid, name, domain, vocab = zip(*CONCEPTS, strict=True)
    pq.write_table(pa.table({"concept_id": np.asarray(cid, np.int64), "concept_name": list(name),
                             "domain_id": list(domain), "vocabulary_id": list(vocab)}), out / "concept.parquet")
    pq.write_table(pa.table({
        "cdm_source_name": [f"Densaulyq synthetic extract ({persons:,} persons, seed {seed})"],
        "cdm_source_abbreviation": ["DENSAULYQ-SYNTHETIC"],
        "source_description": ["Synthetic OMOP CDM extract generated by Densaulyq: illustrative, no real patients"],
        "source_release_date": pa.array([AS_OF], type=pa.date32()), "cdm_version": ["v5.4"],
        "cdm_etl_reference": [SYNTHETIC_MARKER]}),
        out / "cdm_source.parquet")
