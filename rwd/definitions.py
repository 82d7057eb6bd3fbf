"""Indicator definitions over OMOP CDM extracts, loaded from ``data/rwd_definitions.yaml`` (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.paths import DATA_DIR

DEFINITIONS_FILE = DATA_DIR / "rwd_definitions.yaml"
KINDS = ("population_proportion", "new_cancer_stage_share", "new_cancer_days_from_suspicion")
EVENT_TABLES = {  # table -> (concept column, date column)
    "procedure_occurrence": ("procedure_concept_id", "procedure_date"),
    "measurement": ("measurement_concept_id", "measurement_date"),
    "observation": ("observation_concept_id", "observation_date"),
    "condition_occurrence": ("condition_concept_id", "condition_start_date"),
}
SEX_CONCEPTS = {"female": (8532,), "male": (8507,), "any": ()}


class DefinitionError(ValueError):
    """A definition in the YAML file is incomplete or inconsistent (names the definition and the field)."""


@dataclass(frozen=True)
class EventSet:
    table: str
    concepts: tuple[int, ...]


@dataclass(frozen=True)
class Definition:
    id: str
    version: int
    kind: str
    title: str
    to_confirm: str = ""
    sex: str = "any"
    age_min: int = 0
    age_max: int = 120
    observed: str = "reporting_period"
    alive: bool = True
    lookback_years: int = 1
    events: tuple[EventSet, ...] = ()
    case_concepts: tuple[int, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self) -> str:
        """``id@version``, as written in the provenance of every number it produced."""
        return f"{self.id}@{self.version}"


def _ints(values: Any, where: str) -> tuple[int, ...]:
    if not isinstance(values, list) or not values:
        raise DefinitionError(f"{where}: expected a non-empty list of concept ids")
    try:
        return tuple(int(v) for v in values)
    except (TypeError, ValueError):
        raise DefinitionError(f"{where}: concept ids must be whole numbers, got {values!r}") from None


def _events(entry: dict, where: str) -> tuple[EventSet, ...]:
    out = []
    for n, ev in enumerate(entry.get("events") or [], start=1):
        table = ev.get("table")
        if table not in EVENT_TABLES:
            raise DefinitionError(f"{where}.events[{n}]: table must be one of {', '.join(EVENT_TABLES)}")
        out.append(EventSet(table, _ints(ev.get("concepts"), f"{where}.events[{n}].concepts")))
    if not out:
        raise DefinitionError(f"{where}: needs at least one event set")
    return tuple(out)


def parse_definition(entry: dict, position: int = 1) -> Definition:
    where = f"rwd definition {position} ({entry.get('id', '?')})"
    for key in ("id", "version", "kind", "title"):
        if key not in entry:
            raise DefinitionError(f"{where}: missing {key}")
    kind = entry["kind"]
    if kind not in KINDS:
        raise DefinitionError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    base = {"id": str(entry["id"]), "version": int(entry["version"]), "kind": kind, "title": str(entry["title"]),
            "to_confirm": str(entry.get("to_confirm") or "")}
    if kind == "population_proportion":
        pop = entry.get("population") or {}
        sex = pop.get("sex", "any")
        if sex not in SEX_CONCEPTS:
            raise DefinitionError(f"{where}: population.sex must be female, male or any")
        age_min, age_max = int(pop.get("age_min", 0)), int(pop.get("age_max", 120))
        if not 0 <= age_min <= age_max <= 120:
            raise DefinitionError(f"{where}: population ages must satisfy 0 <= age_min <= age_max <= 120")
        observed = entry.get("observed", "reporting_period")
        if observed not in ("reporting_period", "lookback"):
            raise DefinitionError(f"{where}: observed must be reporting_period or lookback")
        num = entry.get("numerator") or {}
        lookback = int(num.get("lookback_years", 1))
        if not 1 <= lookback <= 10:
            raise DefinitionError(f"{where}: numerator.lookback_years must be 1 to 10")
        return Definition(**base, sex=sex, age_min=age_min, age_max=age_max, observed=observed,
                          alive=bool(entry.get("alive", True)), lookback_years=lookback,
                          events=_events(num, f"{where}.numerator"))
    cases = entry.get("cases") or {}
    case_concepts = _ints(cases.get("concepts"), f"{where}.cases.concepts")
    if kind == "new_cancer_stage_share":
        st = entry.get("stage") or {}
        params = {"stage_concepts": _ints(st.get("concepts"), f"{where}.stage.concepts"),
                  "known_values": _ints(st.get("known_values"), f"{where}.stage.known_values"),
                  "stage_iv_values": _ints(st.get("stage_iv_values"), f"{where}.stage.stage_iv_values"),
                  "days_before": int(st.get("days_before", 30)), "days_after": int(st.get("days_after", 90))}
        if not set(params["stage_iv_values"]) <= set(params["known_values"]):
            raise DefinitionError(f"{where}: stage.stage_iv_values must be among stage.known_values")
    else:
        sus = entry.get("suspicion") or {}
        if sus.get("table") not in EVENT_TABLES:
            raise DefinitionError(f"{where}: suspicion.table must be one of {', '.join(EVENT_TABLES)}")
        params = {"suspicion": EventSet(sus["table"], _ints(sus.get("concepts"), f"{where}.suspicion.concepts")),
                  "lookback_days": int(sus.get("lookback_days", 365))}
    return Definition(**base, case_concepts=case_concepts, params=params)


def load_definitions_file(path: Path) -> tuple[Definition, ...]:
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    defs = tuple(parse_definition(e, n) for n, e in enumerate(entries, start=1))
    ids = [d.id for d in defs]
    if len(ids) != len(set(ids)):
        raise DefinitionError(f"{Path(path).name}: a definition id appears twice")
    return defs


@lru_cache(maxsize=1)
def load_definitions() -> tuple[Definition, ...]:
    return load_definitions_file(DEFINITIONS_FILE)


def describe(defn: Definition) -> str:
    """The definition in one plain-English paragraph (page, run report)."""
    if defn.kind == "population_proportion":
        who = {"female": "women", "male": "men", "any": "people"}[defn.sex]
        sets = "; ".join(f"{e.table} concepts {', '.join(map(str, e.concepts))}" for e in defn.events)
        return (f"Denominator: {who} aged {defn.age_min}–{defn.age_max} at the end of the period, observed "
                f"throughout the {'reporting period' if defn.observed == 'reporting_period' else 'look-back'}"
                f"{', alive at its end' if defn.alive else ''}. Numerator: those among them with at least one "
                f"event ({sets}) in the {defn.lookback_years} year(s) up to the end of the period.")
    cases = ", ".join(map(str, defn.case_concepts))
    if defn.kind == "new_cancer_stage_share":
        p = defn.params
        return (f"New cancers (first condition record of concepts {cases}) diagnosed in the period, with a stage "
                f"group recorded {p['days_before']} days before to {p['days_after']} days after diagnosis. "
                f"Numerator: stage IV ({', '.join(map(str, p['stage_iv_values']))}); denominator: every known stage.")
    p = defn.params
    return (f"New cancers (first condition record of concepts {cases}) diagnosed in the period: median days from "
            f"the first {p['suspicion'].table} record of concepts {', '.join(map(str, p['suspicion'].concepts))} "
            f"within {p['lookback_days']} days before to the diagnosis.")
