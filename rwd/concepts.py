"""The definitions' concept sets against the extract's vocabulary, as OHDSI tools resolve a concept set.

Before anything is computed, every concept a definition names is looked up in the extract's ``concept`` table:
a concept that is not there (*missing*), not a standard concept (``standard_concept`` other than 'S'; source
concepts are exempt, they are never standard) or no longer valid (``invalid_reason`` set) is reported by id, per
definition. A definition one of whose concept sets (numerator events, new cancer cases, stage measurement, stage
values, suspicion events) has every concept missing is not computed: the run reports it by name as an error
instead of writing a value of 0. Entries with ``include_descendants`` gain their descendants from
``concept_ancestor``. Only vocabulary rows are read here; concept-level checks of the data (``plausibleGender``,
``plausibleUnitConceptIds``) are counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rwd.definitions import EVENT_TABLES, SEX_CONCEPTS, ConceptItem, Definition, EventSet, ids_of
from rwd.dq.text import describe_check
from rwd.quality import CheckResult, _counts


@dataclass(frozen=True)
class Role:
    name: str  # numerator | cases | stage | stage values | suspicion
    table: str
    items: tuple[ConceptItem, ...]
    sources: tuple[int, ...] = ()


@dataclass
class ConceptSetReport:
    """What the vocabulary says about one definition's concepts (ids only, no person)."""

    definition: str
    missing: list[int | str] = field(default_factory=list)  # ids, and "SNOMED 722499006" for an entry by code
    non_standard: list[int] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)
    descendants_added: int = 0
    error: str | None = None

    def as_dict(self) -> dict:
        return {"definition": self.definition, "missing": self.missing, "non_standard": self.non_standard,
                "invalid": self.invalid, "descendants_added": self.descendants_added, "error": self.error}


def roles(defn: Definition) -> list[Role]:
    """The concept sets of a definition, each with the table its concepts are looked for in."""
    if defn.kind == "population_proportion":
        by_table: list[Role] = [Role("numerator", ev.table, ev.items or tuple(ConceptItem(c) for c in ev.concepts),
                                     ev.source_concepts) for ev in defn.events]
        return by_table
    cases = defn.case_items or tuple(ConceptItem(c) for c in defn.case_concepts)
    out = [Role("cases", "condition_occurrence", cases, defn.case_source_concepts)]
    p = defn.params
    if defn.kind == "new_cancer_stage_share":
        stage = p.get("stage_items") or tuple(ConceptItem(c) for c in p["stage_concepts"])
        out += [Role("stage", "measurement", stage),
                Role("stage values", "measurement", tuple(ConceptItem(c) for c in p["known_values"]))]
    else:
        ev: EventSet = p["suspicion"]
        out.append(Role("suspicion", ev.table, ev.items or tuple(ConceptItem(c) for c in ev.concepts),
                        ev.source_concepts))
    return out


def _codes_found(engine, definitions: tuple[Definition, ...]) -> dict[str, int]:
    """``"VOCABULARY:CODE"`` -> concept id, for the entries named by code, from the extract's ``concept`` table
    (codes are checked by the definitions' parser: letters, digits, '.', '-', '_', ' ')."""
    codes = {i.code for d in definitions for r in roles(d) for i in r.items if i.code}
    if not codes or not _count(engine, "SELECT COUNT(*) FROM concept"):
        return {}
    wanted = ", ".join(f"'{code.split(':', 1)[1]}'" for code in sorted(codes))
    rows = engine.query("SELECT concept_id, vocabulary_id, concept_code FROM concept "
                        f"WHERE concept_code IN ({wanted})")
    found = {f"{_text(v)}:{_text(c)}": int(i) for i, v, c in
             zip(rows["concept_id"], rows["vocabulary_id"], rows["concept_code"], strict=True)}
    return {code: found[code] for code in codes if code in found}


def _with_codes(defn: Definition, found: dict[str, int]) -> Definition:
    """``defn`` with every entry named by code given its id, or left out when the vocabulary lacks it."""
    def fix(items: tuple[ConceptItem, ...]) -> tuple[tuple[ConceptItem, ...], tuple[int, ...]]:
        kept = tuple(replace(i, concept_id=found[i.code]) if i.code in found else i for i in items
                     if not i.code or i.code in found)
        return kept, ids_of(kept)

    return _map_sets(defn, fix)


def _codes_missing(defn: Definition, found: dict[str, int]) -> list[str]:
    return sorted({i.label for r in roles(defn) for i in r.items if i.code and i.code not in found})


def _ids(values) -> str:
    return ", ".join(str(int(v)) for v in sorted(set(values)))


def _count(engine, sql: str) -> int:
    return int(engine.query(sql).iloc[0, 0] or 0)


def _vocabulary(engine, ids: set[int]) -> dict[int, tuple[str, str]] | None:
    """concept id -> (standard_concept, invalid_reason) for ``ids``; None when the extract has no vocabulary. A
    vocabulary without a ``standard_concept`` column says nothing about it: its concepts count as standard."""
    if not _count(engine, "SELECT COUNT(*) FROM concept"):
        return None
    flagged = _count(engine, "SELECT COUNT(standard_concept) FROM concept")  # 0: the column is absent
    rows = engine.query("SELECT concept_id, standard_concept, invalid_reason FROM concept "
                        f"WHERE concept_id IN ({_ids(ids)})")
    return {int(c): (_text(s) if flagged else "S", _text(r))
            for c, s, r in zip(rows["concept_id"], rows["standard_concept"], rows["invalid_reason"], strict=True)}


def _text(value) -> str:
    """A vocabulary flag as text: '' for NULL (None, or NaN as pandas gives it)."""
    return "" if value is None or value != value else str(value).strip()


def _descendants(engine, ids: set[int]) -> dict[int, set[int]] | None:
    """ancestor -> its descendants (itself included) through ``concept_ancestor``; None when it is empty."""
    if not ids or not _count(engine, "SELECT COUNT(*) FROM concept_ancestor"):
        return None
    rows = engine.query("SELECT ancestor_concept_id AS a, descendant_concept_id AS d FROM concept_ancestor "
                        f"WHERE ancestor_concept_id IN ({_ids(ids)})")
    out: dict[int, set[int]] = {i: {i} for i in ids}
    for a, d in zip(rows["a"], rows["d"], strict=True):
        out[int(a)].add(int(d))
    return out


def _expand(items: tuple[ConceptItem, ...], tree: dict[int, set[int]] | None) -> tuple[int, ...]:
    ids: set[int] = set()
    for item in items:
        ids |= (tree or {}).get(item.concept_id, {item.concept_id}) if item.include_descendants else {item.concept_id}
    return tuple(sorted(ids))


def _map_sets(defn: Definition, change) -> Definition:
    """``defn`` with ``change(items) -> (items, concept ids)`` applied to each of its concept sets that has entries
    (numerator events, cases, stage, suspicion)."""
    def one(ev: EventSet) -> EventSet:
        if not ev.items:
            return ev
        items, concepts = change(ev.items)
        return replace(ev, items=items, concepts=concepts)

    if defn.kind == "population_proportion":
        return replace(defn, events=tuple(one(ev) for ev in defn.events))
    params = dict(defn.params)
    if params.get("stage_items"):
        params["stage_items"], params["stage_concepts"] = change(params["stage_items"])
    if "suspicion" in params:
        params["suspicion"] = one(params["suspicion"])
    if not defn.case_items:
        return replace(defn, params=params)
    items, concepts = change(defn.case_items)
    return replace(defn, case_items=items, case_concepts=concepts, params=params)


def _resolved(defn: Definition, tree) -> Definition:
    """``defn`` with each concept set's ids expanded with the descendants its entries ask for."""
    return _map_sets(defn, lambda items: (items, _expand(items, tree)))


def _check(defn: Definition, report: ConceptSetReport, total: int, role: str) -> CheckResult:
    listed = {k: ", ".join(map(str, v)) or "—" for k, v in
              (("missing", report.missing), ("non_standard", report.non_standard), ("invalid", report.invalid))}
    params = {"definition": defn.id, **listed}
    if report.error:
        params = {"definition": defn.id, "missing": listed["missing"], "role": role, "variant": "error"}
    failing = len(set(report.missing) | set(report.non_standard) | set(report.invalid))
    items = tuple(params.items())
    return CheckResult(f"conceptSet.{defn.id}", "conformance", describe_check("conceptSet", "concept", "concept_id",
                                                                              params),
                       False, failing, total, 0.0, "conceptSet", "concept", "concept_id", items)


def _concept_level(engine, defns: list[Definition], tree) -> list[CheckResult]:
    """plausibleGender (a concept only one sex can have) and plausibleUnitConceptIds (the units a measurement
    may carry) for the entries of the definitions that say so."""
    specs: dict[str, tuple] = {}
    for defn in defns:
        for role in roles(defn):
            concept = EVENT_TABLES[role.table][0]
            for item in role.items:
                ids = _ids(_expand((item,), tree))
                rows = f"SELECT COUNT(*) FROM {role.table} WHERE {concept} IN ({ids})"
                if item.sex:
                    name = "plausibleGenderUseDescendants" if item.include_descendants else "plausibleGender"
                    violated = (f"SELECT COUNT(*) FROM {role.table} x JOIN person p ON p.person_id = x.person_id "
                                f"WHERE x.{concept} IN ({ids}) AND p.gender_concept_id <> "
                                f"{SEX_CONCEPTS[item.sex][0]}")
                    specs[f"{name}.{role.table}.{item.concept_id}"] = (
                        name, role.table, concept, violated, rows, 0.05,
                        (("concept", str(item.concept_id)), ("sex", item.sex)))
                if item.units is not None and role.table == "measurement":
                    unit = "COALESCE(unit_concept_id, 0)"
                    bad = f"{unit} NOT IN ({_ids(item.units)})" if item.units else f"{unit} <> 0"
                    params = (("concept", str(item.concept_id)), ("units", _ids(item.units)) if item.units
                              else ("variant", "none"))
                    specs[f"plausibleUnitConceptIds.measurement.{item.concept_id}"] = (
                        "plausibleUnitConceptIds", "measurement", "unit_concept_id", f"{rows} AND {bad}", rows, 0.05,
                        params)
    if not specs:
        return []
    queries = {f"v{i}": s[3] for i, s in enumerate(specs.values())}
    queries.update({f"c{i}": s[4] for i, s in enumerate(specs.values())})
    n = _counts(engine, queries)
    return [CheckResult(key, "plausibility", describe_check(name, table, fld, dict(params)), False, n[f"v{i}"],
                        n[f"c{i}"], share, name, table, fld, params)
            for i, (key, (name, table, fld, _v, _c, share, params)) in enumerate(specs.items())]


def resolve_concept_sets(engine, definitions: tuple[Definition, ...]
                         ) -> tuple[tuple[Definition, ...], list[ConceptSetReport], list[CheckResult]]:
    """(the definitions that can be computed, their concept sets expanded; a report per definition; the checks).

    A definition left out has ``error`` set in its report and a failing ``conceptSet`` check naming it. Entries
    named by vocabulary and code get their id from the extract's vocabulary first; one it lacks is missing."""
    found = _codes_found(engine, definitions)
    by_code = {d.id: _codes_missing(d, found) for d in definitions}
    definitions = tuple(_with_codes(d, found) for d in definitions)
    every = {i.concept_id for d in definitions for r in roles(d) for i in r.items}
    sources = {s for d in definitions for r in roles(d) for s in r.sources}
    wanted = {i.concept_id for d in definitions for r in roles(d) for i in r.items if i.include_descendants}
    vocabulary = _vocabulary(engine, every | sources) if every | sources else None
    tree = _descendants(engine, wanted)
    checks: list[CheckResult] = []
    if vocabulary is None:
        n = len(every | sources)
        checks.append(CheckResult("conceptVocabulary", "conformance", describe_check("conceptVocabulary",
                                   params={"n": str(n)}), False, n, n, 0.0, "conceptVocabulary", "concept", "",
                                   (("n", str(n)),)))
    if wanted and tree is None:
        checks.append(CheckResult("conceptAncestor", "conformance", describe_check("conceptAncestor",
                                  params={"n": str(len(wanted))}), False, len(wanted), len(wanted), 0.0,
                                  "conceptAncestor", "concept_ancestor", "", (("n", str(len(wanted))),)))
    usable, reports = [], []
    for defn in definitions:
        report, error_role, ids = ConceptSetReport(defn.id), "", set()
        report.missing += by_code[defn.id]
        named: dict[str, set[int]] = {}  # role name -> its concepts (the numerator's event sets together)
        for role in roles(defn):
            standard = [i.concept_id for i in role.items]
            ids |= set(standard) | set(role.sources)
            named.setdefault(role.name, set()).update(standard, role.sources)
            if vocabulary is None:
                continue
            report.missing += [c for c in [*standard, *role.sources] if c not in vocabulary]
            report.non_standard += [c for c in standard if c in vocabulary and vocabulary[c][0] != "S"]
            report.invalid += [c for c in [*standard, *role.sources] if c in vocabulary and vocabulary[c][1]]
        # a set left with no concept at all (its entries named by codes the vocabulary lacks), or whose every concept
        # is missing from the vocabulary, cannot be counted
        error_role = next((name for name, concepts in named.items() if not concepts), "")
        if vocabulary is not None and not error_role:
            error_role = next((name for name, concepts in named.items() if not concepts & set(vocabulary)), "")
        report.missing = sorted(set(report.missing), key=lambda c: (isinstance(c, str), str(c).zfill(12)))
        report.non_standard, report.invalid = sorted(set(report.non_standard)), sorted(set(report.invalid))
        resolved = _resolved(defn, tree)
        before = sum(len(r.items) for r in roles(defn))
        report.descendants_added = sum(len(_expand(r.items, tree)) for r in roles(defn)) - before
        if error_role:
            report.error = (f"{defn.id} not computed: every concept of its {error_role} concept set is missing from "
                            f"the extract's vocabulary ({', '.join(map(str, report.missing))})")
        else:
            usable.append(resolved)
        reports.append(report)
        if vocabulary is not None:
            checks.append(_check(defn, report, len(ids), error_role))
    checks += _concept_level(engine, usable, tree)
    return tuple(usable), reports, checks
