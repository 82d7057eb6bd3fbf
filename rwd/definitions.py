"""Indicator definitions over OMOP CDM extracts, loaded from ``data/rwd_definitions.yaml`` (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.i18n import N_, P_, translate
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


SEXES = ("female", "male")


@dataclass(frozen=True)
class ConceptItem:
    """One entry of a concept set as OHDSI writes it: a concept, optionally with its descendants (through the
    extract's ``concept_ancestor``). ``sex`` marks a concept only one sex can have (the plausibleGender check);
    ``units``, for a measurement, the unit concepts it may carry (``()``: none, a qualitative result; ``None``:
    not checked). ``code`` (``"SNOMED:722499006"``): a concept named by its vocabulary and code, as an OHDSI concept
    set export lists it, when its id is not known here; a run looks the id up in the extract's ``concept`` table
    (``concept_id`` is 0 until then, and a code the vocabulary lacks is reported as missing)."""

    concept_id: int
    include_descendants: bool = False
    sex: str = ""
    units: tuple[int, ...] | None = None
    code: str = ""

    @property
    def label(self) -> str:
        return self.code.replace(":", " ") if self.code else str(self.concept_id)


def ids_of(items: tuple[ConceptItem, ...]) -> tuple[int, ...]:
    """The concept ids of a set (an entry named only by its code has none until a run resolves it)."""
    return tuple(i.concept_id for i in items if i.concept_id)


@dataclass(frozen=True)
class EventSet:
    """Events of one table: standard concepts (``concepts``, expanded with descendants once a run has resolved
    the set) and source concepts (``source_concepts``, matched against the table's ``*_source_concept_id``)."""

    table: str
    concepts: tuple[int, ...]
    source_concepts: tuple[int, ...] = ()
    items: tuple[ConceptItem, ...] = ()


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
    case_source_concepts: tuple[int, ...] = ()
    case_items: tuple[ConceptItem, ...] = ()
    # Russian and Kazakh title and to_confirm texts ({"ru": {"title": …, "to_confirm": …}}); English is above
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)

    def title_in(self, lang: str) -> str:
        return self.translations.get(lang, {}).get("title") or self.title

    def to_confirm_in(self, lang: str) -> str:
        return self.translations.get(lang, {}).get("to_confirm") or self.to_confirm

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


ITEM_KEYS = {"concept_id", "vocabulary_id", "concept_code", "include_descendants", "sex", "units", "name"}
CODE_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$")


def _strict(entry: Any, allowed: set[str], where: str) -> dict:
    """``entry`` as a mapping with only ``allowed`` keys (an unknown key is a typo that would be ignored)."""
    if entry is None:
        return {}
    if not isinstance(entry, dict):
        raise DefinitionError(f"{where}: expected a mapping, got {entry!r}")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DefinitionError(f"{where}: unknown key(s) {', '.join(map(str, unknown))} "
                              f"(allowed: {', '.join(sorted(allowed))})")
    return entry


def _item(value: Any, where: str) -> ConceptItem:
    if not isinstance(value, dict):
        return ConceptItem(_ints([value], where)[0])
    entry = _strict(value, ITEM_KEYS, where)
    by_code = "vocabulary_id" in entry or "concept_code" in entry
    if by_code == ("concept_id" in entry):
        raise DefinitionError(f"{where}: give either concept_id or vocabulary_id and concept_code")
    code = ""
    if by_code:
        vocabulary, concept_code = str(entry.get("vocabulary_id", "")), str(entry.get("concept_code", ""))
        if not (CODE_TEXT.match(vocabulary) and CODE_TEXT.match(concept_code)):
            raise DefinitionError(f"{where}: vocabulary_id and concept_code must both be given (letters, digits, "
                                  f"'.', '-', '_')")
        code = f"{vocabulary}:{concept_code}"
    flag = entry.get("include_descendants", False)
    if not isinstance(flag, bool):
        raise DefinitionError(f"{where}: include_descendants must be true or false")
    sex = entry.get("sex", "")
    if sex and sex not in SEXES:
        raise DefinitionError(f"{where}: sex must be female or male")
    units = entry.get("units")
    if units is not None and not isinstance(units, list):
        raise DefinitionError(f"{where}: units must be a list of unit concept ids ([] for none)")
    return ConceptItem(0 if code else _ints([entry["concept_id"]], where)[0], flag, sex,
                       None if units is None else tuple(_ints(units, where) if units else ()), code)


def concept_items(values: Any, where: str) -> tuple[ConceptItem, ...]:
    """A concept set: a non-empty list of concept ids or ``{concept_id, include_descendants, sex, units, name}``."""
    if not isinstance(values, list) or not values:
        raise DefinitionError(f"{where}: expected a non-empty list of concept ids")
    return tuple(_item(v, f"{where}[{n}]") for n, v in enumerate(values, start=1))


def _sources(values: Any, where: str) -> tuple[int, ...]:
    return () if values is None else _ints(values, where)


def event_set(ev: Any, where: str, extra: set[str] = frozenset()) -> EventSet:
    ev = _strict(ev, {"table", "concepts", "source_concepts"} | extra, where)
    table = ev.get("table")
    if table not in EVENT_TABLES:
        raise DefinitionError(f"{where}: table must be one of {', '.join(EVENT_TABLES)}")
    items = concept_items(ev.get("concepts"), f"{where}.concepts")
    return EventSet(table, ids_of(items),
                    _sources(ev.get("source_concepts"), f"{where}.source_concepts"), items)


def _events(entry: dict, where: str) -> tuple[EventSet, ...]:
    out = [event_set(ev, f"{where}.events[{n}]") for n, ev in enumerate(entry.get("events") or [], start=1)]
    if not out:
        raise DefinitionError(f"{where}: needs at least one event set")
    return tuple(out)


TOP_KEYS = {"id", "version", "kind", "title", "to_confirm"}


def _texts(value: object, where: str) -> dict[str, str]:
    """A text of the YAML: a plain (English) string, or ``{en: …, ru: …, kk: …}`` like data/indicators.yaml."""
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        unknown = set(value) - {"en", "ru", "kk"}
        if unknown:
            raise DefinitionError(f"{where}: unknown language {', '.join(sorted(map(str, unknown)))}")
        return {str(k): str(v) for k, v in value.items() if v}
    return {"en": str(value)}
KIND_KEYS = {"population_proportion": {"population", "observed", "alive", "numerator"},
             "new_cancer_stage_share": {"cases", "stage"},
             "new_cancer_days_from_suspicion": {"cases", "suspicion"}}


def parse_definition(entry: dict, position: int = 1) -> Definition:
    where = f"rwd definition {position} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
    if not isinstance(entry, dict):
        raise DefinitionError(f"{where}: expected a mapping")
    for key in ("id", "version", "kind", "title"):
        if key not in entry:
            raise DefinitionError(f"{where}: missing {key}")
    kind = entry["kind"]
    if kind not in KINDS:
        raise DefinitionError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    _strict(entry, TOP_KEYS | KIND_KEYS[kind], where)
    title, to_confirm = _texts(entry["title"], f"{where}.title"), _texts(entry.get("to_confirm"), f"{where}.to_confirm")
    base = {"id": str(entry["id"]), "version": int(entry["version"]), "kind": kind, "title": title.get("en", ""),
            "to_confirm": to_confirm.get("en", ""),
            "translations": {lang: {"title": title.get(lang, ""), "to_confirm": to_confirm.get(lang, "")}
                             for lang in ("ru", "kk")}}
    if not base["title"]:
        raise DefinitionError(f"{where}: title has no English text")
    if kind == "population_proportion":
        pop = _strict(entry.get("population"), {"sex", "age_min", "age_max"}, f"{where}.population")
        sex = pop.get("sex", "any")
        if sex not in SEX_CONCEPTS:
            raise DefinitionError(f"{where}: population.sex must be female, male or any")
        age_min, age_max = int(pop.get("age_min", 0)), int(pop.get("age_max", 120))
        if not 0 <= age_min <= age_max <= 120:
            raise DefinitionError(f"{where}: population ages must satisfy 0 <= age_min <= age_max <= 120")
        observed = entry.get("observed", "reporting_period")
        if observed not in ("reporting_period", "lookback"):
            raise DefinitionError(f"{where}: observed must be reporting_period or lookback")
        num = _strict(entry.get("numerator"), {"lookback_years", "events"}, f"{where}.numerator")
        lookback = int(num.get("lookback_years", 1))
        if not 1 <= lookback <= 10:
            raise DefinitionError(f"{where}: numerator.lookback_years must be 1 to 10")
        return Definition(**base, sex=sex, age_min=age_min, age_max=age_max, observed=observed,
                          alive=bool(entry.get("alive", True)), lookback_years=lookback,
                          events=_events(num, f"{where}.numerator"))
    cases = _strict(entry.get("cases"), {"concepts", "source_concepts"}, f"{where}.cases")
    case_items = concept_items(cases.get("concepts"), f"{where}.cases.concepts")
    case = {"case_concepts": ids_of(case_items), "case_items": case_items,
            "case_source_concepts": _sources(cases.get("source_concepts"), f"{where}.cases.source_concepts")}
    if kind == "new_cancer_stage_share":
        st = _strict(entry.get("stage"), {"concepts", "known_values", "stage_iv_values", "days_before",
                                          "days_after"}, f"{where}.stage")
        stage_items = concept_items(st.get("concepts"), f"{where}.stage.concepts")
        params = {"stage_concepts": ids_of(stage_items), "stage_items": stage_items,
                  "known_values": _ints(st.get("known_values"), f"{where}.stage.known_values"),
                  "stage_iv_values": _ints(st.get("stage_iv_values"), f"{where}.stage.stage_iv_values"),
                  "days_before": int(st.get("days_before", 30)), "days_after": int(st.get("days_after", 90))}
        if not set(params["stage_iv_values"]) <= set(params["known_values"]):
            raise DefinitionError(f"{where}: stage.stage_iv_values must be among stage.known_values")
    else:
        sus = entry.get("suspicion") or {}
        params = {"suspicion": event_set(sus, f"{where}.suspicion", {"lookback_days"}),
                  "lookback_days": int(sus.get("lookback_days", 365))}
    return Definition(**base, **case, params=params)


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


WHO = {"female": N_("women aged {age_min}–{age_max}"), "male": N_("men aged {age_min}–{age_max}"),
       "any": N_("people aged {age_min}–{age_max}")}
OBSERVED = {"reporting_period": N_("observed throughout the reporting period"),
            "lookback": N_("observed throughout the look-back")}
ALIVE_AT_END = N_(", alive at its end")
WITH_DESCENDANTS = N_("{concept} with descendants")
SOURCE_CONCEPTS = N_("source concepts {concepts}")
TABLE_CONCEPTS = N_("{table} concepts {concepts}")
YEARS_UP_TO_END = P_("in the {n} year up to the end of the period", "in the {n} years up to the end of the period")
POPULATION_TEXT = N_("Denominator: {who} at the end of the period, {observed}{alive}. "
                     "Numerator: those among them with at least one event ({sets}) {window}.")
STAGE_TEXT = N_("New cancers (first condition record of concepts {cases}) diagnosed in the period, with a stage group "
                "recorded {before} days before to {after} days after diagnosis. Numerator: stage IV ({stage_iv}); "
                "denominator: every known stage.")
DAYS_TEXT = N_("New cancers (first condition record of concepts {cases}) diagnosed in the period: median days from "
               "the first {table} record of concepts {suspicion} within {days} days before to the diagnosis.")


def _set_text(concepts: tuple[int, ...], items: tuple[ConceptItem, ...], sources: tuple[int, ...],
              lang: str = "en") -> str:
    """``4324693, 4005823 with descendants; source concepts 2000001``: a concept set as written in the YAML."""
    text = ", ".join([translate(WITH_DESCENDANTS, lang, concept=i.label) if i.include_descendants else i.label
                      for i in items] or [str(c) for c in concepts])
    return text + ("; " + translate(SOURCE_CONCEPTS, lang, concepts=", ".join(map(str, sources))) if sources else "")


def describe(defn: Definition, lang: str = "en") -> str:
    """The definition in one plain paragraph in ``lang`` (page, run report in English)."""
    if defn.kind == "population_proportion":
        sets = "; ".join(translate(TABLE_CONCEPTS, lang, table=f"`{e.table}`",
                                   concepts=_set_text(e.concepts, e.items, e.source_concepts, lang))
                         for e in defn.events)
        who = translate(WHO[defn.sex], lang, age_min=defn.age_min, age_max=defn.age_max)
        return translate(POPULATION_TEXT, lang, who=who, observed=translate(OBSERVED[defn.observed], lang),
                         alive=translate(ALIVE_AT_END, lang) if defn.alive else "", sets=sets,
                         window=translate(YEARS_UP_TO_END, lang, n=defn.lookback_years))
    cases = _set_text(defn.case_concepts, defn.case_items, defn.case_source_concepts, lang)
    p = defn.params
    if defn.kind == "new_cancer_stage_share":
        return translate(STAGE_TEXT, lang, cases=cases, before=p["days_before"], after=p["days_after"],
                         stage_iv=", ".join(map(str, p["stage_iv_values"])))
    sus = p["suspicion"]
    return translate(DAYS_TEXT, lang, cases=cases, table=f"`{sus.table}`", days=p["lookback_days"],
                     suspicion=_set_text(sus.concepts, sus.items, sus.source_concepts, lang))
