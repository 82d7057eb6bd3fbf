"""Data-quality checks in the spirit of OHDSI's Data Quality Dashboard: conformance, completeness, plausibility.

Each check counts failing rows over a total and passes when their share is at most ``max_share``. A failed
blocking check stops the run before anything is computed or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from core.i18n import N_, format_date, translate
from rwd.cdm import COLUMNS, REQUIRED_COLUMNS, REQUIRED_TABLES
from rwd.definitions import EVENT_TABLES

CATEGORIES = {"conformance": N_("conformance"), "completeness": N_("completeness"),
              "plausibility": N_("plausibility")}
# What each check tests, by check id (the part before a ".table" suffix); {table}, {tables} and {date} are filled
# from the check. The English text is stored with the run; a page shows it in the reader's language.
DESCRIPTIONS = {
    "required_tables": N_("required tables present ({tables})"),
    "required_columns": N_("{table} has its required columns"),
    "types": N_("{table}: ids, years and dates read as numbers and dates"),
    "person_rows": N_("person has at least one row (an extract without persons has nothing to count)"),
    "release_date_plausible": N_("cdm_source.source_release_date, the extract's as-of date, lies between 1900 and the "
                                 "day of the run"),
    "person_id_unique": N_("person_id is unique in person"),
    "location_id_unique": N_("location_id is unique in location"),
    "concept_ids_known": N_("event concept ids found in concept"),
    "person_region": N_("persons whose location gives one of the 20 regions"),  # reports before person_placed
    "person_birth_year": N_("persons with a year of birth"),
    "observation_period_order": N_("observation periods start on or before they end"),
    "age_0_120": N_("ages between 0 and 120 on {date}"),
    "events_in_observation": N_("events dated outside every observation period of their person"),
    "events_before_death": N_("events dated after their person's death"),
}
MISSING = N_("{description}; missing: {items}")


def _describe(check_id: str, **values: str) -> str:
    return translate(DESCRIPTIONS[check_id.partition(".")[0]], "en", **values)


def check_description(check: Mapping, as_of: date | str, lang: str) -> str:
    """A stored check's description in ``lang`` (a check this version does not know keeps its stored text)."""
    from rwd.dq.text import dq_description

    base, _dot, table = str(check["id"]).partition(".")
    stored = str(check.get("description") or "")
    if base not in DESCRIPTIONS:
        return dq_description(check, lang) or stored
    text = translate(DESCRIPTIONS[base], lang, table=table, tables=", ".join(REQUIRED_TABLES),
                     date=format_date(as_of, lang))
    _same, found, items = stored.partition("; missing: ")
    return translate(MISSING, lang, description=text, items=items) if found else text


@dataclass(frozen=True)
class CheckResult:
    """One check as the OHDSI Data Quality Dashboard reports it: ``failing`` rows violated of ``total`` rows
    checked (the denominator), passed when their share is at most ``max_share`` (the threshold). ``check_name`` is
    the DQD check type (``isRequired``, ``plausibleAfterBirth``, ...; empty for checks of this project only),
    ``table`` and ``field`` what it reads, ``params`` the values its description is filled with."""

    id: str
    category: str  # conformance | completeness | plausibility
    description: str
    blocking: bool
    failing: int
    total: int
    max_share: float = 0.0
    check_name: str = ""
    table: str = ""
    field: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @property
    def share(self) -> float:
        return self.failing / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return self.share <= self.max_share

    def as_dict(self) -> dict:
        return {**asdict(self), "params": dict(self.params), "passed": self.passed, "share": round(self.share, 6)}


class BlockingCheckFailed(RuntimeError):
    """A blocking data-quality check failed: nothing was computed or written."""

    def __init__(self, failed: list[CheckResult], results: list[CheckResult]):
        self.failed, self.results = failed, results
        lines = [f"{c.id}: {c.failing} of {c.total} failing ({c.description})" for c in failed]
        super().__init__("blocking data-quality check failed, nothing written: " + "; ".join(lines))


def _counts(engine, queries: dict[str, str]) -> dict[str, int]:
    """Several ``SELECT COUNT(...) FROM ...`` queries; on Spark as one UNION ALL (one job instead of many), on
    DuckDB one by one (each query already uses every core; a union of them ran slower)."""
    if not getattr(engine, "batch_queries", False):
        return {key: int(engine.query(sql).iloc[0, 0] or 0) for key, sql in queries.items()}
    branches = []
    for key, sql in queries.items():
        if not sql.startswith("SELECT COUNT("):
            raise ValueError(f"check {key}: expected SELECT COUNT(...) FROM ...")
        head, tail = sql[len("SELECT "):].split(" FROM ", 1)
        branches.append(f"SELECT '{key}' AS k, CAST({head} AS BIGINT) AS n FROM {tail}")
    found = engine.query(" UNION ALL ".join(branches))
    return {str(k): int(n or 0) for k, n in zip(found["k"], found["n"], strict=True)}


def conformance_checks(engine, present: dict[str, set[str]]) -> list[CheckResult]:
    """On the raw tables: required tables and columns, and values that do not read as their type."""
    out = []
    typed_queries: dict[str, str] = {}
    missing_tables = [item for item in REQUIRED_TABLES if item not in present]
    text = _describe("required_tables", tables=", ".join(REQUIRED_TABLES))
    if missing_tables:
        text = translate(MISSING, "en", description=text, items=", ".join(missing_tables))
    out.append(CheckResult("required_tables", "conformance", text, True, len(missing_tables), len(REQUIRED_TABLES),
                           check_name="cdmTable"))
    for table, cols in present.items():
        lower = {c.lower(): c for c in cols}
        need = REQUIRED_COLUMNS.get(table, ())
        missing = [c for c in need if c not in lower]
        text = _describe("required_columns", table=table)
        if missing:
            text = translate(MISSING, "en", description=text, items=", ".join(missing))
        out.append(CheckResult(f"required_columns.{table}", "conformance", text, True, len(missing), len(need),
                               check_name="cdmField", table=table))
        typed = [(c, typ) for c, typ in COLUMNS[table].items() if c in lower and typ != "VARCHAR"]
        if not typed or missing:
            continue
        bad = " OR ".join(f'("{lower[c]}" IS NOT NULL AND TRY_CAST("{lower[c]}" AS {typ}) IS NULL)'
                          for c, typ in typed)
        typed_queries[table] = (f"SELECT '{table}' AS k, COUNT(*) AS total, "
                                f"COALESCE(SUM(CASE WHEN {bad} THEN 1 ELSE 0 END), 0) AS bad FROM raw_{table}")
    if typed_queries:  # one query for every table: one Spark job
        found = engine.query(" UNION ALL ".join(typed_queries.values())).set_index("k")
        for table in typed_queries:
            total, bad = found.loc[table, "total"], found.loc[table, "bad"]
            out.append(CheckResult(f"types.{table}", "conformance", _describe("types", table=table), True,
                                   int(bad or 0), int(total or 0), check_name="cdmDatatype", table=table))
    return out


def _events_union(with_concept: bool = False) -> str:
    parts = []
    for table, (concept, day) in EVENT_TABLES.items():
        extra = f", {concept} AS concept_id" if with_concept else ""
        parts.append(f"SELECT person_id, {day} AS day{extra} FROM {table}")
    return " UNION ALL ".join(parts)


def content_checks(engine, as_of: date, has_concepts: bool,
                   present: dict[str, set[str]] | None = None) -> list[CheckResult]:
    """On the typed views: keys, concept ids, completeness and plausibility (one query for all counts), then the
    field- and table-level checks of ``rwd.dq`` on every table and field the definitions read (``present``: the
    raw columns of each table the extract has)."""
    from rwd.dq.fields import field_checks

    key = as_of.year * 10000 + as_of.month * 100 + as_of.day
    events = f"({_events_union()}) ev"
    q = {
        "persons": "SELECT COUNT(*) FROM person",
        "events": f"SELECT COUNT(*) FROM {events}",
        "periods": "SELECT COUNT(*) FROM observation_period",
        "locations": "SELECT COUNT(*) FROM location",
        "distinct_persons": "SELECT COUNT(DISTINCT person_id) FROM person",
        "distinct_locations": "SELECT COUNT(DISTINCT location_id) FROM location",
        "no_birth_year": "SELECT COUNT(*) FROM person WHERE year_of_birth IS NULL",
        "period_order": "SELECT COUNT(*) FROM observation_period WHERE "
                        "observation_period_start_date > observation_period_end_date",
        "age": "SELECT COUNT(*) FROM person WHERE year_of_birth IS NOT NULL AND "
               f"FLOOR(({key} - (year_of_birth * 10000 + COALESCE(month_of_birth, 7) * 100 + "
               "COALESCE(day_of_birth, 1))) / 10000) NOT BETWEEN 0 AND 120",
        # an anti-join as LEFT JOIN ... IS NULL: a hash join on person_id (NOT EXISTS with a range was 12x slower)
        "outside": f"SELECT COUNT(*) FROM {events} LEFT JOIN observation_period op ON op.person_id = ev.person_id "
                   "AND ev.day >= op.observation_period_start_date AND ev.day <= op.observation_period_end_date "
                   "WHERE op.person_id IS NULL",
        "after_death": f"SELECT COUNT(*) FROM {events} JOIN death d ON d.person_id = ev.person_id "
                       "WHERE ev.day > d.death_date",
    }
    if has_concepts:
        q["unknown_concepts"] = (f"SELECT COUNT(*) FROM ({_events_union(True)}) ev LEFT JOIN (SELECT DISTINCT "
                                 "concept_id FROM concept) c ON c.concept_id = ev.concept_id "
                                 "WHERE ev.concept_id <> 0 AND c.concept_id IS NULL")
    n = _counts(engine, q)
    out = [
        CheckResult("person_rows", "completeness", _describe("person_rows"), True, int(n["persons"] == 0), 1,
                    check_name="measureValueCompleteness", table="person"),
        CheckResult("person_id_unique", "conformance", _describe("person_id_unique"), True,
                    n["persons"] - n["distinct_persons"], n["persons"], check_name="isPrimaryKey", table="person",
                    field="person_id"),
        CheckResult("location_id_unique", "conformance", _describe("location_id_unique"), True,
                    n["locations"] - n["distinct_locations"], n["locations"], check_name="isPrimaryKey",
                    table="location", field="location_id"),
    ]
    if has_concepts:
        out.append(CheckResult("concept_ids_known", "conformance", _describe("concept_ids_known"),
                               False, n["unknown_concepts"], n["events"], 0.01, check_name="isForeignKey",
                               table="events", field="concept_id"))
    out += [
        CheckResult("person_birth_year", "completeness", _describe("person_birth_year"), True,
                    n["no_birth_year"], n["persons"], 0.01, check_name="isRequired", table="person",
                    field="year_of_birth"),
        CheckResult("observation_period_order", "plausibility", _describe("observation_period_order"), True,
                    n["period_order"], n["periods"], check_name="plausibleStartBeforeEnd",
                    table="observation_period", field="observation_period_start_date"),
        CheckResult("age_0_120", "plausibility", _describe("age_0_120", date=as_of.isoformat()), False,
                    n["age"], n["persons"], 0.001),
        CheckResult("events_in_observation", "plausibility", _describe("events_in_observation"), False,
                    n["outside"], n["events"], 0.05),
        CheckResult("events_before_death", "plausibility", _describe("events_before_death"), False,
                    n["after_death"], n["events"], 0.001, check_name="plausibleDuringLife", table="events",
                    field="event date"),
    ]
    return out + field_checks(engine, as_of, present or {})


def blocking_failures(results: list[CheckResult]) -> list[CheckResult]:
    return [c for c in results if c.blocking and not c.passed]


def release_date_check(release: date | None, today: date) -> CheckResult | None:
    """A release date (``cdm_source.source_release_date``) outside 1900 … today is no as-of date (9999-12-31, a typo
    for 1999, an open-ended placeholder): blocking, named by its table and column. None when the extract has none."""
    if release is None:
        return None
    plausible = date(1900, 1, 1) <= release <= today
    return CheckResult("release_date_plausible", "plausibility", _describe("release_date_plausible"), True,
                       0 if plausible else 1, 1, check_name="plausibleValueHigh", table="cdm_source",
                       field="source_release_date", params=(("value", release.isoformat()),))
