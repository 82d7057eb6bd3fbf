"""Small-number suppression for the public instance.

Rule (applied per indicator and period):
1. Primary: a row whose count is below the threshold (default 10) is suppressed — its value, numerator and
   interval are blanked and a note says why. The count is the numerator where there is one, or the value itself
   for a count indicator. The denominator (a population) stays: it reveals nothing on its own.
2. Complementary: the national row is the total of the regions, so when exactly one regional row of a group is
   suppressed it could be recovered by subtracting the others from the total. The next smallest regional count
   is then suppressed too (and so on until at least two regional rows are suppressed, or none can be).
Indicators listed as exempt (counts of equipment, facilities, staff and residents, which describe no patient)
are left alone.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

NATIONAL = "KZ"
DEFAULT_THRESHOLD = 10
PRIMARY_NOTE = "Suppressed: fewer than {threshold} (small numbers)"
COMPLEMENTARY_NOTE = "Suppressed: would reveal a small number by subtraction from the total"
_BLANKED = ("value", "numerator", "ci_lower", "ci_upper")


def _counts(df: pd.DataFrame, count_indicators: Collection[str]) -> pd.Series:
    num = pd.to_numeric(df["numerator"], errors="coerce") if "numerator" in df else pd.Series(np.nan, df.index)
    is_count = df["indicator_id"].isin(count_indicators)
    return num.where(num.notna(), pd.to_numeric(df["value"], errors="coerce").where(is_count))


def suppress_small_numbers(obs: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD,
                           count_indicators: Collection[str] = (), exempt: Collection[str] = ()) -> pd.DataFrame:
    """``obs`` with small counts (and any cell that would reveal them) blanked; ``suppressed`` says which."""
    out = obs.copy()
    if "note" not in out:
        out["note"] = None
    out["note"] = out["note"].astype(object)
    out["suppressed"] = False
    if out.empty:
        return out
    counts = _counts(out, count_indicators)
    eligible = ~out["indicator_id"].isin(exempt)
    primary = eligible & counts.notna() & (counts < threshold)
    out.loc[primary, "suppressed"] = True
    out.loc[primary, "note"] = PRIMARY_NOTE.format(threshold=threshold)
    touched = out.loc[primary, ["indicator_id", "period"]].drop_duplicates()
    scope = out[eligible].set_index(["indicator_id", "period"]).index.isin(
        list(touched.itertuples(index=False, name=None)))
    for _key, group in out[eligible][scope].groupby(["indicator_id", "period"], sort=False):
        regional = group[group["region"] != NATIONAL]
        if not (group["region"] == NATIONAL).any():
            continue  # no total to subtract from
        while regional["suppressed"].sum() == 1:
            candidates = counts[regional.index][~out.loc[regional.index, "suppressed"]].dropna()
            if candidates.empty:
                break
            nxt = candidates.idxmin()
            out.loc[nxt, "suppressed"] = True
            out.loc[nxt, "note"] = COMPLEMENTARY_NOTE
            regional = out.loc[regional.index]
    for col in _BLANKED:
        if col in out:
            out[col] = out[col].astype(float).where(~out["suppressed"])
    return out
