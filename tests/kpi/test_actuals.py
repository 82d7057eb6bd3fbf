"""Actuals: audit log keeps every change, validation rejects bad input without writing, roles are enforced."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from core.access import ANONYMOUS, PermissionDenied
from kpi import (
    Conflict,
    ValidationError,
    audit_trail,
    current_version,
    list_kpis,
    load_framework_text,
    publish_quarter,
    published_quarters,
    save_actual,
    stored_actuals,
)
from kpi.schema import actuals, audit
from tests.kpi_helpers import ADMIN, EDITOR, EDITOR_2, FRAMEWORK, VIEWER, kpi_engine


@pytest.fixture()
def db_url(any_db_url):
    """KPI actuals, audit and concurrency hold on SQLite and on PostgreSQL (issue 9 §5)."""
    return any_db_url


@pytest.fixture()
def engine(db_url):
    return kpi_engine(db_url)


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(actuals)).scalar_one(),
                conn.execute(select(func.count()).select_from(audit)).scalar_one())


def test_audit_log_keeps_every_change(engine):
    assert save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 41, 0, comment="first") == 1
    assert save_actual(engine, EDITOR_2, "coverage_pct", "2025Q1", 42.5, 1, reason="late reports") == 2
    assert save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 42, 2, reason="typo") == 3
    current = stored_actuals(engine, "coverage_pct")
    assert current["value"].tolist() == [42] and current["version"].tolist() == [3]
    trail = audit_trail(engine, "coverage_pct").sort_values("version")
    assert trail["version"].tolist() == [1, 2, 3]
    assert trail["old_value"].tolist()[1:] == [41, 42.5] and pd.isna(trail["old_value"].iloc[0])
    assert trail["new_value"].tolist() == [41, 42.5, 42]
    assert trail["user"].tolist() == ["erlan", "dana", "erlan"]
    assert trail["reason"].tolist()[1:] == ["late reports", "typo"]


def test_stale_version_is_a_conflict_and_changes_nothing(engine):
    save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 41, 0)
    save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 43, 1, reason="update")
    before = counts(engine)
    with pytest.raises(Conflict, match="version 1") as err:
        save_actual(engine, EDITOR_2, "coverage_pct", "2025Q1", 50, 1, reason="based on old page")
    assert err.value.current == 2
    with pytest.raises(Conflict):  # a second "first" entry of the same quarter
        save_actual(engine, EDITOR_2, "coverage_pct", "2025Q1", 50, 0)
    assert counts(engine) == before and stored_actuals(engine)["value"].tolist() == [43]


@pytest.mark.parametrize(("kpi_id", "quarter", "value", "field", "words"), [
    ("coverage_pct", "2024Q4", 41, "quarter", "outside the span"),
    ("coverage_pct", "2028Q1", 41, "quarter", "outside the span"),
    ("coverage_pct", "2025Q5", 41, "quarter", "not a quarter"),
    ("coverage_pct", "2025", 41, "quarter", "not a quarter"),
    ("coverage_pct", "2025Q1", "forty", "value", "not a number"),
    ("coverage_pct", "2025Q1", 120, "value", "above the allowed maximum 100"),
    ("coverage_pct", "2025Q1", -1, "value", "below the allowed minimum 0"),
    ("people_reached", "2025Q1", float("nan"), "value", "not a finite number"),
    ("no_such_kpi", "2025Q1", 1, "kpi_id", "no KPI"),
])
def test_invalid_entries_are_rejected_with_the_field_named_and_nothing_written(engine, kpi_id, quarter, value,
                                                                              field, words):
    before = counts(engine)
    with pytest.raises(ValidationError, match=words) as err:
        save_actual(engine, EDITOR, kpi_id, quarter, value, 0)
    assert err.value.field == field and field in str(err.value)
    assert counts(engine) == before


def test_bad_evidence_link_and_missing_reason_are_rejected(engine):
    with pytest.raises(ValidationError, match="evidence_url"):
        save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 41, 0, evidence_url="ftp://x")
    save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 41, 0, evidence_url="https://example.org/r.pdf")
    before = counts(engine)
    with pytest.raises(ValidationError, match="reason"):
        save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 44, 1)
    assert counts(engine) == before


@pytest.mark.parametrize("who", [None, VIEWER, ANONYMOUS, EDITOR.__class__("erlan", "editor", mode="public")])
def test_writes_without_an_editor_identity_are_denied(engine, who):
    before = counts(engine)
    with pytest.raises(PermissionDenied):
        save_actual(engine, who, "coverage_pct", "2025Q1", 41, 0)
    with pytest.raises(PermissionDenied):
        publish_quarter(engine, who, "2025Q1")
    with pytest.raises(PermissionDenied):
        load_framework_text(engine, who, FRAMEWORK)
    assert counts(engine) == before and published_quarters(engine) == []


def test_editors_cannot_publish_or_load_a_framework(engine):
    with pytest.raises(PermissionDenied, match="admin"):
        publish_quarter(engine, EDITOR, "2025Q1")
    with pytest.raises(PermissionDenied, match="admin"):
        load_framework_text(engine, EDITOR, FRAMEWORK)


def test_only_published_quarters_are_public_and_public_audit_hides_who(engine):
    save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 41, 0)
    save_actual(engine, EDITOR, "coverage_pct", "2025Q2", 43, 0)
    assert stored_actuals(engine, published_only=True).empty
    publish_quarter(engine, ADMIN, "2025Q1")
    public = stored_actuals(engine, published_only=True)
    assert public["quarter"].tolist() == ["2025Q1"]
    trail = audit_trail(engine, "coverage_pct", public=True)
    assert "user" not in trail.columns and trail["quarter"].tolist() == ["2025Q1"]
    assert set(audit_trail(engine, "coverage_pct")["quarter"]) == {"2025Q1", "2025Q2"}


def test_invalid_framework_file_is_rejected_whole_and_the_stored_one_kept(engine):
    broken = FRAMEWORK.replace("direction: lower_is_better\n    baseline: {value: 20",
                               "direction: sideways\n    baseline: {value: 20")
    with pytest.raises(ValidationError, match="KPI wait_days: direction"):
        load_framework_text(engine, ADMIN, broken)
    over = FRAMEWORK.replace("target: {value: 70", "target: {value: 170")
    with pytest.raises(ValidationError, match=r"KPI coverage_pct: target\.value"):
        load_framework_text(engine, ADMIN, over)
    with pytest.raises(ValidationError, match="YAML"):
        load_framework_text(engine, ADMIN, "kpis: [unclosed")
    assert [k.id for k in list_kpis(engine)] == ["coverage_pct", "wait_days", "people_reached", "survey_pct"]
    assert list_kpis(engine)[2].region_targets == {"KZ-75": 300}  # retired KZ-ALA read as Almaty's current code


def test_loading_a_framework_replaces_definitions_and_keeps_actuals(engine):
    save_actual(engine, EDITOR, "coverage_pct", "2025Q1", 41, 0)
    smaller = FRAMEWORK.split("  - id: wait_days")[0]
    assert load_framework_text(engine, ADMIN, smaller) == 1
    assert [k.id for k in list_kpis(engine)] == ["coverage_pct"]
    assert current_version(engine, "coverage_pct", "2025Q1") == 1


def test_first_run_loads_the_illustrative_example(db_url):
    from kpi import ensure_kpi_schema
    from store import make_engine

    engine = ensure_kpi_schema(make_engine(db_url))
    kpis = list_kpis(engine)
    assert len(kpis) >= 10 and all(k.illustrative for k in kpis)
    assert {k.pillar for k in kpis} == {"rwd_rwe", "young_health", "early_diagnosis", "sustainable_development"}
    entered = stored_actuals(engine)
    assert entered["illustrative"].all() and len(entered) > 20
    assert published_quarters(engine) and set(entered["quarter"]) - set(published_quarters(engine))  # drafts too
