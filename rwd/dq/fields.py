"""Table- and field-level checks of the OHDSI Data Quality Dashboard (v2.x) on every table and field the
definitions read: person, observation_period, death, the four event tables and, when the extract has it,
visit_occurrence.

Each check is two counts on the typed views: rows violated and rows checked (the denominator). Every count is a
``SELECT COUNT(...) FROM ...`` in DuckDB's dialect, run by ``rwd.quality._counts`` (one UNION ALL on Spark); a
field the extract does not have is not checked (the typed view reads it as NULL). Thresholds are the DQD
defaults for these fields (a share of rows; DQD writes percent). None of these checks blocks a run: they are
reported with the run and shown on the Real-world data page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rwd.definitions import EVENT_TABLES
from rwd.dq.text import describe_check

DOMAINS = {"condition_occurrence": "Condition", "procedure_occurrence": "Procedure", "measurement": "Measurement",
           "observation": "Observation"}
IDS = {"condition_occurrence": "condition_occurrence_id", "procedure_occurrence": "procedure_occurrence_id",
       "measurement": "measurement_id", "observation": "observation_id", "visit_occurrence": "visit_occurrence_id",
       "observation_period": "observation_period_id"}
ENDS = {"condition_occurrence": "condition_end_date", "procedure_occurrence": "procedure_end_date"}
# completeness of persons across tables: DQD's thresholds (observation_period: every person needs one)
PERSON_COMPLETENESS = {"observation_period": 0.0, "condition_occurrence": 0.95, "procedure_occurrence": 0.95,
                       "measurement": 0.95, "observation": 0.95, "visit_occurrence": 0.95, "death": 1.0}
CATEGORY = {"isRequired": "conformance", "isPrimaryKey": "conformance", "isForeignKey": "conformance",
            "fkDomain": "conformance", "isStandardValidConcept": "conformance", "cdmTable": "conformance",
            "measureValueCompleteness": "completeness", "standardConceptRecordCompleteness": "completeness",
            "sourceConceptRecordCompleteness": "completeness", "sourceValueCompleteness": "completeness",
            "measurePersonCompleteness": "completeness"}
EARLIEST = date(1950, 1, 1)  # DQD's plausibleValueLow for event dates
BIRTH_KEY = ("(p.year_of_birth * 10000 + COALESCE(p.month_of_birth, 1) * 100 + COALESCE(p.day_of_birth, 1))")
PERSONS = "(SELECT DISTINCT person_id FROM person)"
DEATHS = "(SELECT person_id, MIN(death_date) AS death_date FROM death GROUP BY person_id)"


@dataclass(frozen=True)
class Spec:
    check_name: str
    table: str
    field: str
    violated: str  # SELECT COUNT(...) FROM ...
    checked: str
    threshold: float = 0.0
    params: tuple[tuple[str, str], ...] = ()


def _key(column: str) -> str:
    """A date as a YYYYMMDD number, comparable with a birth key."""
    return (f"(EXTRACT(YEAR FROM {column}) * 10000 + EXTRACT(MONTH FROM {column}) * 100 "
            f"+ EXTRACT(DAY FROM {column}))")


def _d(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def _rows(table: str, where: str = "") -> str:
    return f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")


def _required(table: str, fields: list[str]) -> list[Spec]:
    return [Spec("isRequired", table, f, _rows(table, f"{f} IS NULL"), _rows(table)) for f in fields]


def _primary_key(table: str, column: str) -> Spec:
    dup = f"{column} IN (SELECT {column} FROM {table} GROUP BY {column} HAVING COUNT(*) > 1)"
    return Spec("isPrimaryKey", table, column, _rows(table, dup), _rows(table))


def _person_fk(table: str) -> Spec:
    return Spec("isForeignKey", table, "person_id",
                f"SELECT COUNT(*) FROM {table} x LEFT JOIN {PERSONS} p ON p.person_id = x.person_id "
                "WHERE x.person_id IS NOT NULL AND p.person_id IS NULL", _rows(table), params=(("target", "person"),))


def _dates(table: str, day: str, as_of: date) -> list[Spec]:
    """A date field: not before 1950, not after the extract's date, not before birth, not long after death."""
    return [
        Spec("plausibleValueLow", table, day, _rows(table, f"{day} < {_d(EARLIEST)}"), _rows(table), 0.01,
             (("low", EARLIEST.isoformat()),)),
        Spec("plausibleValueHigh", table, day, _rows(table, f"{day} > {_d(as_of)}"), _rows(table), 0.01,
             (("high", as_of.isoformat()),)),
        Spec("plausibleAfterBirth", table, day,
             f"SELECT COUNT(*) FROM {table} x JOIN person p ON p.person_id = x.person_id "
             f"WHERE p.year_of_birth IS NOT NULL AND {_key('x.' + day)} < {BIRTH_KEY}", _rows(table), 0.01),
        Spec("plausibleBeforeDeath", table, day,
             f"SELECT COUNT(*) FROM {table} x JOIN {DEATHS} d ON d.person_id = x.person_id "
             f"WHERE DATE_DIFF('day', d.death_date, x.{day}) > 60", _rows(table), 0.01),
    ]


def _concept_field(table: str, column: str, domain: str, has_vocabulary: set[str]) -> list[Spec]:
    """A standard concept field: concept 0 counted (not left out), its domain, standard and valid."""
    out = [Spec("standardConceptRecordCompleteness", table, column, _rows(table, f"{column} = 0"), _rows(table),
                0.05)]
    joined = f"SELECT COUNT(*) FROM {table} x JOIN concept c ON c.concept_id = x.{column} WHERE x.{column} <> 0"
    if "domain_id" in has_vocabulary:
        out.append(Spec("fkDomain", table, column, f"{joined} AND c.domain_id <> '{domain}'", _rows(table),
                        params=(("domain", domain),)))
    if "standard_concept" in has_vocabulary:
        out.append(Spec("isStandardValidConcept", table, column,
                        f"{joined} AND (COALESCE(c.standard_concept, '') <> 'S' OR "
                        "COALESCE(c.invalid_reason, '') <> '')", _rows(table)))
    return out


def _event_table(table: str, cols: set[str], as_of: date, vocabulary: set[str], has_visits: bool) -> list[Spec]:
    concept, day = EVENT_TABLES[table]
    prefix = concept.removesuffix("_concept_id")
    out = [*_required(table, ["person_id", concept, day]), _person_fk(table)]
    if IDS[table] in cols:
        out.append(_primary_key(table, IDS[table]))
    out += _concept_field(table, concept, DOMAINS[table], vocabulary)
    if f"{prefix}_source_concept_id" in cols:
        source = f"{prefix}_source_concept_id"
        out.append(Spec("sourceConceptRecordCompleteness", table, source, _rows(table, f"{source} = 0"),
                        _rows(table), 0.10))
    if f"{prefix}_source_value" in cols:
        value = f"{prefix}_source_value"
        out.append(Spec("sourceValueCompleteness", table, value,
                        f"SELECT COUNT(DISTINCT {value}) FROM {table} WHERE {concept} = 0",
                        f"SELECT COUNT(DISTINCT {value}) FROM {table}", 0.10))
    out += _dates(table, day, as_of)
    end = ENDS.get(table)
    if end and end in cols:
        out.append(Spec("plausibleStartBeforeEnd", table, day, _rows(table, f"{end} IS NOT NULL AND {day} > {end}"),
                        _rows(table), 0.01, (("end", end),)))
    if has_visits and "visit_occurrence_id" in cols:
        out.append(Spec("isForeignKey", table, "visit_occurrence_id",
                        f"SELECT COUNT(*) FROM {table} x LEFT JOIN (SELECT DISTINCT visit_occurrence_id FROM "
                        "visit_occurrence) v ON v.visit_occurrence_id = x.visit_occurrence_id WHERE "
                        "x.visit_occurrence_id IS NOT NULL AND v.visit_occurrence_id IS NULL", _rows(table),
                        params=(("target", "visit_occurrence"),)))
        out.append(Spec("withinVisitDates", table, day,
                        f"SELECT COUNT(*) FROM {table} x JOIN visit_occurrence v ON v.visit_occurrence_id = "
                        f"x.visit_occurrence_id WHERE DATE_DIFF('day', x.{day}, v.visit_start_date) > 7 OR "
                        f"DATE_DIFF('day', COALESCE(v.visit_end_date, v.visit_start_date), x.{day}) > 7",
                        _rows(table, "visit_occurrence_id IS NOT NULL"), 0.05))
    return out


def _person(cols: set[str], as_of: date, vocabulary: set[str]) -> list[Spec]:
    out = _required("person", ["person_id", "gender_concept_id"])
    out += _concept_field("person", "gender_concept_id", "Gender", vocabulary)
    out += [
        Spec("plausibleValueLow", "person", "year_of_birth", _rows("person", "year_of_birth < 1850"),
             _rows("person"), 0.01, (("low", "1850"),)),
        Spec("plausibleValueHigh", "person", "year_of_birth", _rows("person", f"year_of_birth > {as_of.year}"),
             _rows("person"), 0.01, (("high", str(as_of.year)),)),
    ]
    if "location_id" in cols:
        out += [Spec("measureValueCompleteness", "person", "location_id", _rows("person", "location_id IS NULL"),
                     _rows("person"), 0.05),
                Spec("isForeignKey", "person", "location_id",
                     "SELECT COUNT(*) FROM person x LEFT JOIN (SELECT DISTINCT location_id FROM location) l ON "
                     "l.location_id = x.location_id WHERE x.location_id IS NOT NULL AND l.location_id IS NULL",
                     _rows("person"), params=(("target", "location"),))]
    return out


def _observation_period(cols: set[str], as_of: date) -> list[Spec]:
    start, end = "observation_period_start_date", "observation_period_end_date"
    table = "observation_period"
    overlap = (f"SELECT COUNT(DISTINCT a.person_id) FROM {table} a JOIN {table} b ON b.person_id = a.person_id "
               f"AND (a.{start} < b.{start} OR (a.{start} = b.{start} AND a.observation_period_id < "
               f"b.observation_period_id)) WHERE DATE_DIFF('day', a.{end}, b.{start}) <= 1")
    out = [*_required(table, ["person_id", start, end]), _person_fk(table)]
    if IDS[table] in cols:
        out.append(_primary_key(table, IDS[table]))
    out += [
        Spec("measureObservationPeriodOverlap", table, "", overlap,
             f"SELECT COUNT(DISTINCT person_id) FROM {table}"),
        Spec("plausibleValueLow", table, start, _rows(table, f"{start} < {_d(EARLIEST)}"), _rows(table), 0.01,
             (("low", EARLIEST.isoformat()),)),
        Spec("plausibleTemporalAfter", table, start,
             f"SELECT COUNT(*) FROM {table} x JOIN person p ON p.person_id = x.person_id "
             f"WHERE p.year_of_birth IS NOT NULL AND {_key('x.' + start)} < {BIRTH_KEY}", _rows(table), 0.01,
             (("after", "person.year_of_birth"),)),
    ]
    return out


def _death(as_of: date) -> list[Spec]:
    return [
        *_required("death", ["person_id", "death_date"]), _person_fk("death"),
        Spec("plausibleTemporalAfter", "death", "death_date",
             "SELECT COUNT(*) FROM death x JOIN person p ON p.person_id = x.person_id "
             f"WHERE p.year_of_birth IS NOT NULL AND {_key('x.death_date')} < {BIRTH_KEY}", _rows("death"), 0.01,
             (("after", "person.year_of_birth"),)),
        Spec("plausibleValueHigh", "death", "death_date", _rows("death", f"death_date > {_d(as_of)}"),
             _rows("death"), 0.01, (("high", as_of.isoformat()),)),
    ]


def _visits(as_of: date) -> list[Spec]:
    table = "visit_occurrence"
    return [
        *_required(table, ["person_id", "visit_start_date"]), _primary_key(table, IDS[table]), _person_fk(table),
        Spec("plausibleStartBeforeEnd", table, "visit_start_date",
             _rows(table, "visit_end_date IS NOT NULL AND visit_start_date > visit_end_date"), _rows(table), 0.01,
             (("end", "visit_end_date"),)),
        *_dates(table, "visit_start_date", as_of)]


def specs(present: dict[str, set[str]], as_of: date) -> list[Spec]:
    """Every check for the tables and fields of ``present`` (table -> its raw column names)."""
    cols = {table: {c.lower() for c in names} for table, names in present.items()}
    vocabulary = cols.get("concept", set())
    out = _person(cols.get("person", set()), as_of, vocabulary)
    out += _observation_period(cols.get("observation_period", set()), as_of)
    if "death" in cols:
        out += _death(as_of)
    if "visit_occurrence" in cols:
        out += _visits(as_of)
    for table in EVENT_TABLES:
        if table in cols:
            out += _event_table(table, cols[table], as_of, vocabulary, "visit_occurrence" in cols)
    for table, share in PERSON_COMPLETENESS.items():
        if table in cols:
            out.append(Spec("measurePersonCompleteness", table, "",
                            f"SELECT COUNT(*) FROM {PERSONS} p LEFT JOIN (SELECT DISTINCT person_id FROM {table}) x "
                            "ON x.person_id = p.person_id WHERE x.person_id IS NULL",
                            f"SELECT COUNT(*) FROM {PERSONS} p", share))
    return out


def field_checks(engine, as_of: date, present: dict[str, set[str]]):
    """The checks of ``specs`` as ``CheckResult`` (none blocks a run), plus ``cdmTable`` for each optional table
    the definitions read that the extract lacks."""
    from rwd.quality import CheckResult, _counts

    todo = specs(present, as_of)
    denominators = list(dict.fromkeys(spec.checked for spec in todo))  # each denominator counted once
    queries = {f"v{i}": spec.violated for i, spec in enumerate(todo)}
    queries.update({f"c{j}": sql for j, sql in enumerate(denominators)})
    found = _counts(engine, queries)
    checked = {sql: found[f"c{j}"] for j, sql in enumerate(denominators)}
    out = []
    for table in ("death", *EVENT_TABLES):
        if table not in present:
            out.append(CheckResult(f"cdmTable.{table}", "conformance", describe_check("cdmTable", table), False, 1, 1,
                                   check_name="cdmTable", table=table))
    for i, spec in enumerate(todo):
        name = ".".join(p for p in (spec.check_name, spec.table, spec.field) if p)
        out.append(CheckResult(name, CATEGORY.get(spec.check_name, "plausibility"),
                               describe_check(spec.check_name, spec.table, spec.field, dict(spec.params)), False,
                               found[f"v{i}"], checked[spec.checked], spec.threshold, spec.check_name, spec.table,
                               spec.field, spec.params))
    return out
