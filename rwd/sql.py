"""Each definition as one aggregate query, written once in DuckDB's dialect (Spark gets it through sqlglot), and
the population definitions of a period together as one query (``population_batch_sql``, what a run uses).

Every query groups by region: no person-level row ever leaves the engine. Parameters (dates, ages, concept ids)
are whole numbers and ISO dates from the definition and the period, written as literals.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.periods import parse_period, period_end
from rwd.definitions import EVENT_TABLES, SEX_CONCEPTS, Definition, EventSet


def period_start(period: str) -> date:
    year, quarter = parse_period(period)
    return date(year, 1 if quarter is None else 3 * quarter - 2, 1)


def years_before(day: date, years: int) -> date:
    """The day after the same date ``years`` earlier: the first day of a look-back of ``years`` ending on ``day``."""
    try:
        back = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        back = day.replace(year=day.year - years, day=28)
    return back + timedelta(days=1)


def _d(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def _ids(values: tuple[int, ...]) -> str:
    return ", ".join(str(int(v)) for v in values)


def persons_cte() -> str:
    """Persons with a birth key (YYYYMMDD; a missing month counts as July, a missing day as the 1st) and their
    region through ``location`` and the ``region_map`` built from the configured location column."""
    return (
        "persons AS (SELECT p.person_id, p.gender_concept_id, "
        "p.year_of_birth * 10000 + COALESCE(p.month_of_birth, 7) * 100 + COALESCE(p.day_of_birth, 1) AS birth_key, "
        "r.region FROM person p LEFT JOIN location l ON p.location_id = l.location_id "
        "LEFT JOIN region_map r ON l.region_value = r.raw)"
    )


def _age_at(day: date, birth_key: str = "birth_key") -> str:
    key = day.year * 10000 + day.month * 100 + day.day
    return f"FLOOR(({key} - {birth_key}) / 10000)"


def concept_match(table: str, concepts, sources=(), alias: str = "") -> str:
    """The rows of an event table in a concept set: its standard concept among ``concepts`` or its source concept
    (``*_source_concept_id``) among ``sources``; an empty set matches nothing."""
    concept = EVENT_TABLES[table][0]
    parts = [f"{alias}{concept} IN ({_ids(tuple(sorted(set(concepts))))})"] if concepts else []
    if sources:
        source = concept.replace("_concept_id", "_source_concept_id")
        parts.append(f"{alias}{source} IN ({_ids(tuple(sorted(set(sources))))})")
    return "(" + " OR ".join(parts) + ")" if parts else "1 = 0"


def _event_select(ev: EventSet, start: date, end: date) -> str:
    day = EVENT_TABLES[ev.table][1]
    return (f"SELECT person_id FROM {ev.table} WHERE {concept_match(ev.table, ev.concepts, ev.source_concepts)} "
            f"AND {day} BETWEEN {_d(start)} AND {_d(end)}")


def population_proportion_sql(defn: Definition, period: str) -> str:
    """Columns: region, denominator, numerator."""
    start, end = period_start(period), period_end(period)
    lookback_start = years_before(end, defn.lookback_years)
    observed_from = start if defn.observed == "reporting_period" else lookback_start
    sex = SEX_CONCEPTS[defn.sex]
    conditions = [f"{_age_at(end, 'ps.birth_key')} BETWEEN {defn.age_min} AND {defn.age_max}",
                  "ps.person_id IN (SELECT op.person_id FROM observation_period op "
                  f"WHERE op.observation_period_start_date <= {_d(observed_from)} "
                  f"AND op.observation_period_end_date >= {_d(end)})"]
    if sex:
        conditions.insert(0, f"ps.gender_concept_id IN ({_ids(sex)})")
    if defn.alive:
        conditions.append(f"NOT EXISTS (SELECT 1 FROM death d WHERE d.person_id = ps.person_id "
                          f"AND d.death_date <= {_d(end)})")
    events = " UNION ".join(_event_select(ev, lookback_start, end) for ev in defn.events)
    return (
        f"WITH {persons_cte()}, "
        f"denominator AS (SELECT ps.person_id, ps.region FROM persons ps WHERE {' AND '.join(conditions)}), "
        f"events AS (SELECT DISTINCT person_id FROM ({events}) ev) "
        "SELECT d.region, COUNT(*) AS denominator, COUNT(e.person_id) AS numerator "
        "FROM denominator d LEFT JOIN events e ON d.person_id = e.person_id GROUP BY d.region"
    )


def _cases_ctes(defn: Definition, period: str) -> str:
    start, end = period_start(period), period_end(period)
    return (
        f"{persons_cte()}, "
        "first_dx AS (SELECT person_id, MIN(condition_start_date) AS dx_date FROM condition_occurrence WHERE "
        f"{concept_match('condition_occurrence', defn.case_concepts, defn.case_source_concepts)} "
        "GROUP BY person_id), "
        "cases AS (SELECT f.person_id, f.dx_date, ps.region FROM first_dx f "
        f"JOIN persons ps ON ps.person_id = f.person_id WHERE f.dx_date BETWEEN {_d(start)} AND {_d(end)})"
    )


def stage_share_sql(defn: Definition, period: str) -> str:
    """Columns: region, cases, denominator (cases with a known stage), numerator (stage IV)."""
    p = defn.params
    return (
        f"WITH {_cases_ctes(defn, period)}, "
        "staged AS (SELECT c.person_id, "
        f"MAX(CASE WHEN m.value_as_concept_id IN ({_ids(p['stage_iv_values'])}) THEN 1 ELSE 0 END) AS is_iv "
        "FROM cases c JOIN measurement m ON m.person_id = c.person_id "
        f"WHERE m.measurement_concept_id IN ({_ids(p['stage_concepts'])}) "
        f"AND m.value_as_concept_id IN ({_ids(p['known_values'])}) "
        f"AND DATE_DIFF('day', c.dx_date, m.measurement_date) BETWEEN -{int(p['days_before'])} "
        f"AND {int(p['days_after'])} GROUP BY c.person_id) "
        "SELECT c.region, COUNT(*) AS cases, COUNT(s.person_id) AS denominator, "
        "COALESCE(SUM(s.is_iv), 0) AS numerator FROM cases c LEFT JOIN staged s ON s.person_id = c.person_id "
        "GROUP BY c.region"
    )


def days_from_suspicion_sql(defn: Definition, period: str) -> str:
    """Columns: region, days (NULL for cases without a recorded suspicion), n — a histogram, not persons."""
    p = defn.params
    ev: EventSet = p["suspicion"]
    day = EVENT_TABLES[ev.table][1]
    return (
        f"WITH {_cases_ctes(defn, period)}, "
        f"suspected AS (SELECT c.person_id, MIN(e.{day}) AS first_suspicion FROM cases c "
        f"JOIN {ev.table} e ON e.person_id = c.person_id "
        f"WHERE {concept_match(ev.table, ev.concepts, ev.source_concepts, 'e.')} "
        f"AND DATE_DIFF('day', e.{day}, c.dx_date) BETWEEN 0 AND {int(p['lookback_days'])} GROUP BY c.person_id) "
        "SELECT c.region, DATE_DIFF('day', s.first_suspicion, c.dx_date) AS days, COUNT(*) AS n "
        "FROM cases c LEFT JOIN suspected s ON s.person_id = c.person_id GROUP BY c.region, days"
    )


def definition_sql(defn: Definition, period: str) -> str:
    return {"population_proportion": population_proportion_sql, "new_cancer_stage_share": stage_share_sql,
            "new_cancer_days_from_suspicion": days_from_suspicion_sql}[defn.kind](defn, period)


def _observed_from(defn: Definition, period: str) -> date:
    """The first day a denominator person of ``defn`` must be observed from (to the end of the period)."""
    if defn.observed == "reporting_period":
        return period_start(period)
    return years_before(period_end(period), defn.lookback_years)


def population_batch_sql(defns: tuple[Definition, ...], period: str) -> str:
    """Every population definition of one period in one query, one scan of each table it reads. Columns: region,
    then ``denominator_<i>`` and ``numerator_<i>`` of the i-th definition (0-based): per region the counts
    ``population_proportion_sql`` gives for that definition (``rwd.aggregate.run_population_batch`` unpivots
    them; a region without a denominator for a definition has zeros here and no row there).

    The rows are those of ``persons`` (as in the single query), each counted in every definition whose conditions
    it meets. Rows no definition can count are left out first: ages outside every range, and persons without an
    observation period covering the period as the least demanding definition requires (a semi-join, as in the
    single query). When the definitions differ in the day observation must start (``observed``), that semi-join is
    an inner join with ``covered_from`` per person, the earliest start among the periods reaching the end of the
    period: a person is covered from day X exactly when it is on or before X. Then, per person, ``died`` (a death
    on or before the end) and ``hit_<i>`` (``MAX(CASE ... THEN 1 ELSE 0 END)``: an event of definition i in its
    look-back; each event table read once for all definitions). Every table is scanned once; everything is plain
    SQL that sqlglot writes for Spark and PostgreSQL alike (no BOOL_OR, no FILTER)."""
    if not defns or any(d.kind != "population_proportion" for d in defns):
        raise ValueError("population_batch_sql takes one or more population_proportion definitions")
    end = period_end(period)
    age = _age_at(end, "ps.birth_key")
    starts = [_observed_from(d, period) for d in defns]
    latest = max(starts)
    covering = (f"FROM observation_period WHERE observation_period_end_date >= {_d(end)} "
                f"AND observation_period_start_date <= {_d(latest)}")
    ctes, joins = [persons_cte()], []
    keep = [f"{age} BETWEEN {min(d.age_min for d in defns)} AND {max(d.age_max for d in defns)}"]
    if all(SEX_CONCEPTS[d.sex] for d in defns):
        keep.insert(0, f"ps.gender_concept_id IN ({_ids(sorted({c for d in defns for c in SEX_CONCEPTS[d.sex]}))})")
    several_starts = len(set(starts)) > 1
    if several_starts:  # an inner join: a person without a period covering the latest start counts nowhere
        ctes.append(f"observed AS (SELECT person_id, MIN(observation_period_start_date) AS covered_from {covering} "
                    "GROUP BY person_id)")
        joins.append("JOIN observed o ON o.person_id = ps.person_id")
    else:
        keep.append(f"ps.person_id IN (SELECT person_id {covering})")
    if any(d.alive for d in defns):
        ctes.append(f"died AS (SELECT person_id, 1 AS died FROM death WHERE death_date <= {_d(end)} "
                    "GROUP BY person_id)")
        joins.append("LEFT JOIN died x ON x.person_id = ps.person_id")
    branches = []
    for table, (_concept, day) in EVENT_TABLES.items():
        sets = {i: [ev for ev in d.events if ev.table == table] for i, d in enumerate(defns)}
        used = {i: defns[i] for i, evs in sets.items() if evs}
        if not used:
            continue

        def match(which: list[int], sets=sets, table=table) -> str:
            return concept_match(table, {c for i in which for ev in sets[i] for c in ev.concepts},
                                 {c for i in which for ev in sets[i] for c in ev.source_concepts})

        hits = [f"CASE WHEN {match([i])} AND {day} >= "
                f"{_d(years_before(end, used[i].lookback_years))} THEN 1 ELSE 0 END AS hit_{i}" if i in used
                else f"0 AS hit_{i}" for i in range(len(defns))]
        earliest = min(years_before(end, d.lookback_years) for d in used.values())
        branches.append(f"SELECT person_id, {', '.join(hits)} FROM {table} WHERE {match(list(used))} "
                        f"AND {day} BETWEEN {_d(earliest)} AND {_d(end)}")
    hit_max = ", ".join(f"MAX(hit_{i}) AS hit_{i}" for i in range(len(defns)))
    ctes.append(f"events AS (SELECT person_id, {hit_max} FROM ({' UNION ALL '.join(branches)}) ev "
                "GROUP BY person_id)")
    joins.append("LEFT JOIN events e ON e.person_id = ps.person_id")
    sums = []
    for i, d in enumerate(defns):
        sex = SEX_CONCEPTS[d.sex]
        conditions = ([f"ps.gender_concept_id IN ({_ids(sex)})"] if sex else []) + [
            f"{age} BETWEEN {d.age_min} AND {d.age_max}"]
        if several_starts and starts[i] < latest:
            conditions.append(f"o.covered_from <= {_d(starts[i])}")
        if d.alive:
            conditions.append("x.died IS NULL")
        member = " AND ".join(conditions)
        sums.append(f"SUM(CASE WHEN {member} THEN 1 ELSE 0 END) AS denominator_{i}, "
                    f"SUM(CASE WHEN {member} AND e.hit_{i} = 1 THEN 1 ELSE 0 END) AS numerator_{i}")
    return (f"WITH {', '.join(ctes)} SELECT ps.region, {', '.join(sums)} FROM persons ps {' '.join(joins)} "
            f"WHERE {' AND '.join(keep)} GROUP BY ps.region")
