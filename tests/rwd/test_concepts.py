"""Concept sets as OHDSI resolves them, on the hand-made 42-person extract (tests/rwd_fixture.py) with its
vocabulary changed: missing, non-standard and invalid concepts reported per definition, a definition whose concepts
are all missing not computed (named, never a 0), descendants through concept_ancestor, source concept ids."""

from __future__ import annotations

import pandas as pd
import pytest

from core.access import SYSTEM
from data_sources.seed import init_store
from readmodel import ReadPolicy, observations
from rwd.compute import compute, write
from rwd.definitions import DefinitionError, load_definitions, parse_definition
from rwd.engines import DuckDBEngine
from store import make_engine
from tests.rwd_fixture import HPV, MAMMO, PAP, PERSONS, TOBACCO, tables, write_extract

BREAST, CERVICAL, TOBACCO_DEF = ("rwd_breast_screening_coverage_pct", "rwd_cervical_screening_coverage_pct",
                                 "rwd_youth_tobacco_use_recorded_pct")
VAPING = 99000001  # a made-up descendant of Tobacco user, recorded for person 29 only


def _run(folder, definitions=None):
    engine = DuckDBEngine()
    try:
        return compute(engine, folder, ["2024"], definitions=definitions, synthetic=False)
    finally:
        engine.close()


def _counts(result, indicator):
    rows = result.rows[indicator]
    return {r: (n, d) for r, n, d in zip(rows["region"], rows["numerator"], rows["denominator"], strict=True)}


@pytest.fixture(scope="module")
def broken_vocabulary(tmp_path_factory):
    """Mammography missing from the vocabulary, cervical smear not standard, the HPV test invalid."""
    concept = tables()["concept"]
    concept = concept[concept["concept_id"] != MAMMO].copy()
    concept.loc[concept["concept_id"] == PAP, "standard_concept"] = None
    concept.loc[concept["concept_id"] == HPV, "invalid_reason"] = "D"
    return _run(write_extract(tmp_path_factory.mktemp("vocab"), concept=concept))


def test_a_definition_whose_concepts_are_all_missing_is_named_and_not_computed(broken_vocabulary, tmp_path):
    result = broken_vocabulary
    assert BREAST not in result.rows  # no row at all, not a 0
    report = {c.definition: c for c in result.concept_sets}
    assert report[BREAST].missing == [MAMMO] and report[BREAST].error.startswith(f"{BREAST} not computed")
    check = {c.id: c for c in result.extract.checks}[f"conceptSet.{BREAST}"]
    assert (check.failing, check.total, check.passed) == (1, 1, False)
    assert check.description == (f"{BREAST} not computed: every concept of its numerator events is missing from the "
                                 "extract's vocabulary (4324693)")
    stored = result.report(load_definitions())
    assert next(d for d in stored["definitions"] if d["id"] == BREAST)["error"] == report[BREAST].error
    store = init_store(make_engine(f"sqlite:///{tmp_path / 'store.db'}"))
    write(store, result, SYSTEM)
    written = observations(store, ReadPolicy(public=False))
    assert BREAST not in set(written["indicator_id"]) and CERVICAL in set(written["indicator_id"])


def test_non_standard_and_invalid_concepts_are_reported_and_still_counted(broken_vocabulary):
    report = {c.definition: c for c in broken_vocabulary.concept_sets}[CERVICAL]
    assert (report.missing, report.non_standard, report.invalid, report.error) == ([], [PAP], [HPV], None)
    check = {c.id: c for c in broken_vocabulary.extract.checks}[f"conceptSet.{CERVICAL}"]
    assert (check.failing, check.total) == (2, 2)
    assert "not standard (4059545) or invalid (3037975)" in check.description
    # the numbers are those of tests/rwd/test_definitions.py: reported, not silently dropped; national = the placed
    assert _counts(broken_vocabulary, CERVICAL) == {"KZ-75": (2, 16), "KZ-71": (0, 3), "KZ": (2, 19)}


def test_a_clean_vocabulary_reports_nothing_missing(tmp_path):
    result = _run(write_extract(tmp_path / "cdm"))
    for report in result.concept_sets:
        if report.definition != TOBACCO_DEF:
            assert (report.missing, report.non_standard, report.invalid, report.error) == ([], [], [], None)
    checks = {c.id: c for c in result.extract.checks}
    # the tobacco set asks for descendants, the extract has no concept_ancestor: said, not ignored
    assert (checks["conceptAncestor"].failing, checks["conceptAncestor"].passed) == (1, False)


def _with_vaping(folder, ancestor: bool):
    persons = {**PERSONS, 29: (*PERSONS[29][:5], [*PERSONS[29][5], ("observation", VAPING, "2024-03-03")])}
    changes = {}
    if ancestor:  # concept_ancestor lists every concept as its own descendant, as OMOP vocabularies do
        changes["concept_ancestor"] = pd.DataFrame({
            "ancestor_concept_id": [TOBACCO, TOBACCO, VAPING], "descendant_concept_id": [TOBACCO, VAPING, VAPING],
            "min_levels_of_separation": [0, 1, 0], "max_levels_of_separation": [0, 1, 0]})
    return _run(write_extract(folder, persons=persons, **changes))


def test_descendants_are_included_through_concept_ancestor(tmp_path):
    # ages 13-24, tobacco use recorded in 2024 (tests/rwd/test_definitions.py): KZ-75 is 28 (counted) and 29
    # (Tobacco user in December 2023 only): 1 of 2. Person 29's 2024 record of a descendant counts with
    # concept_ancestor (2 of 2, Kazakhstan 3 of 3: the sum of the placed), not without it.
    with_tree = _with_vaping(tmp_path / "a", ancestor=True)
    assert _counts(with_tree, TOBACCO_DEF)["KZ-75"] == (2, 2) and _counts(with_tree, TOBACCO_DEF)["KZ"] == (3, 3)
    assert {c.definition: c for c in with_tree.concept_sets}[TOBACCO_DEF].descendants_added == 1
    assert "conceptAncestor" not in {c.id for c in with_tree.extract.checks}
    without = _with_vaping(tmp_path / "b", ancestor=False)
    assert _counts(without, TOBACCO_DEF)["KZ-75"] == (1, 2)


def _breast(**events) -> tuple:
    return (parse_definition({
        "id": BREAST, "version": 1, "kind": "population_proportion", "title": "breast",
        "population": {"sex": "female", "age_min": 40, "age_max": 70},
        "numerator": {"lookback_years": 2, "events": [{"table": "procedure_occurrence", **events}]}}),)


def test_source_concept_ids_match_the_source_concept_column(tmp_path):
    # person 14 (woman, 1970, Astana) has a mammography coded only in the source vocabulary (concept 0)
    local = 2000000101
    base = tables()
    proc = pd.concat([base["procedure_occurrence"].assign(procedure_source_concept_id=None),
                      pd.DataFrame([{"procedure_occurrence_id": 99, "person_id": 14, "procedure_concept_id": 0,
                                     "procedure_date": "2024-06-06", "procedure_source_concept_id": local}])],
                     ignore_index=True).astype({"procedure_source_concept_id": "Int64"})
    concept = pd.concat([base["concept"], pd.DataFrame([{"concept_id": local, "concept_name": "local mammography code",
                                                      "domain_id": "Procedure", "standard_concept": None}])])
    folder = write_extract(tmp_path / "cdm", procedure_occurrence=proc, concept=concept)
    # KZ-71 (tests/rwd/test_definitions.py): 13 (screened), 14, 38 -> 1 of 3; with the source code 2 of 3
    assert _counts(_run(folder, _breast(concepts=[MAMMO])), BREAST)["KZ-71"] == (1, 3)
    both = _run(folder, _breast(concepts=[MAMMO], source_concepts=[local]))
    assert _counts(both, BREAST)["KZ-71"] == (2, 3)
    report = both.concept_sets[0]
    assert (report.missing, report.non_standard, report.error) == ([], [], None)  # a source concept is not standard
    # a standard concept missing from the vocabulary with a source concept that is there: computed from the source
    only_source = _run(folder, _breast(concepts=[123456789], source_concepts=[local]))
    assert only_source.concept_sets[0].missing == [123456789] and only_source.concept_sets[0].error is None
    assert _counts(only_source, BREAST)["KZ-71"] == (1, 3)


def test_without_a_vocabulary_the_concepts_are_said_to_be_unverified(tmp_path):
    folder = write_extract(tmp_path / "cdm")
    (folder / "concept.csv").unlink()
    result = _run(folder)
    check = {c.id: c for c in result.extract.checks}["conceptVocabulary"]
    assert not check.passed and check.failing == check.total > 0
    assert set(result.rows) == {d.id for d in load_definitions()}


@pytest.mark.parametrize("change, message", [
    ({"concept": [1]}, "unknown key"),
    ({"concepts": [{"concept_id": 1, "include_descendant": True}]}, "unknown key"),
    ({"concepts": [{"concept_id": 1, "include_descendants": "yes"}]}, "true or false"),
    ({"concepts": [{"concept_id": 1, "sex": "woman"}]}, "sex must be"),
    ({"concepts": [{"include_descendants": True}]}, "give either concept_id or vocabulary_id and concept_code"),
    ({"concepts": [1], "source_concepts": ["x"]}, "whole numbers"),
])
def test_concept_sets_are_read_strictly(change, message):
    with pytest.raises(DefinitionError, match=message):
        _breast(**change)


def test_unknown_keys_are_refused_at_every_level():
    entry = {"id": "x", "version": 1, "kind": "new_cancer_stage_share", "title": "x", "cases": {"concepts": [1]},
             "stage": {"concepts": [2], "known_values": [3], "stage_iv_values": [3], "days_befor": 30}}
    with pytest.raises(DefinitionError, match="days_befor"):
        parse_definition(entry)
    fixed = {**entry, "stage": {k: v for k, v in entry["stage"].items() if k != "days_befor"}}
    assert parse_definition(fixed).params["stage_concepts"] == (2,)
    with pytest.raises(DefinitionError, match="numerator"):  # a key of another kind of definition
        parse_definition({**fixed, "numerator": {}})


ECIG_CODE = {"vocabulary_id": "SNOMED", "concept_code": "722499006"}  # Electronic cigarette user (finding)
ECIG_ID = 99000002  # the id this extract's vocabulary gives it (ids differ between vocabulary releases)


def _with_vaping_by_code(folder, in_vocabulary: bool):
    """Person 29 (KZ-75, 13-24) has an e-cigarette record in 2024 only; the youth tobacco definition names that
    concept by its SNOMED code, so it counts exactly when the extract's vocabulary has the code."""
    persons = {**PERSONS, 29: (*PERSONS[29][:5], [*PERSONS[29][5], ("observation", ECIG_ID, "2024-03-03")])}
    concept = tables(persons)["concept"].assign(vocabulary_id="SNOMED", concept_code=None)
    if in_vocabulary:
        concept.loc[concept["concept_id"] == ECIG_ID, "concept_code"] = ECIG_CODE["concept_code"]
    else:
        concept = concept[concept["concept_id"] != ECIG_ID]
    return _run(write_extract(folder, persons=persons, concept=concept))


def test_a_concept_named_by_its_code_takes_its_id_from_the_extracts_vocabulary(tmp_path):
    found = _with_vaping_by_code(tmp_path / "a", in_vocabulary=True)
    # KZ-75: 28 counted as before, 29 now counted through the code's id: 2 of 2
    assert _counts(found, TOBACCO_DEF)["KZ-75"] == (2, 2)
    report = {c.definition: c for c in found.concept_sets}[TOBACCO_DEF]
    assert "SNOMED 722499006" not in report.missing and report.error is None
    missing = _with_vaping_by_code(tmp_path / "b", in_vocabulary=False)
    assert _counts(missing, TOBACCO_DEF)["KZ-75"] == (1, 2)  # not counted, and said
    report = {c.definition: c for c in missing.concept_sets}[TOBACCO_DEF]
    assert report.missing == ["SNOMED 722499006"] and report.error is None  # the other concepts still count
    check = {c.id: c for c in missing.extract.checks}[f"conceptSet.{TOBACCO_DEF}"]
    assert "SNOMED 722499006" in check.description


def test_a_set_of_codes_the_vocabulary_lacks_is_not_computed_even_without_a_vocabulary(tmp_path):
    definition = _breast(concepts=[{**ECIG_CODE, "name": "not a mammography at all"}])
    folder = write_extract(tmp_path / "cdm")
    result = _run(folder, definition)
    assert BREAST not in result.rows or result.rows[BREAST].empty
    assert result.concept_sets[0].error and "SNOMED 722499006" in result.concept_sets[0].error
    (folder / "concept.csv").unlink()  # no vocabulary at all: the code cannot be resolved, never a silent 0
    result = _run(folder, definition)
    assert result.concept_sets[0].error and (BREAST not in result.rows or result.rows[BREAST].empty)


@pytest.mark.parametrize("entry", [
    {"concept_id": 4324693, **ECIG_CODE},                  # both an id and a code
    {"vocabulary_id": "SNOMED"},                           # a vocabulary without a code
    {"vocabulary_id": "SNOMED", "concept_code": "7224'; DROP TABLE person; --"},
])
def test_a_concept_entry_names_its_concept_one_way(entry):
    with pytest.raises(DefinitionError):
        _breast(concepts=[entry])
