"""The validation schema itself, and the configuration the connectors read."""

from __future__ import annotations

import pandas as pd

from catalogue import load_catalogue
from data_sources.connector import mapping_for
from data_sources.refresh import CONNECTORS
from data_sources.snapshot import build_snapshot
from data_sources.validation import validate


def test_the_embedded_snapshot_passes_the_same_schema_as_every_import():
    _sources, obs = build_snapshot()
    report = validate(obs.assign(_row=range(1, len(obs) + 1)), "embedded snapshot")
    assert report.ok, [str(i) for i in report.issues[:5]]
    assert len(report.valid) == len(obs)


def test_every_mapped_indicator_is_in_the_catalogue_and_national_sources_map_national_series():
    catalogue = load_catalogue()
    for name in CONNECTORS:
        indicators = mapping_for(name).get("indicators") or {}
        assert set(indicators) <= set(catalogue), f"{name}: {set(indicators) - set(catalogue)}"
        if name in ("worldbank", "who_gho"):
            assert all(catalogue[i].level == "national" for i in indicators), name


def test_one_definition_per_id_each_life_expectancy_series_stays_distinct():
    wb = mapping_for("worldbank")["indicators"]
    who = mapping_for("who_gho")["indicators"]
    assert wb["life_expectancy_years_wb"] == "SP.DYN.LE00.IN"
    assert who["life_expectancy_years_who"]["code"] == "WHOSIS_000001"
    assert not set(wb) & set(who), "two APIs must not write the same series"


def test_issue_names_origin_row_column_and_reason():
    frame = pd.DataFrame([{"_row": 7, "indicator_id": "immunization_dtp3_pct", "region": "KZ", "period": "2020",
                           "value": 101.5}])
    issue = validate(frame, "reply.json").issues[0]
    assert str(issue) == "reply.json, row 7, column 'value': 101.5 is outside 0–100 for a percentage"


def test_a_frame_without_the_key_columns_is_rejected_as_a_whole():
    report = validate(pd.DataFrame({"region": ["KZ"], "value": [1.0]}), "x.csv")
    assert not report.ok and report.issues[0].row is None and "indicator_id" in report.issues[0].reason
    assert report.valid.empty
