"""The framework file is read whole and strictly: Russian and Kazakh names keep their commas (issue 20, item 1),
and a file with a key the format does not know, or an empty name in any language, is refused as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kpi import ValidationError, list_kpis, load_framework_text, parse_framework
from kpi.framework import KPI_KEYS, read_framework_file
from tests.kpi_helpers import ADMIN, FRAMEWORK, kpi_engine

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "kpi_framework.yaml"

# The five names the issue found cut at their first comma, as the framework's authors wrote them.
FULL_RU = {
    "ed_stage_iv_share_pct": "Доля рака, выявленного на IV стадии",
    "rwe_registries_linked": "Регистры заболеваний, подключённые к единой платформе данных здравоохранения",
    "yhp_young_people_reached": "Молодые люди, охваченные занятиями по профилактике НИЗ",
    "sd_maintenance_staff_trained": "Медработники, обученные обслуживанию диагностического оборудования",
    "sd_national_cofinancing_pct": "Доля расходов программы, софинансируемых из республиканского бюджета",
}


def test_the_example_framework_has_no_stray_keys_when_read_by_plain_yaml():
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for entry in doc["kpis"]:
        assert set(entry) <= set(KPI_KEYS), entry["id"]
        for part in ("name", "unit_label"):
            assert set(entry[part]) == {"en", "ru", "kk"}, (entry["id"], part, list(entry[part]))
            assert all(isinstance(v, str) and v.strip() for v in entry[part].values()), (entry["id"], part)


def test_russian_names_keep_their_commas():
    by_id = {k.id: k for k in read_framework_file(EXAMPLE)}
    for kpi_id, name in FULL_RU.items():
        assert by_id[kpi_id].name("ru") == name
    assert by_id["ed_stage_iv_share_pct"].name("kk") == "IV сатыда анықталған обыр үлесі"


def test_the_flow_mapping_that_cut_the_names_is_refused_naming_kpi_and_key():
    text = FRAMEWORK.replace("name: {en: Screening coverage, ru: Охват скринингом, kk: Скринингпен қамту}",
                             "name: {en: Screening coverage, ru: Охват, скринингом, kk: Скринингпен қамту}")
    with pytest.raises(ValidationError) as err:
        parse_framework(text)
    assert err.value.field == "KPI coverage_pct: name"
    assert "'скринингом'" in err.value.reason


@pytest.mark.parametrize(("old", "new", "field", "word"), [
    ("    aggregation: cumulative\n", "    aggregation: cumulative\n    colour: red\n", "KPI people_reached",
     "'colour'"),
    ("name: {en: Waiting days}", "name: {en: Waiting days, ru: ''}", "KPI wait_days: name.ru", "non-empty"),
    ("name: {en: People reached}", "name: {en: People reached, kk: }", "KPI people_reached: name.kk", "non-empty"),
    ("name: {en: Waiting days}", "name: {en: Waiting days, de: Wartetage}", "KPI wait_days: name", "'de'"),
    ("target: {value: 14, date: 2027-12-31}", "target: {value: 14, date: 2027-12-31, by: ministry}",
     "KPI wait_days: target", "'by'"),
    ("illustrative: false\n", "illustrative: false\nversion: 2\n", "test framework", "'version'"),
])
def test_a_malformed_framework_is_rejected_whole_and_the_stored_one_kept(db_url, old, new, field, word):
    engine = kpi_engine(db_url)
    before = [(k.id, k.names) for k in list_kpis(engine)]
    bad = FRAMEWORK.replace(old, new).replace("Screening coverage", "Renamed coverage")
    assert bad != FRAMEWORK.replace("Screening coverage", "Renamed coverage")
    with pytest.raises(ValidationError) as err:
        load_framework_text(engine, ADMIN, bad, "test framework")
    assert err.value.field == field and word in err.value.reason
    assert [(k.id, k.names) for k in list_kpis(engine)] == before


def test_a_store_seeded_with_the_cut_names_gets_the_full_names(db_url):
    from dataclasses import replace

    from core.access import SYSTEM
    from kpi import ensure_kpi_schema
    from kpi.framework import store_framework
    from kpi.seed import EXAMPLE_FRAMEWORK, EXAMPLE_REASON, _ready, refresh_example_names
    from store import make_engine

    engine = ensure_kpi_schema(make_engine(db_url), seed=False)
    cut = [replace(k, names={**k.names, "ru": k.names["ru"].split(",")[0]})
           for k in read_framework_file(EXAMPLE_FRAMEWORK)]
    store_framework(engine, SYSTEM, cut, reason=EXAMPLE_REASON)
    assert {k.id: k.name("ru") for k in list_kpis(engine)}["ed_stage_iv_share_pct"] == "Доля рака"
    assert refresh_example_names(engine) and not refresh_example_names(engine)
    assert {k.id: k.name("ru") for k in list_kpis(engine)}["ed_stage_iv_share_pct"] == FULL_RU["ed_stage_iv_share_pct"]
    load_framework_text(engine, ADMIN, FRAMEWORK, "partner framework")  # an admin's own framework is left alone
    assert not refresh_example_names(engine)
    _ready.discard(str(engine.url))
