"""Illustrative (synthetic) series for layers no real regional figure covers yet.

Every row made here is flagged ``synthetic`` and carries a note saying what it is calibrated to. The series are
reproducible (fixed seed) and anchored to the published points in ``data/reference``: the national levels of
the screening programmes, Kostanay's scanner counts, the national and six regional bed figures, the national
and three regional cancer-mortality rates. Where a real value exists for the same region and period it wins
(the snapshot loader drops the illustrative row), so no made-up number ever stands in for a real one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import provenance_text as texts
from core.periods import quarter_range
from geo.names import REGION_CODES
from geo.vintages import exists_in

SEED = 20251125
CITIES = ("KZ-71", "KZ-75", "KZ-79")
QUARTERS = quarter_range("2022Q1", "2025Q4")

# Annual target group shares of the whole population (assumed; the denominators are illustrative too).
_TARGET_SHARE = {
    # women 40–70 are ~17% of the population, screened every second year
    "breast_cancer_screening_coverage_pct": 0.17 / 2,
    # women 30–70 ~ 24% of the population, screened every fourth year
    "cervical_cancer_screening_coverage_pct": 0.24 / 4,
    # people 50–70 ~ 17% of the population, screened every second year
    "colorectal_cancer_screening_coverage_pct": 0.17 / 2,
}
# National coverage path (first quarter → last quarter of QUARTERS), set near the latest published national
# values (breast 47.5 % in 2018, cervical 66.2 % and colorectal 53.1 % in 2020) and the regional spread.
_SCREENING_PATH = {
    "breast_cancer_screening_coverage_pct": (52.0, 64.0, 9.0),
    "cervical_cancer_screening_coverage_pct": (64.0, 70.0, 7.0),
    "colorectal_cancer_screening_coverage_pct": (50.0, 58.0, 8.0),
}
# Regional anchors: real points the series should land near (region, indicator) -> value in the last quarter.
_SCREENING_ANCHORS = {("KZ-27", "breast_cancer_screening_coverage_pct"): 96.2}


def _frame(rows: list[dict], note: str) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["synthetic"] = True
    df["derived"] = False
    df["note"] = note
    return df


def screening_coverage(population: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """Rolling four-quarter coverage per region and quarter, with numerator and denominator, plus KZ totals."""
    rows: list[dict] = []
    progress = np.linspace(0.0, 1.0, len(QUARTERS))
    for indicator, (start, end, spread) in _SCREENING_PATH.items():
        national = start + (end - start) * progress
        for code in REGION_CODES:
            anchor = _SCREENING_ANCHORS.get((code, indicator))
            effect = anchor - end if anchor is not None else rng.normal(0.0, spread)
            noise = np.cumsum(rng.normal(0.0, 0.6, len(QUARTERS))) * 0.5
            coverage = np.clip(national + effect + noise, 5.0, 99.0)
            denominator = round(float(population[code]) * _TARGET_SHARE[indicator])
            for period, cov in zip(QUARTERS, coverage, strict=True):
                numerator = round(cov / 100 * denominator)
                rows.append({"indicator_id": indicator, "region": code, "period": period,
                             "numerator": float(numerator), "denominator": float(denominator),
                             "value": 100 * numerator / denominator})
    df = pd.DataFrame(rows)
    national_rows = (df.groupby(["indicator_id", "period"], as_index=False)[["numerator", "denominator"]].sum()
                     .assign(region="KZ"))
    national_rows["value"] = 100 * national_rows["numerator"] / national_rows["denominator"]
    both = pd.concat([df, national_rows], ignore_index=True)
    return _frame(both.to_dict("records"), texts.SCREENING_NOTE)


def _annual_rate_series(indicator: str, population: pd.Series, years: range, national: dict[int, float],
                        factors: dict[str, float], spread: float, multiplier: float, rng: np.random.Generator,
                        counts: bool, note: str) -> pd.DataFrame:
    rows: list[dict] = []
    for code in REGION_CODES:
        factor = factors.get(code, float(np.exp(rng.normal(0.0, spread))))
        for year in years:
            rate = national[year] * factor * float(np.exp(rng.normal(0.0, 0.03)))
            row = {"indicator_id": indicator, "region": code, "period": str(year), "value": rate}
            if counts:  # whole units (scanners) over the 2023 population, so value = numerator/denominator exactly
                denominator = float(population[code])
                numerator = float(max(round(rate * denominator / multiplier), 0))
                row.update(numerator=numerator, denominator=denominator, value=numerator / denominator * multiplier)
            rows.append(row)
    df = pd.DataFrame(rows)
    if counts:  # the national value is the sum of the regional counts over the national population
        kz = df.groupby("period", as_index=False)[["numerator", "denominator"]].sum()
        kz["value"] = kz["numerator"] / kz["denominator"] * multiplier
    else:
        kz = pd.DataFrame({"period": [str(y) for y in years], "value": [national[y] for y in years]})
    kz = kz.assign(indicator_id=indicator, region="KZ")
    return _frame(pd.concat([df, kz], ignore_index=True).to_dict("records"), note)


def capacity_and_outcomes(population: pd.Series, women_40_70: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    years = range(2021, 2026)
    city_boost = {c: 1.35 for c in CITIES}
    kostanay_ct = 11 / population["KZ-39"] * 1e6   # published: 11 CT scanners in Kostanay, 2025
    kostanay_mri = 2 / population["KZ-39"] * 1e6   # published: 2 MRI units in Kostanay, 2025
    ct_national = {y: kostanay_ct * 1.05 * (1.04 ** (y - 2025)) for y in years}
    mri_national = {y: kostanay_mri * 1.4 * (1.06 ** (y - 2025)) for y in years}
    frames = [
        _annual_rate_series("ct_units_per_million", population, years, ct_national, city_boost, 0.25, 1e6, rng, True,
                            texts.CT_NOTE),
        _annual_rate_series("mri_units_per_million", population, years, mri_national, city_boost, 0.35, 1e6, rng,
                            True, texts.MRI_NOTE),
        _annual_rate_series("mammographs_per_100k_women_40_70", women_40_70, years, dict.fromkeys(years, 9.0),
                            {}, 0.3, 1e5, rng, True, texts.MAMMOGRAPH_NOTE),
    ]
    beds_years = range(2019, 2025)
    beds_national = {2019: 64.5, 2020: 67.9, 2021: 60.0, 2022: 52.5, 2023: 53.8, 2024: 53.0}
    beds_factor = {"KZ-75": 60.1 / 53.8, "KZ-61": 48.5 / 53.8, "KZ-71": 59.1 / 53.8, "KZ-31": 58.7 / 53.8,
                   "KZ-63": 55.0 / 53.8, "KZ-62": 49.0 / 53.8}
    frames.append(_annual_rate_series(
        "hospital_beds_per_10k", population, beds_years, beds_national, beds_factor, 0.15, 1e4, rng, False,
        texts.BEDS_NOTE))
    mortality_years = range(2019, 2025)
    mortality_national = {2019: 62.0, 2020: 63.5, 2021: 64.0, 2022: 64.5, 2023: 65.1, 2024: 68.0}
    mortality_factor = {"KZ-63": 117.7 / 68.0, "KZ-10": 117.2 / 68.0, "KZ-39": 82.3 / 64.5}
    frames.append(_annual_rate_series(
        "cancer_mortality_per_100k", population, mortality_years, mortality_national, mortality_factor, 0.2, 1e5,
        rng, False, texts.MORTALITY_NOTE))
    return pd.concat(frames, ignore_index=True)


def illustrative_observations(population: pd.Series, population_female: pd.Series) -> pd.DataFrame:
    """All illustrative rows; ``population`` and ``population_female`` are the real 1 January 2023 figures by code."""
    rng = np.random.default_rng(SEED)
    women_40_70 = (population_female * 0.36).round()
    frames = [screening_coverage(population, rng), capacity_and_outcomes(population, women_40_70, rng)]
    both = pd.concat(frames, ignore_index=True)
    # No value for a region before it existed (Abai, Jetisu, Ulytau: from mid-2022). The national rows are
    # recomputed from the regions actually kept by the snapshot (``national_sums``).
    existed = [region == "KZ" or exists_in(region, period) for region, period in zip(both["region"], both["period"],
                                                                                      strict=True)]
    return both[existed].reset_index(drop=True)
