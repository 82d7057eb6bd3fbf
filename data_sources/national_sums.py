"""Keep the embedded data consistent where one number is computed from others.

* A generated national value that is a sum of the regions (screening coverage, scanners per million: the
  national numerator and denominator are the regions' sums) is recomputed from the regional rows the snapshot
  keeps, after real values have replaced generated ones, so the national figure always equals the sum of the
  regions on screen.
* Where a published rate and the rate recomputed from published counts disagree by more than rounding, the
  published value stays and its row says so.
"""

from __future__ import annotations

import pandas as pd

from catalogue import Catalogue
from core import provenance_text as texts

NATIONAL = "KZ"
KEY = ["indicator_id", "region", "period"]
SUM_NOTE = texts.SUM_NOTE


def national_sums(obs: pd.DataFrame, generated: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """``obs`` (real rows already preferred) with each generated national sum recomputed from its regions.

    ``generated`` holds the generated rows before precedence: where a real regional value without counts won,
    its generated denominator stands in as the weight (the national value stays illustrative either way)."""
    out = obs.copy()
    group = ["indicator_id", "period"]
    summed = generated.loc[(generated["region"] == NATIONAL) & generated["numerator"].notna(), group]
    national = out.reset_index().merge(summed, on=group)
    national = national[(national["region"] == NATIONAL) & national["synthetic"].astype(bool)].set_index(group)
    regional = out[out["region"] != NATIONAL].merge(summed, on=group)
    if national.empty or regional.empty:
        return out
    fallback = generated[[*KEY, "denominator"]].rename(columns={"denominator": "_den"})
    regional = regional.merge(fallback, on=KEY, how="left")
    multiplier = regional["indicator_id"].map(lambda i: float(catalogue[i].multiplier or 1.0) if i in catalogue
                                              else 1.0)
    den = pd.to_numeric(regional["denominator"], errors="coerce").fillna(regional["_den"])
    num = pd.to_numeric(regional["numerator"], errors="coerce").fillna(
        pd.to_numeric(regional["value"], errors="coerce") * den / multiplier)
    regional = regional.assign(_num=num, _den=den, _missing=num.isna() | den.isna(), _mult=multiplier)
    sums = regional.groupby(group).agg(num=("_num", "sum"), den=("_den", "sum"), missing=("_missing", "any"),
                                       all_synthetic=("synthetic", "all"), mult=("_mult", "first"))
    sums = sums[~sums["missing"] & (sums["den"] > 0)].join(national["index"], how="inner")
    rows = sums["index"].to_numpy()
    numerators = sums["num"].round().astype(float).to_numpy()
    out.loc[rows, "numerator"] = numerators
    out.loc[rows, "denominator"] = sums["den"].astype(float).to_numpy()
    out.loc[rows, "value"] = numerators / sums["den"].to_numpy() * sums["mult"].to_numpy()
    mixed = sums.loc[~sums["all_synthetic"].astype(bool), "index"].to_numpy()
    out.loc[mixed, "note"] = out.loc[mixed, "note"].fillna("").astype(str) + " " + SUM_NOTE
    return out


def published_rate_notes(obs: pd.DataFrame, rate: str, period: str, num: tuple[str, str], den: tuple[str, str],
                         multiplier: float, decimals: int) -> pd.DataFrame:
    """``obs`` with a note on each published ``rate`` that differs from numerator / denominator × multiplier by more
    than the rounding of its ``decimals``."""
    out = obs.copy()

    def values(indicator: str, p: str) -> pd.Series:
        sel = out[(out["indicator_id"] == indicator) & (out["period"] == p)]
        return sel.set_index("region")["value"]

    numerator, denominator = values(*num), values(*den)
    published = (out["indicator_id"] == rate) & (out["period"] == period) & ~out["derived"].astype(bool)
    for idx in out.index[published]:
        code = out.at[idx, "region"]
        if code not in numerator.index or code not in denominator.index or not denominator[code]:
            continue
        recomputed = numerator[code] / denominator[code] * multiplier
        if abs(recomputed - out.at[idx, "value"]) > 0.5 * 10 ** -decimals + 1e-9:
            text = texts.RECOMPUTED_NOTE.format(
                numerator=f"{num[0]} {num[1]}", denominator=f"{den[0]} {den[1]}", multiplier=f"{multiplier:,.0f}",
                recomputed=f"{recomputed:.{decimals + 2}f}")
            old = out.at[idx, "note"]
            out.at[idx, "note"] = f"{old} {text}" if isinstance(old, str) and old else text
    return out
