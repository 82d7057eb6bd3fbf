"""The embedded default data in the store: every real row with its source, derived rates computed by hand,
illustrative series flagged, reproducible and never standing in for a real figure."""

from __future__ import annotations

import pandas as pd
import pytest

from catalogue import load_catalogue
from core.paths import REFERENCE_DIR
from data_sources.seed import init_store
from data_sources.snapshot import REFERENCE_FILES, build_snapshot
from geo import REGION_CODES
from store import all_sources, make_engine, observations_for, with_sources

SCREENING = ("breast_cancer_screening_coverage_pct", "cervical_cancer_screening_coverage_pct",
             "colorectal_cancer_screening_coverage_pct")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('snapshot') / 'store.sqlite'}"
    return init_store(make_engine(url))


@pytest.fixture(scope="module")
def stored(engine) -> pd.DataFrame:
    """Every observation with its source's URL and kind."""
    srcs = all_sources(engine)
    obs = with_sources(observations_for(engine), srcs)
    return obs.merge(srcs[["id", "kind"]].rename(columns={"id": "source_id"}), on="source_id", how="left")


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype={"year": str})


def _one(stored: pd.DataFrame, indicator: str, region: str, period: str) -> pd.Series:
    rows = stored[(stored.indicator_id == indicator) & (stored.region == region) & (stored.period == period)]
    assert len(rows) == 1, (indicator, region, period, len(rows))
    return rows.iloc[0]


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_every_reference_row_is_in_the_store_with_its_source_url(stored: pd.DataFrame, name: str) -> None:
    ref = _csv(name)
    quarterly = {i for i, ind in load_catalogue().items() if ind.frequency == "quarterly"}
    ref["period"] = [f"{y}Q4" if i in quarterly else y for i, y in zip(ref["indicator_id"], ref["year"], strict=True)]
    merged = ref.merge(stored, left_on=["indicator_id", "iso_code", "period"],
                       right_on=["indicator_id", "region", "period"], how="left", suffixes=("_csv", ""))
    assert len(merged) == len(ref)
    missing = merged[merged["value"].isna()]
    assert missing.empty, missing[["iso_code", "indicator_id", "year"]].head().to_string()
    assert (merged["value"] == merged["value_csv"].astype(float)).all()
    assert (merged["source_url_csv"] == merged["source_url"]).all()
    assert not merged["synthetic"].any()
    assert not merged["derived"].any()
    assert set(merged["kind"]) == {"snapshot"}
    assert merged["source_licence"].notna().all()


def test_store_holds_exactly_the_reference_rows_as_real_published_rows(stored: pd.DataFrame) -> None:
    real = stored[~stored["synthetic"] & ~stored["derived"]]
    assert len(real) == sum(len(_csv(name)) for name in REFERENCE_FILES)
    assert set(real["kind"]) == {"snapshot"}
    assert not stored[stored["kind"] == "snapshot"]["synthetic"].any()


def test_physicians_per_10k_is_derived_from_counts_and_population(stored: pd.DataFrame) -> None:
    ref = _csv("kz_regional_indicators.csv")
    counts = ref[(ref.indicator_id == "physicians_count") & (ref.year == "2022")].set_index("iso_code")["value"]
    population = ref[(ref.indicator_id == "population_total") & (ref.year == "2023")].set_index("iso_code")["value"]
    published = set(ref[ref.indicator_id == "physicians_per_10k"]["iso_code"])

    akmola = _one(stored, "physicians_per_10k", "KZ-11", "2022")
    assert akmola["value"] == pytest.approx(1888 / 787971 * 10_000)
    assert counts["KZ-11"] == 1888 and population["KZ-11"] == 787971  # the hand computation reads the CSV
    assert akmola["derived"] and not akmola["synthetic"]
    assert (akmola["numerator"], akmola["denominator"]) == (1888, 787971)
    assert akmola["kind"] == "derived"

    for code in counts.index.intersection(population.index).difference(sorted(published)):
        row = _one(stored, "physicians_per_10k", code, "2022")
        assert row["value"] == pytest.approx(counts[code] / population[code] * 10_000), code
        assert row["derived"]


@pytest.mark.parametrize(("code", "value"), [("KZ-71", 73.4), ("KZ-75", 64.1), ("KZ-35", 50.3)])
def test_published_physician_rates_are_kept_and_agree_with_the_counts(stored: pd.DataFrame, code: str,
                                                                      value: float) -> None:
    row = _one(stored, "physicians_per_10k", code, "2022")
    assert row["value"] == value
    assert not row["derived"] and not row["synthetic"]
    assert "zakon.kz" in row["source_url"]
    # cross-check: the published rate agrees with the BNS counts over the 2023 population
    count = _one(stored, "physicians_count", code, "2022")["value"]
    population = _one(stored, "population_total", code, "2023")["value"]
    assert abs(count / population * 10_000 - value) < 0.05


def test_illustrative_rows_are_flagged_and_sourced_as_illustrative(stored: pd.DataFrame) -> None:
    synthetic = stored[stored["synthetic"]]
    assert len(synthetic) > 500
    assert set(synthetic["kind"]) == {"synthetic"}
    assert synthetic["note"].str.startswith("Illustrative").all()
    assert not stored[stored["kind"] == "synthetic"]["synthetic"].eq(False).any()


def test_illustrative_series_are_deterministic() -> None:
    first_sources, first = build_snapshot()
    second_sources, second = build_snapshot()
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(first_sources, second_sources)


def test_real_value_wins_over_the_illustrative_one(stored: pd.DataFrame) -> None:
    wko = _one(stored, "breast_cancer_screening_coverage_pct", "KZ-27", "2025Q4")
    assert wko["value"] == 96.2
    assert not wko["synthetic"]
    assert "mgorod.kz" in wko["source_url"]
    # the illustrative series carries on around it in the other quarters
    assert _one(stored, "breast_cancer_screening_coverage_pct", "KZ-27", "2025Q3")["synthetic"]


@pytest.mark.parametrize("indicator", SCREENING)
def test_quarterly_screening_rows_are_consistent_counts(stored: pd.DataFrame, indicator: str) -> None:
    rows = stored[(stored.indicator_id == indicator) & stored["synthetic"]]
    assert rows["period"].str.match(r"^\d{4}Q[1-4]$").all()
    assert rows["numerator"].notna().all() and rows["denominator"].notna().all()
    assert (rows["numerator"] <= rows["denominator"]).all()
    assert (rows["numerator"] == rows["numerator"].round()).all()
    assert (rows["value"] - rows["numerator"] / rows["denominator"] * 100).abs().max() < 1e-9


@pytest.mark.parametrize("indicator", ["ct_units_per_million", "mri_units_per_million",
                                       "mammographs_per_100k_women_40_70"])
def test_illustrative_equipment_rates_are_whole_units_over_population(stored: pd.DataFrame, indicator: str) -> None:
    multiplier = load_catalogue()[indicator].multiplier
    rows = stored[(stored.indicator_id == indicator) & stored["synthetic"]]
    assert len(rows) > 0
    assert (rows["numerator"] == rows["numerator"].round()).all()
    assert (rows["value"] - rows["numerator"] / rows["denominator"] * multiplier).abs().max() < 1e-9


def test_every_illustrative_indicator_covers_all_regions_that_existed(stored: pd.DataFrame) -> None:
    from geo.vintages import exists_in

    illustrative = set(stored[stored["synthetic"]]["indicator_id"])
    assert set(SCREENING) <= illustrative
    for indicator in illustrative:
        rows = stored[stored.indicator_id == indicator]
        for period in set(rows[rows["synthetic"]]["period"]):
            regions = set(rows[rows.period == period]["region"])
            existed = {c for c in REGION_CODES if exists_in(c, period)}
            assert existed == regions - {"KZ"}, (indicator, period, existed ^ (regions - {"KZ"}))


@pytest.mark.parametrize("indicator", SCREENING)
def test_national_screening_value_is_the_sum_of_regional_counts(stored: pd.DataFrame, indicator: str) -> None:
    rows = stored[stored.indicator_id == indicator]
    checked = 0
    for period, group in rows.groupby("period"):
        regional = group[group.region.isin(REGION_CODES)]
        national = group[group.region == "KZ"]
        if regional.empty or regional["numerator"].isna().any() or national.empty:
            continue  # a real published point without counts stands in this quarter
        expected = regional["numerator"].sum() / regional["denominator"].sum() * 100
        assert national["value"].iloc[0] == pytest.approx(expected), period
        assert national["numerator"].iloc[0] == regional["numerator"].sum()
        checked += 1
    assert checked >= 15  # 16 quarters (17 regions before the 2022 split, 20 after), less any with a real point
