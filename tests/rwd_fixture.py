"""A hand-made OMOP CDM extract of 42 persons for tests/rwd/; the expected numbers are worked out there.

Reporting period 2024. Locations: 1 = Almaty city (KZ-75), 2 = Astana (KZ-71); ``None`` = no location (never
counted, not even in the national value).
Every person is observed 2018-01-01 to 2025-12-31 unless said otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

F, M = 8532, 8507
MAMMO, PAP, HPV, FIT, COLONOSCOPY = 4324693, 4059545, 3037975, 3002102, 4249893
TOBACCO, SMOKES_DAILY, SUSPICION, BP = 4005823, 42709996, 4183627, 3004249
BREAST_CA, COLON_CA, CERVIX_CA, LUNG_CA, HYPERTENSION = 4112853, 4180790, 196359, 4311499, 320128
STAGE_GROUP, STAGE_I, STAGE_II, STAGE_III, STAGE_IV = 1635142, 1633306, 1635624, 1633650, 1635721

# id: (sex, birth date, location, observation periods (None = default), death date, events)
# events: (table, concept, date[, value concept])
PERSONS: dict[int, tuple] = {
    # breast screening (women 40-70, mammography 2023-01-01..2024-12-31)
    1: (F, "1970-03-01", 1, None, None, [("procedure_occurrence", MAMMO, "2024-05-01")]),
    2: (F, "1975-06-01", 1, None, None, [("procedure_occurrence", MAMMO, "2023-01-01")]),   # first day of look-back
    3: (F, "1975-06-01", 1, None, None, [("procedure_occurrence", MAMMO, "2022-12-31")]),   # a day too early
    4: (F, "1984-11-15", 1, None, None, [("procedure_occurrence", MAMMO, "2024-12-01")]),   # turns 40 in 2024
    5: (F, "1985-01-15", 1, None, None, [("procedure_occurrence", MAMMO, "2024-02-01")]),   # 39 at the end
    6: (F, "1954-12-31", 1, None, None, []),                                               # turns 70 on 31 Dec
    7: (F, "1953-12-31", 1, None, None, [("procedure_occurrence", MAMMO, "2024-02-01")]),   # 71
    8: (F, "1970-03-01", None, None, None, [("procedure_occurrence", MAMMO, "2024-04-04")]),  # no location
    9: (F, "1970-03-01", 1, [("2018-01-01", "2024-06-30")], None,                          # left mid-period
        [("procedure_occurrence", MAMMO, "2024-03-01")]),
    10: (F, "1970-03-01", 1, [("2018-01-01", "2024-08-01")], "2024-08-01",                 # died in the period
         [("procedure_occurrence", MAMMO, "2024-02-01")]),
    11: (F, "1970-03-01", 1, None, None, [("procedure_occurrence", MAMMO, "2024-03-03"),   # recorded twice
                                          ("procedure_occurrence", MAMMO, "2024-03-03"),
                                          ("procedure_occurrence", MAMMO, "2023-05-05")]),
    12: (M, "1970-03-01", 1, None, None, [("procedure_occurrence", MAMMO, "2024-03-03")]),  # a man
    13: (F, "1970-03-01", 2, None, None, [("procedure_occurrence", MAMMO, "2024-09-09")]),
    14: (F, "1970-03-01", 2, None, None, []),
    15: (F, "1970-03-01", 2, [("2024-02-01", "2025-12-31")], None, []),                    # joined mid-period
    16: (F, "1970-03-01", 1, [("2018-01-01", "2025-02-01")], "2025-02-01", []),            # died after it
    17: (F, "1970-03-01", 1, [("2018-01-01", "2023-12-31"), ("2024-01-01", "2025-12-31")],  # two periods
         None, [("procedure_occurrence", MAMMO, "2023-06-01")]),
    18: (F, "1960-03-01", 1, None, None, [("procedure_occurrence", MAMMO, "2025-01-10"),   # after the period
                                          ("procedure_occurrence", COLONOSCOPY, "2024-02-02")]),
    19: (F, "1970-03-01", 1, None, "2024-10-01", [("procedure_occurrence", MAMMO, "2024-03-01")]),  # death only
    # cervical screening (women 30-70, cytology or HPV test 2021-01-01..2024-12-31)
    20: (F, "1994-07-01", 1, None, None, [("procedure_occurrence", PAP, "2021-01-01")]),
    21: (F, "1994-07-01", 1, None, None, [("measurement", HPV, "2020-12-31")]),
    22: (F, "1995-03-01", 1, None, None, [("procedure_occurrence", PAP, "2024-03-01")]),     # 29
    23: (F, "1990-03-01", 1, None, None, [("procedure_occurrence", PAP, "2022-03-01"),
                                          ("measurement", HPV, "2023-03-01")]),
    # colorectal screening (50-70, FIT or colonoscopy 2023-01-01..2024-12-31)
    24: (M, "1974-12-31", 2, None, None, [("measurement", FIT, "2024-06-01")]),             # turns 50 on 31 Dec
    25: (M, "1975-01-01", 2, None, None, [("measurement", FIT, "2024-06-01")]),             # 49
    26: (M, "1960-03-01", 2, None, None, [("procedure_occurrence", COLONOSCOPY, "2023-02-02")]),
    27: (M, "1960-03-01", 2, None, None, [("measurement", BP, "2024-06-01")]),              # not a screening test
    # Young Health Program: tobacco use recorded in 2024, ages 13-24
    28: (M, "2000-12-31", 1, None, None, [("observation", TOBACCO, "2024-01-01")]),
    29: (F, "2000-01-01", 1, None, None, [("observation", TOBACCO, "2023-12-31")]),
    30: (M, "2011-12-31", 2, None, None, [("observation", SMOKES_DAILY, "2024-07-01")]),    # turns 13 on 31 Dec
    31: (M, "2012-01-01", 2, None, None, [("observation", TOBACCO, "2024-07-01")]),         # 12
    32: (F, "1999-12-31", 2, None, None, [("observation", TOBACCO, "2024-07-01")]),         # 25
    33: (M, "2005-06-06", None, None, None, [("observation", TOBACCO, "2024-02-02"),
                                             ("observation", TOBACCO, "2024-02-02")]),
    # new cancers in 2024: stage IV share and days from suspicion
    34: (F, "1960-03-01", 1, None, None, [("condition_occurrence", BREAST_CA, "2024-03-01"),
                                          ("measurement", STAGE_GROUP, "2024-03-15", STAGE_IV),
                                          ("observation", SUSPICION, "2024-01-31")]),
    35: (M, "1960-03-01", 1, None, None, [("condition_occurrence", COLON_CA, "2024-05-01"),
                                          ("measurement", STAGE_GROUP, "2024-04-05", STAGE_II),
                                          ("observation", SUSPICION, "2023-04-01"),
                                          ("observation", SUSPICION, "2024-04-25")]),
    36: (M, "1960-03-01", 1, None, None, [("condition_occurrence", LUNG_CA, "2024-06-01"),
                                          ("measurement", STAGE_GROUP, "2024-09-15", STAGE_IV)]),
    37: (F, "1960-03-01", 1, None, None, [("condition_occurrence", BREAST_CA, "2023-11-01"),
                                          ("condition_occurrence", BREAST_CA, "2024-02-01"),
                                          ("measurement", STAGE_GROUP, "2024-02-10", STAGE_IV),
                                          ("observation", SUSPICION, "2024-01-01")]),
    38: (F, "1960-03-01", 2, None, None, [("condition_occurrence", CERVIX_CA, "2024-07-07"),
                                          ("condition_occurrence", CERVIX_CA, "2024-07-07"),
                                          ("measurement", STAGE_GROUP, "2024-07-20", STAGE_III),
                                          ("observation", SUSPICION, "2024-07-07")]),
    39: (M, "1960-03-01", 2, None, None, [("condition_occurrence", LUNG_CA, "2024-10-10"),
                                          ("measurement", STAGE_GROUP, "2024-10-12", STAGE_I),
                                          ("measurement", STAGE_GROUP, "2024-11-01", STAGE_IV),
                                          ("observation", SUSPICION, "2024-08-31"),
                                          ("observation", SUSPICION, "2024-09-20")]),
    40: (M, "1960-03-01", None, None, None, [("condition_occurrence", COLON_CA, "2024-01-15"),
                                             ("measurement", STAGE_GROUP, "2024-01-20", STAGE_IV),
                                             ("observation", SUSPICION, "2023-12-16")]),
    41: (F, "1960-03-01", 1, None, None, [("condition_occurrence", HYPERTENSION, "2024-01-15")]),
    42: (M, "1960-03-01", 1, None, None, [("condition_occurrence", LUNG_CA, "2025-01-05")]),
}

# 58 men born in 1935 (89 in 2024: in no definition's population), 29 in each city, so that the extract has 100
# persons of whom 3 (8, 33, 40: no location) cannot be placed: 3 %, under the 5 % the placement check allows.
PERSONS.update({pid: (M, "1935-05-05", 1 + pid % 2, None, None, []) for pid in range(43, 101)})

_DATE = {"procedure_occurrence": "procedure_date", "measurement": "measurement_date",
         "observation": "observation_date", "condition_occurrence": "condition_start_date"}
_CONCEPT = {"procedure_occurrence": "procedure_concept_id", "measurement": "measurement_concept_id",
            "observation": "observation_concept_id", "condition_occurrence": "condition_concept_id"}
_DOMAIN = {"procedure_occurrence": "Procedure", "measurement": "Measurement", "observation": "Observation",
           "condition_occurrence": "Condition"}
_ID = {"procedure_occurrence": "procedure_occurrence_id", "measurement": "measurement_id",
       "observation": "observation_id", "condition_occurrence": "condition_occurrence_id"}


def tables(persons: dict[int, tuple] = PERSONS, name: str = "Test extract") -> dict[str, pd.DataFrame]:
    person, periods, deaths = [], [], []
    events: dict[str, list[dict]] = {item: [] for item in _DATE}
    for pid, (sex, birth, loc, obs, death, evs) in persons.items():
        y, m, d = (int(x) for x in birth.split("-"))
        person.append({"person_id": pid, "gender_concept_id": sex, "year_of_birth": y, "month_of_birth": m,
                       "day_of_birth": d, "race_concept_id": 0, "ethnicity_concept_id": 0, "location_id": loc})
        for start, end in obs or [("2018-01-01", "2025-12-31")]:
            periods.append({"observation_period_id": len(periods) + 1, "person_id": pid,
                            "observation_period_start_date": start, "observation_period_end_date": end,
                            "period_type_concept_id": 32817})
        if death:
            deaths.append({"person_id": pid, "death_date": death, "death_type_concept_id": 32817})
        for ev in evs:
            table, concept, day = ev[:3]
            row = {_ID[table]: len(events[table]) + 1, "person_id": pid, _CONCEPT[table]: concept,
                   _DATE[table]: day}
            if table == "measurement":
                row["value_as_concept_id"] = ev[3] if len(ev) > 3 else None
            events[table].append(row)
    domains = {F: "Gender", M: "Gender"}  # the vocabulary: every concept used, in the domain of its table
    for table, rows in events.items():
        for r in rows:
            domains[r[_CONCEPT[table]]] = _DOMAIN[table]
            if r.get("value_as_concept_id"):
                domains[r["value_as_concept_id"]] = "Meas Value"
    concepts = sorted(domains)
    out = {
        "person": pd.DataFrame(person).astype({"location_id": "Int64"}),
        "observation_period": pd.DataFrame(periods),
        "death": pd.DataFrame(deaths),
        "location": pd.DataFrame([
            {"location_id": 1, "location_source_value": "KZ-75", "county": "Almaty (city)", "city": None},
            {"location_id": 2, "location_source_value": "KZ-71", "county": "Astana (city)", "city": None}]),
        "concept": pd.DataFrame({"concept_id": concepts, "concept_name": [f"concept {c}" for c in concepts],
                                 "domain_id": [domains[c] for c in concepts], "standard_concept": "S",
                                 "invalid_reason": None}),
        "cdm_source": pd.DataFrame([{"cdm_source_name": name, "cdm_source_abbreviation": "TEST",
                                     "source_description": "hand-made test extract",
                                     "source_release_date": "2025-12-31", "cdm_version": "v5.4"}]),
    }
    for table, rows in events.items():
        frame = pd.DataFrame(rows)
        if table == "measurement":
            frame["value_as_concept_id"] = frame["value_as_concept_id"].astype("Int64")
        out[table] = frame
    return out


def write_extract(folder: Path, fmt: str = "csv", persons: dict[int, tuple] = PERSONS,
                  **changes: pd.DataFrame) -> Path:
    """Write the fixture as CSV or Parquet; ``changes`` replace whole tables (e.g. a broken one)."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in {**tables(persons), **changes}.items():
        if fmt == "csv":
            frame.to_csv(folder / f"{table}.csv", index=False)
        else:
            for col in frame.columns:
                if col.endswith("_date"):
                    frame = frame.assign(**{col: pd.to_datetime(frame[col]).dt.date})
            frame.to_parquet(folder / f"{table}.parquet", index=False)
    return folder
