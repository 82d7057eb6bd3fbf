"""KPI entry as an editor sees it: a count takes whole numbers only, the allowed range reads as a sentence, the
comment never refills with "nan", and the saved-value banner shows the version just saved."""

from __future__ import annotations

import pytest

from kpi.errors import ValidationError
from kpi.framework import read_framework_file
from tests.kpi.test_pages import ROOT, app  # noqa: F401  (app is a fixture)
from tests.kpi_helpers import EDITOR


def _kpi(kpi_id: str):
    return next(k for k in read_framework_file(ROOT / "data" / "kpi_framework.yaml") if k.id == kpi_id)


def test_a_count_kpi_rejects_a_fraction():
    people = _kpi("yhp_young_people_reached")
    assert people.unit == "count" and people.check_value("7") == 7.0
    with pytest.raises(ValidationError, match="whole number"):
        people.check_value("7.5")
    assert _kpi("yhp_youth_tobacco_use_pct").check_value("7.5") == 7.5  # a percentage may have decimals


def _entry_page(app, kpi_id: str, quarter: str):  # noqa: F811
    at = app("internal")
    at.session_state["identity"] = EDITOR
    at.run()
    at.switch_page("pages/kpi_entry.py")
    at.run()
    at.selectbox(key="entry_kpi").select(kpi_id)
    at.run()
    at.selectbox(key="entry_quarter").select(quarter)
    at.run()
    assert not at.exception
    return at


def test_allowed_range_reads_as_a_sentence(app):  # noqa: F811
    at = _entry_page(app, "yhp_peer_educators_trained", "2026Q1")
    caption = next(c.value for c in at.caption if "Unit:" in c.value)
    assert "Allowed values: 0 or more. Whole numbers only." in caption and "—" not in caption


def test_saving_shows_the_new_version_and_no_nan_in_the_form(app):  # noqa: F811
    at = _entry_page(app, "yhp_peer_educators_trained", "2026Q1")
    banner = next(i.value for i in at.info if i.value.startswith("Saved value"))
    old_version = int(banner.split("version ")[1].split(",")[0])
    at.text_input[0].input("245")
    at.text_area[0].input("")  # the comment cleared: stored as missing
    at.text_input[2].input("corrected count")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    banner = next(i.value for i in at.info if i.value.startswith("Saved value"))
    assert f"version {old_version + 1}" in banner and "245" in banner
    assert any(f"version {old_version + 1}" in s.value for s in at.success)
    assert at.text_area[0].value == "" and "nan" not in at.text_input[1].value
    at.text_input[0].input("7.5")
    at.text_input[2].input("typo")
    at.get("form_submit_button")[0].click()
    at.run()
    assert any("whole number" in e.value for e in at.error)
