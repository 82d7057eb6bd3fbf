"""Diagnostic capacity gaps: units per population against a reference level, as "units needed" per region.

For an indicator measured as units per ``multiplier`` people (CT and MRI scanners per million, mammographs per
100,000 women aged 40–70, hospital organisations per 100,000, beds per 10,000), a region with population P
(the indicator's own denominator: the whole population, or women 40–70 for mammographs) and U units reaches the
reference rate R when it has R × P / multiplier units; the gap is that target minus U, rounded up to whole
units, and zero for a region already at or above the reference.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

NATIONAL = "KZ"
CAPACITY_INDICATORS: tuple[str, ...] = ("ct_units_per_million", "mri_units_per_million",
                                        "mammographs_per_100k_women_40_70", "hospital_organisations_per_100k",
                                        "hospital_beds_per_10k")
REFERENCES: tuple[str, ...] = ("national", "regional_median", "custom")


def reference_level(obs: pd.DataFrame, reference: str, custom: float | None = None) -> float | None:
    """The rate to reach: the national value, the median of the regions, or a custom benchmark."""
    if reference == "custom":
        return None if custom is None else float(custom)
    if reference == "national":
        row = obs.loc[obs["region"] == NATIONAL, "value"]
        return float(row.iloc[0]) if len(row) and pd.notna(row.iloc[0]) else None
    if reference == "regional_median":
        regional = pd.to_numeric(obs.loc[obs["region"] != NATIONAL, "value"], errors="coerce").dropna()
        return float(regional.median()) if len(regional) else None
    raise ValueError(f"reference must be one of {', '.join(REFERENCES)}, not {reference!r}")


def reference_illustrative(obs: pd.DataFrame, reference: str) -> bool:
    """Whether the reference level rests on an illustrative value (the national value, or any region's)."""
    if reference == "custom" or "synthetic" not in obs:
        return False
    rows = obs[obs["region"] == NATIONAL] if reference == "national" else obs[obs["region"] != NATIONAL]
    return bool(rows["synthetic"].astype(bool).any())


def capacity_gaps(obs: pd.DataFrame, multiplier: float, reference_rate: float | None,
                  population: pd.Series | None = None, reference_is_illustrative: bool = False) -> pd.DataFrame:
    """Per region: units now, population base, the units the reference rate implies, and units needed.

    ``obs`` holds one indicator and period. The population base is the row's denominator; where a row has none,
    ``population`` (by region code) is used and the units are estimated as value × population / multiplier.
    A row is ``illustrative`` when its value is or the reference it is measured against is.
    """
    regional = obs[obs["region"] != NATIONAL].set_index("region")
    den = pd.to_numeric(regional.get("denominator"), errors="coerce")
    if population is not None:
        den = den.fillna(population.reindex(regional.index).astype(float))
    value = pd.to_numeric(regional["value"], errors="coerce")
    units = pd.to_numeric(regional.get("numerator"), errors="coerce")
    estimated = units.isna() & den.notna() & value.notna()
    units = units.fillna(value * den / multiplier)
    synthetic = regional["synthetic"].astype(bool) if "synthetic" in regional else pd.Series(False, index=value.index)
    out = pd.DataFrame({"value": value, "units": units, "units_estimated": estimated, "population_base": den,
                        "illustrative": synthetic | reference_is_illustrative})
    if reference_rate is None:
        out["target_units"] = np.nan
        out["units_needed"] = np.nan
    else:
        target = reference_rate * den / multiplier
        out["target_units"] = target
        out["units_needed"] = [
            np.nan if pd.isna(goal) or pd.isna(have) else max(0, math.ceil(round(goal - have, 9)))
            for goal, have in zip(target, units, strict=True)]
    return out.sort_values("units_needed", ascending=False, na_position="last")
