"""Issue 19 §2 on DuckDB: extracts shaped like a data holder's OMOP CDM v5.4 export (tests/rwd_realistic.py:
upper-case file and column names, every value quoted text, all v5.4 columns, persons living abroad, an empty
LOCATION table). A person who cannot be placed is counted nowhere; too few placed writes nothing and says why;
location values as ISO, KATO, names or a crosswalk; the status is declared, not guessed; failures are one line.
Spark: tests/rwd/test_spark.py; PostgreSQL: tests/rwd/test_database.py."""

from __future__ import annotations

import json

import pytest

from core.access import SYSTEM
from data_sources.seed import init_store
from rwd.__main__ import main
from rwd.compute import compute, write
from rwd.engines import DuckDBEngine
from rwd.placement import PlacementFailed
from store import data_version, make_engine
from store.rwd_runs import latest_run
from tests.rwd_realistic import all_abroad, realistic_tables, three_percent_abroad, write_realistic

ALL_ABROAD_WHY = ("100 of 100 persons have no Kazakh region: no location (person.location_id empty or not in "
                  "location) for 20; location_source_value empty for 20; location_source_value not a Kazakh region "
                  "for 60")
PERSON_LIKE = ("Moscow", "Tverskaya", "Bishkek", "10001", "New York")  # what persons wrote: never in a report


def _compute(folder, periods=("2024",), **kwargs):
    engine = DuckDBEngine()
    try:
        return compute(engine, folder, list(periods), **{"synthetic": False, **kwargs})
    finally:
        engine.close()


def test_all_persons_abroad_writes_nothing_and_says_why(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    store = init_store(make_engine(db_url))
    before = data_version(store)
    folder = write_realistic(tmp_path / "cdm", all_abroad())
    assert main(["compute", "--cdm", str(folder), "--real", "--period", "2024", "--quiet"]) == 2
    captured = capsys.readouterr()
    assert ALL_ABROAD_WHY in captured.err and "nothing written" in captured.err
    assert "[FAIL] completeness  person_placed.2024" in captured.out
    assert not any(value in captured.out + captured.err for value in PERSON_LIKE)
    assert data_version(store) == before and latest_run(store) is None


def test_an_empty_location_table_writes_nothing(tmp_path):
    with pytest.raises(PlacementFailed, match="100 of 100 persons have no Kazakh region: no location"):
        _compute(write_realistic(tmp_path / "cdm", realistic_tables(location=[])))
    folder = write_realistic(tmp_path / "zero", three_percent_abroad())
    (folder / "LOCATION.csv").write_text("")  # a zero-byte file: an empty table, not a missing one
    with pytest.raises(PlacementFailed, match="100 of 100 persons have no Kazakh region: no location"):
        _compute(folder)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_three_percent_abroad_writes_regions_their_national_sum_and_the_check(tmp_path, store, fmt):
    result = _compute(write_realistic(tmp_path / "cdm", three_percent_abroad(), fmt))
    for definition, rows in result.rows.items():
        regional, national = rows[rows["region"] != "KZ"], rows[rows["region"] == "KZ"].iloc[0]
        assert set(regional["region"]) == {"KZ-75", "KZ-71"}, definition
        if definition != "rwd_days_suspicion_to_diagnosis_median":  # the national value is the sum of the placed
            assert (national["numerator"], national["denominator"]) == \
                (regional["numerator"].sum(), regional["denominator"].sum()), definition
    breast = result.rows["rwd_breast_screening_coverage_pct"].set_index("region")
    assert (breast.loc["KZ", "numerator"], breast.loc["KZ", "denominator"]) == (6, 15)  # 8 (Moscow) is out
    check = {c.id: c for c in result.extract.checks}["person_placed.2024"]
    assert (check.failing, check.total, check.blocking, check.passed) == (3, 100, True, True)
    write(store, result, SYSTEM)
    report = latest_run(store)
    assert report["placement"][0]["unplaced"] == [{"reason": "not_kazakh", "value": None, "persons": 3}]
    assert not any(value in json.dumps(report, default=str) for value in PERSON_LIKE)


def test_the_threshold_is_the_configured_share(tmp_path):
    folder = write_realistic(tmp_path / "cdm", three_percent_abroad())
    with pytest.raises(PlacementFailed, match="3 of 100 persons have no Kazakh region: location_source_value not "
                                              "a Kazakh region for 3"):
        _compute(folder, min_placed_share=0.98)


def test_kato_codes_and_a_former_unit_placed_by_the_period(tmp_path):
    """KATO 751110000 is Almaty, 711210000 Astana; 51 (South Kazakhstan) is Turkistan Region before June 2018
    and nothing after; 63 (East Kazakhstan) before June 2022 is KZ-63 on its pre-2022 boundaries."""
    location = [{"location_id": 1, "location_source_value": "751110000"},
                {"location_id": 2, "location_source_value": "711210000"},
                {"location_id": 3, "location_source_value": "51"}, {"location_id": 4, "location_source_value": "63"},
                {"location_id": 7, "location_source_value": "511010000"}]  # a settlement of South Kazakhstan
    frames = realistic_tables({13: 4, 14: 4, 41: 3, 42: 7}, location=location)
    folder = write_realistic(tmp_path / "cdm", frames)
    now = _compute(folder, ["2024"])
    assert now.rows["rwd_breast_screening_coverage_pct"].set_index("region").loc["KZ-75", "denominator"] == 11
    assert now.placements[0]["unplaced"] == [
        {"reason": "no_location", "value": None, "persons": 3},
        {"reason": "former", "value": "51", "persons": 2}]  # a known code: counted by value; the settlement's
    # 9-digit KATO code (511010000) only by its unit's prefix
    then = _compute(folder, ["2017", "2021"])
    assert [(p["period"], p["placed"]) for p in then.placements] == [("2017", 97), ("2021", 95)]  # 51: 2017 only
    breast_2021 = then.rows["rwd_breast_screening_coverage_pct"].set_index("region")
    assert "pre-2022 boundaries: includes territory of Abai Region" in breast_2021.loc["KZ-63", "note"]


def test_a_crosswalk_file_places_a_data_holders_codes(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    location = [{"location_id": 1, "location_source_value": "POLY-ALM-01"},
                {"location_id": 2, "location_source_value": "POLY-AST-02"}]
    folder = write_realistic(tmp_path / "cdm", realistic_tables(location=location))
    assert main(["compute", "--cdm", str(folder), "--real", "--quiet", "--dry-run"]) == 2
    assert "location_source_value not a Kazakh region for 97" in capsys.readouterr().err
    crosswalk = tmp_path / "map.csv"
    crosswalk.write_text("source_value,iso_code\nPOLY-ALM-01,KZ-75\nPOLY-AST-02,KZ-AST\n")  # a retired code too
    assert main(["compute", "--cdm", str(folder), "--real", "--quiet", "--dry-run", "--location-map",
                 str(crosswalk)]) == 0
    assert "Not counted (2025): 3 of 100 persons have no Kazakh region" in capsys.readouterr().out


@pytest.mark.parametrize("content, message", [
    ("value,region\nA,KZ-75\n", "a location map needs the columns source_value, iso_code; found: value, region"),
    ("source_value,iso_code\nA,KZ-75\nB,KZ-99\n", "line 3: 'KZ-99' is not one of the 20 current ISO 3166-2:KZ"),
    ("source_value,iso_code\nA,KZ-75\nA,KZ-71\n", "line 3: 'A' is mapped to KZ-75 and to KZ-71"),
    ("source_value,iso_code\n,KZ-75\n", "line 2: source_value is empty"),
    ("source_value,iso_code\nA,KZ\n", "line 2: 'KZ' is not one of the 20 current"),
])
def test_a_bad_crosswalk_is_a_clear_error(tmp_path, monkeypatch, db_url, capsys, content, message):
    monkeypatch.setenv("DATABASE_URL", db_url)
    crosswalk = tmp_path / "map.csv"
    crosswalk.write_text(content)
    folder = write_realistic(tmp_path / "cdm", three_percent_abroad())
    assert main(["compute", "--cdm", str(folder), "--real", "--quiet", "--location-map", str(crosswalk)]) == 2
    err = capsys.readouterr().err
    assert message in err and f"{crosswalk}" in err and len(err.strip().splitlines()) == 1


def test_status_is_declared_not_read_from_free_text(tmp_path, monkeypatch, db_url, capsys):
    """The extract's description says "synthetic-data study": that decides nothing."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    folder = write_realistic(tmp_path / "cdm", three_percent_abroad())
    assert main(["compute", "--cdm", str(folder), "--quiet", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "say whether this extract is real or synthetic with --real or --synthetic" in err
    assert "a description in cdm_source decides nothing" in err
    assert not _compute(folder).extract.synthetic
    declared = _compute(folder, synthetic=True)
    assert declared.extract.synthetic and all(rows["synthetic"].all() for rows in declared.rows.values())
    assert main(["compute", "--cdm", str(folder), "--quiet", "--synthetic"]) == 0
    assert "synthetic, declared with --synthetic" in capsys.readouterr().out
    assert latest_run(init_store(make_engine(db_url)))["extract"]["status_from"] == "declared"


def test_the_generators_marker_makes_an_extract_synthetic_and_real_contradicts_it(tmp_path, monkeypatch, db_url,
                                                                                 capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "synthetic"
    assert main(["synthesize", "--persons", "400", "--out", str(out), "--seed", "3"]) == 0
    assert main(["compute", "--cdm", str(out), "--quiet", "--real", "--dry-run"]) == 2
    assert "carries the marker of the Densaulyq generator" in capsys.readouterr().err
    assert main(["compute", "--cdm", str(out), "--quiet", "--dry-run"]) == 0
    assert "synthetic: the generator's marker" in capsys.readouterr().out


def test_an_unreadable_file_is_one_line_naming_the_table(tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    folder = write_realistic(tmp_path / "cdm", three_percent_abroad())
    (folder / "PERSON.csv").unlink()
    (folder / "PERSON.parquet").write_bytes(b"not a parquet file")
    assert main(["compute", "--cdm", str(folder), "--real", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m rwd: error: duckdb: cannot read table person: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("value, period, placed, reason", [
    ("KZ-75", "2024", "KZ-75", None), ("kz-ala", "2024", "KZ-75", None),            # ISO, a retired letter code
    ("г. Алматы", "2024", "KZ-75", None), ("Астана қаласы", "2024", "KZ-71", None),  # Russian and Kazakh names
    ("Turkistan Region", "2024", "KZ-61", None), ("751110000", "2024", "KZ-75", None),  # English; KATO
    ("51", "2017", "KZ-61", None), ("51", "2024", None, "former"),                    # a former unit by period
    ("Южно-Казахстанская область", "2024", None, "former_name"),
    ("KZ", "2024", None, "national"), ("Казахстан", "2024", None, "national"),
    ("Moscow", "2024", None, "not_kazakh"), ("10001", "2024", None, "not_kazakh"), ("  ", "2024", None, "empty"),
])
def test_location_values_are_placed_by_the_shared_resolver(value, period, placed, reason):
    from rwd.placement import resolve

    assert resolve(value, period)[:2] == (placed, reason)
    assert resolve(value, period, {value.strip(): "KZ-79"})[:2] == (("KZ-79", None) if value.strip() else
                                                                      (None, "empty"))  # the crosswalk first


def test_a_bad_threshold_in_the_configuration_is_a_clear_error(tmp_path, monkeypatch, db_url, capsys):
    from core.paths import REPO_ROOT

    config = tmp_path / "config.toml"  # the shipped configuration with a percentage where a share belongs
    config.write_text((REPO_ROOT / "config.toml").read_text(encoding="utf-8")
                      .replace("min_placed_share = 0.95", "min_placed_share = 95"), encoding="utf-8")
    monkeypatch.setenv("DENSAULYQ_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", db_url)
    folder = write_realistic(tmp_path / "cdm", three_percent_abroad())
    assert main(["compute", "--cdm", str(folder), "--real", "--quiet"]) == 2
    assert "[rwd] min_placed_share must be a share between 0 and 1, not 95" in capsys.readouterr().err
