"""The Real-world data page under AppTest: before any run, and after a run on the hand-made extract."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.access import SYSTEM
from data_sources.seed import init_store
from readmodel import ReadPolicy
from readmodel.rwd import latest_rwd_run
from rwd.compute import compute, write
from rwd.engines import DuckDBEngine
from store import make_engine
from tests.rwd_fixture import write_extract

ROOT = Path(__file__).resolve().parents[2]


def _page(monkeypatch, db_url: str, mode: str) -> AppTest:
    import streamlit

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", mode)
    streamlit.cache_resource.clear()  # a server started in this mode: its settings and read policy with it
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/real_world_data.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _store_with_one_run(db_url: str, tmp_path: Path):
    """The store with one real-world-data run: the hand-checked extract computed for 2024 on DuckDB."""
    store = init_store(make_engine(db_url))
    engine = DuckDBEngine()
    try:
        write(store, compute(engine, write_extract(tmp_path / "cdm"), ["2024"], synthetic=False), SYSTEM)
    finally:
        engine.close()
    return store


def _unescaped(body: str) -> str:
    """A Markdown body as the reader sees it: text from data is escaped (``core.text.plain``), ``\\_`` shows ``_``
    and the invisible word joiner before an ``@`` shows nothing."""
    return re.sub(r"\\(.)", r"\1", body).replace("\u2060", "")


def _text(at: AppTest) -> str:
    return _unescaped(" ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.metric]))


def test_page_before_any_run_says_how_to_compute(monkeypatch, db_url):
    at = _page(monkeypatch, db_url, "public")
    assert "python -m rwd compute --cdm FOLDER" in _text(at)


def test_page_shows_extract_coverage_quality_and_definitions(monkeypatch, db_url, tmp_path):
    store = _store_with_one_run(db_url, tmp_path)
    at = _page(monkeypatch, db_url, "public")
    text = _text(at)
    assert "**Extract:** Test extract, as of Dec 31, 2025" in text
    assert "rwd_breast_screening_coverage_pct@1" in text and "to confirm against the current Ministry" in text
    frames = [d.value for d in at.dataframe]
    summary = next(f for f in frames if "definition" in f)
    coverage = next(f for f in frames if "persons" in f)
    checks = next(f for f in frames if "failing" in f)
    assert set(summary["definition"]) == {
        "rwd_breast_screening_coverage_pct@1", "rwd_cervical_screening_coverage_pct@1",
        "rwd_colorectal_screening_coverage_pct@1", "rwd_youth_tobacco_use_recorded_pct@2",
        "rwd_cancer_stage_iv_share_pct@1", "rwd_days_suspicion_to_diagnosis_median@1"}
    persons = dict(zip(coverage["region"].fillna("none"), coverage["persons"], strict=True))
    failing = dict(zip(checks["id"], checks["failing"], strict=True))
    # 3 persons without a region is a small number: blank in the public instance; 56 and 41 are shown
    assert (persons["KZ-75"], persons["KZ-71"]) == (56, 41) and persons["none"] != persons["none"]
    assert failing["person_placed.2024"] != failing["person_placed.2024"]
    assert "persons placed in one of the 20 current regions in 2024 (at least 95 %)" in set(checks["description"])
    assert "**Status:** real records, declared by the operator (`--real`)." in text
    unplaced = next(f for f in frames if "reason" in f)  # why 3 persons are not counted, the count blanked
    assert list(unplaced["reason"]) == ["no location (person.location_id empty or not in location)"]
    assert unplaced["persons"].isna().all()
    assert "Persons without a current region are counted nowhere, not even in the national value" in text
    assert "warning" in set(checks["result"])
    # reported as the OHDSI Data Quality Dashboard does: type, table, field, rows violated and checked, share,
    # threshold (person 17's back-to-back observation periods: 1 of the 100 persons, threshold 0)
    overlap = checks.set_index("id").loc["measureObservationPeriodOverlap.observation_period"]
    assert (overlap["check_name"], overlap["table"], overlap["total"], overlap["max_share"]) == (
        "measureObservationPeriodOverlap", "observation_period", 100, 0.0)
    assert overlap["result"] == "warning" and overlap["share"] != overlap["share"]  # 1 is blanked, so is its share
    # internal readers get the exact counts from the same read model
    internal = latest_rwd_run(store, ReadPolicy(public=False))
    assert {c["region"]: c["persons"] for c in internal["coverage"]} == {"KZ-75": 56, "KZ-71": 41, None: 3}
    assert {c["id"]: c["failing"] for c in internal["checks"]}["person_placed.2024"] == 3
    assert internal["placement"][0]["unplaced"] == [{"reason": "no_location", "value": None, "persons": 3}]


def test_quality_checks_and_dates_are_shown_in_the_readers_language(monkeypatch, db_url, tmp_path):
    import ui.context

    _store_with_one_run(db_url, tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    ui.context.settings.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "ru"
    at.run()
    at.switch_page("pages/real_world_data.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "по состоянию на 31 дек. 2025\u202fг.)" in _text(at)
    checks = next(d.value for d in at.dataframe if "failing" in d.value).set_index("id")
    assert checks.loc["person_id_unique", "description"] == "person_id в таблице person не повторяется"
    assert checks.loc["age_0_120", "description"] == "возраст от 0 до 120 лет на 31 дек. 2025\u202fг."
    assert checks.loc["required_columns.person", "description"] == "в таблице person есть все обязательные столбцы"
    assert set(checks["category"]) == {"соответствие", "полнота", "правдоподобие"}


def test_a_stored_check_description_is_translated_with_what_was_missing():
    from rwd.quality import check_description

    stored = {"id": "required_columns.person", "description": "person has its required columns; missing: year_of_birth"}
    assert check_description(stored, "2025-12-31", "kk") == ("person кестесінде барлық міндетті бағандар бар; жоқ: "
                                                              "year_of_birth")
    assert check_description(stored, "2025-12-31", "en") == stored["description"]
    unknown = {"id": "new_check", "description": "a check from a later version"}
    assert check_description(unknown, "2025-12-31", "ru") == unknown["description"]


def test_a_definition_the_run_could_not_compute_is_named_on_the_page(monkeypatch, db_url, tmp_path):
    from tests.rwd_fixture import MAMMO, tables

    concept = tables()["concept"]
    store = init_store(make_engine(db_url))
    engine = DuckDBEngine()
    try:
        folder = write_extract(tmp_path / "cdm", concept=concept[concept["concept_id"] != MAMMO])
        write(store, compute(engine, folder, ["2024"], synthetic=False), SYSTEM)
    finally:
        engine.close()
    at = _page(monkeypatch, db_url, "public")
    warnings = _unescaped(" ".join(str(w.value) for w in at.warning))
    assert "rwd_breast_screening_coverage_pct was not computed by the last run" in warnings and "4324693" in warnings
