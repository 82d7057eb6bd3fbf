"""Issue 21 §1: no person in any public number or text — statistics over a few people, rounded rates, complements,
differencing through revisions, notes with a person in them — on the read model and on every HTTP route.

Hostile rows are written in each test through the one write path (``store.revisions``), in a period of their own
(2031) so the seeded snapshot plays no part."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

import readmodel
from catalogue import load_catalogue
from core.access import Identity
from core.config import load_settings
from store.revisions import write_observations
from tests.open_data_helpers import csv_rows, route_client

EDITOR = Identity("aigerim.editor", "editor")
MEDIAN = "rwd_days_suspicion_to_diagnosis_median"
SCREENING = "breast_cancer_screening_coverage_pct"
NEW_CASES = "cancer_new_cases_count"
PERIOD = "2031"
T0 = datetime(2031, 1, 5, tzinfo=UTC)
API_SOURCE = {"id": "test-api", "title": "Test API", "publisher": "Test", "url": "https://stat.gov.kz/test",
              "licence": "CC BY 4.0", "kind": "api"}
UPLOAD_SOURCE = {"id": "upload-test", "title": "aigerim's table", "publisher": "aigerim.editor", "url": None,
                 "licence": "as agreed", "kind": "upload"}
PERSON_NOTE = ("Пациентка Иванова Айгерим Сериковна, ИИН 850101400123; Нұрланқызы Айым Ерланқызы; Jane Smith, "
               "tel. +7 (701) 123-45-67 or 8 727 234 56 78, ivanova@mail.kz, http://intranet.moh.local/case/77 "
               "— see https://stat.gov.kz/ru/industries/")
CONNECTOR_NOTE = ("Revised by the publisher; ИИН 850101400123, call +7 (701) 123-45-67 or 8 727 234 56 78, "
                  "ivanova@mail.kz, http://intranet.moh.local/case/77 — see https://stat.gov.kz/ru/industries/")
SECRETS = ("850101400123", "123-45-67", "234 56 78", "ivanova@mail.kz", "intranet.moh.local")
NAMES = ("Иванова", "Айгерим", "Нұрланқызы", "Jane Smith")


def policy(mode: str = "public") -> readmodel.ReadPolicy:
    return readmodel.policy_for(load_settings(env={"DENSAULYQ_MODE": mode}), load_catalogue())


def write(store, rows: list[dict], source: dict = API_SOURCE, at: datetime = T0) -> None:
    frame = pd.DataFrame([{"period": PERIOD, "numerator": None, "denominator": None, "note": None, **r} for r in rows])
    write_observations(store, frame, source, EDITOR, at=at)


def public_rows(store, indicator: str) -> pd.DataFrame:
    return readmodel.observations(store, policy(), indicator, PERIOD).set_index("region")


@pytest.fixture()
def app_store(monkeypatch, store, db_url):
    """The store the HTTP routes of a public instance read."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DENSAULYQ_MODE", "public")
    return store


def test_a_median_over_one_patient_is_suppressed_with_its_denominator_and_no_count_in_the_note(app_store):
    """Before: 'median over 1 of 1 new cancers', suppressed=false, for a region and for Kazakhstan."""
    note = "median over 1 of 1 new cancers with a recorded suspicion"
    write(app_store, [{"indicator_id": MEDIAN, "region": "KZ-75", "value": 41.0, "denominator": 1.0, "note": note},
                      {"indicator_id": MEDIAN, "region": "KZ-71", "value": 30.0, "denominator": 25.0},
                      {"indicator_id": MEDIAN, "region": "KZ-79", "value": 35.0, "denominator": 40.0},
                      {"indicator_id": MEDIAN, "region": "KZ", "value": 33.0, "denominator": 66.0}])
    internal = readmodel.observations(app_store, policy("internal"), MEDIAN, PERIOD).set_index("region")
    assert internal.loc["KZ-75", "value"] == 41 and internal.loc["KZ-75", "denominator"] == 1
    rows = public_rows(app_store, MEDIAN)
    one = rows.loc["KZ-75"]
    assert one["suppressed"] and pd.isna(one["value"]) and pd.isna(one["denominator"])
    assert "1 of 1" not in str(one["note"])
    assert rows.loc["KZ-71", "suppressed"]  # KZ's 66 − 40 − 25 would give the 1 back: the next smallest goes too
    assert not rows.loc["KZ-79", "suppressed"] and rows.loc["KZ-79", "denominator"] == 40
    with route_client() as client:
        as_json = client.get("/api/v1/observations", params={"indicator": MEDIAN, "period": PERIOD}).json()["data"]
        as_csv = client.get("/api/v1/observations", params={"indicator": MEDIAN, "period": PERIOD,
                                                            "format": "csv"}).text
        package = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/datapackage.zip").content))
        packaged = package.read("observations.csv").decode()
        embedded = client.get("/embed/map", params={"indicator": MEDIAN, "period": PERIOD}).text
    assert "35.0 " in embedded and "41.0 " not in embedded  # hover labels: "35.0 days" for KZ-79, nothing for KZ-75
    served = {r["region"]: r for r in as_json}
    assert served["KZ-75"]["suppressed"] and served["KZ-75"]["value"] is None
    assert served["KZ-75"]["denominator"] is None
    assert {r["region"]: r["value"] for r in csv_rows(as_csv)}["KZ-75"] == ""
    packaged_rows = [r for r in csv_rows(packaged) if r["indicator_id"] == MEDIAN and r["period"] == PERIOD]
    assert {r["region"]: (r["value"], r["denominator"]) for r in packaged_rows}["KZ-75"] == ("", "")
    for text in (json.dumps(as_json, ensure_ascii=False), as_csv, packaged):
        assert "1 of 1" not in text


def test_the_computed_median_note_states_no_count():
    from rwd.aggregate import _median_rows
    from rwd.definitions import load_definitions

    defn = next(d for d in load_definitions() if d.id == MEDIAN)
    hist = pd.DataFrame({"region": ["KZ-75", "KZ-75"], "days": [41, None], "n": [1, 1]})
    rows = _median_rows(defn, PERIOD, hist)
    assert rows and all(not any(ch.isdigit() for ch in r["note"]) for r in rows)


@pytest.mark.parametrize(("value", "denominator", "suppressed"), [
    (0.07, 5555, True),     # 0.065 … 0.075 % of 5,555: 3.6 … 4.2 women, i.e. 4 (before: published)
    (5.0, 200, True),       # rounded to a whole per cent: 4.5 … 5.5 % of 200 is 9 … 11 women, maybe 9
    (0.3, 5555, False),     # 16.4 … 17.2 women: 17, not small
    (6.0, 200, False),      # 5.5 … 6.5 % of 200: 11 … 13 women
])
def test_a_rounded_rate_without_numerator_is_suppressed_when_its_count_may_be_small(store, value, denominator,
                                                                                     suppressed):
    write(store, [{"indicator_id": SCREENING, "region": "KZ-62", "value": value, "denominator": float(denominator)},
                  {"indicator_id": SCREENING, "region": "KZ-71", "value": 40.0, "numerator": 400.0,
                   "denominator": 1000.0}])
    row = public_rows(store, SCREENING).loc["KZ-62"]
    assert bool(row["suppressed"]) is suppressed
    assert pd.isna(row["value"]) if suppressed else row["value"] == value
    assert pd.isna(row["numerator"])  # the count read for the rule is never shown


@pytest.mark.parametrize(("numerator", "denominator", "suppressed"), [(12, 15, True), (12, 40, False),
                                                                       (15, 15, True)])
def test_a_share_whose_complement_is_small_is_suppressed(store, numerator, denominator, suppressed):
    """12 of 15 women screened tells that 3 were not (before: published)."""
    write(store, [{"indicator_id": SCREENING, "region": "KZ-43", "value": 100 * numerator / denominator,
                   "numerator": float(numerator), "denominator": float(denominator)}])
    row = public_rows(store, SCREENING).loc["KZ-43"]
    assert bool(row["suppressed"]) is suppressed
    assert pd.isna(row["numerator"]) if suppressed else row["numerator"] == numerator


def _screening(region: str, numerator: float, denominator: float = 50_000.0) -> dict:
    return {"indicator_id": SCREENING, "region": region, "value": 100 * numerator / denominator,
            "numerator": numerator, "denominator": denominator}


def test_a_change_of_a_total_below_the_threshold_is_suppressed_in_the_public_revision_history(store):
    """A suppressed region 4 -> 6 changes the national total 1,004 -> 1,006: the +2 is not published."""
    write(store, [_screening("KZ-43", 4), _screening("KZ-71", 500), _screening("KZ-75", 500),
                  _screening("KZ", 1004, 150_000.0)])
    write(store, [_screening("KZ-43", 6), _screening("KZ", 1006, 150_000.0)], at=T0 + timedelta(days=1))
    write(store, [_screening("KZ-71", 600), _screening("KZ", 1106, 150_000.0)], at=T0 + timedelta(days=2))
    history = readmodel.revisions(store, policy(), SCREENING)
    national = history[history["region"] == "KZ"].sort_values("changed_at")
    small, large = national.iloc[0], national.iloc[1]
    assert small["suppressed"] and pd.isna(small["old_value"]) and pd.isna(small["new_value"])
    assert not large["suppressed"] and large["new_value"] == pytest.approx(100 * 1106 / 150_000)
    assert "old_note" not in history and "changed_by" not in history
    internal = readmodel.revisions(store, policy("internal"), SCREENING)
    assert (internal["region"] == "KZ").sum() == 2 and internal["old_value"].notna().all()


def test_a_count_that_was_public_and_becomes_small_is_suppressed_in_its_history(store):
    write(store, [{"indicator_id": NEW_CASES, "region": "KZ-43", "value": 40.0}])
    write(store, [{"indicator_id": NEW_CASES, "region": "KZ-43", "value": 6.0}], at=T0 + timedelta(days=1))
    row = readmodel.revisions(store, policy(), NEW_CASES, "KZ-43").iloc[0]
    assert row["suppressed"] and pd.isna(row["old_value"]) and pd.isna(row["new_value"])


def test_a_count_changing_by_fewer_than_the_threshold_hides_the_change(store):
    write(store, [{"indicator_id": NEW_CASES, "region": "KZ-43", "value": 400.0}])
    write(store, [{"indicator_id": NEW_CASES, "region": "KZ-43", "value": 403.0}], at=T0 + timedelta(days=1))
    write(store, [{"indicator_id": NEW_CASES, "region": "KZ-43", "value": 450.0}], at=T0 + timedelta(days=2))
    history = readmodel.revisions(store, policy(), NEW_CASES, "KZ-43").sort_values("changed_at")
    assert list(history["suppressed"]) == [True, False]
    assert history.iloc[1]["old_value"] == 403 and history.iloc[1]["new_value"] == 450


def test_a_note_with_a_person_is_never_public(app_store):
    """Before: served verbatim by the API (JSON, CSV), the data package and the map page's downloads."""
    write(app_store, [_screening("KZ-43", 400) | {"note": PERSON_NOTE}], UPLOAD_SOURCE)
    write(app_store, [_screening("KZ-71", 500) | {"note": CONNECTOR_NOTE}])
    internal = readmodel.observations(app_store, policy("internal"), SCREENING, PERIOD).set_index("region")
    assert internal.loc["KZ-43", "note"] == PERSON_NOTE
    rows = public_rows(app_store, SCREENING)
    assert pd.isna(rows.loc["KZ-43", "note"])  # an uploaded table's note is internal
    redacted = rows.loc["KZ-71", "note"]  # a connector's note goes through the redaction pass
    assert all(secret not in redacted for secret in SECRETS)
    assert "https://stat.gov.kz/ru/industries/" in redacted  # an address on the allow-list stays
    with route_client() as client:
        texts = [client.get("/api/v1/observations", params={"indicator": SCREENING, "period": PERIOD,
                                                            "format": fmt}).text for fmt in ("json", "csv")]
        package = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/datapackage.zip").content))
        texts += [package.read(name).decode() for name in package.namelist()]
    assert "stat.gov.kz/ru/industries" in texts[0]  # the redacted connector note is served
    for text in texts:
        assert all(secret not in text for secret in SECRETS)
        assert all(name not in text for name in NAMES)


@pytest.mark.parametrize("text", [
    "ИИН 850101400123", "БИН 990140001234", "+7 701 123 45 67", "+77011234567", "8 (727) 234-56-78",
    "87172 55 66 77", "a.b@example.kz", "http://10.0.0.5/x", "https://intranet.moh.local/a?b=c", "www.evil.kz/p",
    "javascript://stat.gov.kz/%0aalert(1)", "https://user:pw@stat.gov.kz/", "median over 12 of 15",
])
def test_the_redaction_pass_removes_identifiers_and_addresses_off_the_list(text):
    from readmodel.notes import REMOVED, redact

    out = redact(f"Серік Айгүл {text} жазбасы")
    assert REMOVED in out and text not in out and out.startswith("Серік Айгүл")
    assert not re.search(r"\d{3}", out.removeprefix("Серік Айгүл"))  # no digits of the identifier are left


def test_the_redaction_pass_keeps_ordinary_numbers_and_listed_addresses():
    from readmodel.notes import redact

    kept = "2023: 18 819 women, 12.5 %, 1 234 567 people; https://data.egov.kz/datasets/view?index=med; WHO GHO"
    assert redact(kept) == kept
