"""The "former boundaries" view: a series on a territory that was later split continues unbroken, by summing its
successors for the periods after the split (KZ-63 + KZ-10, KZ-19 + KZ-33, KZ-35 + KZ-62, KZ-61 + KZ-79).

Only counts can be summed, and rates or proportions whose numerator and denominator are known (the rate of the
sum is the summed numerator over the summed denominator). Each re-aggregated row says so (``reaggregated``), and
is illustrative if any part is.
"""

from __future__ import annotations

import pandas as pd

from geo.vintages import BOUNDARY_CHANGES, VINTAGES, vintage_of

REAGGREGATED_NOTE = "Re-aggregated to the former boundaries: sum of {parts}."


def _on_or_after(period: str, note, vintage: str) -> bool:
    return VINTAGES.index(vintage_of(period, note)) >= VINTAGES.index(vintage)


def former_boundaries(obs: pd.DataFrame, value_type: str, multiplier: float | None) -> pd.DataFrame:
    """``obs`` of one indicator with each split unit's later periods replaced by the sum of its successors (the
    successors' own rows are dropped for those periods). Rows that cannot be summed are left out, never guessed."""
    if value_type not in ("count", "proportion", "rate"):
        return obs.iloc[0:0]
    out = obs.copy()
    out["reaggregated"] = False
    for change in BOUNDARY_CHANGES:
        for former, parts in change.former.items():
            notes = out["note"] if "note" in out else pd.Series([None] * len(out), index=out.index)
            after = pd.Series([_on_or_after(p, n, change.vintage) for p, n in zip(out["period"], notes, strict=True)],
                              index=out.index, dtype=bool)
            later = out[out["region"].isin(parts) & after]
            rows = []
            for period, group in later.groupby("period"):
                if set(group["region"]) != set(parts):
                    continue
                row = group[group["region"] == former].iloc[0].to_dict()
                if value_type == "count":
                    row["value"] = float(group["value"].sum())
                else:
                    num, den = pd.to_numeric(group["numerator"]), pd.to_numeric(group["denominator"])
                    if num.isna().any() or den.isna().any() or den.sum() <= 0:
                        continue
                    row.update(numerator=float(num.sum()), denominator=float(den.sum()),
                               value=float(num.sum()) / float(den.sum()) * float(multiplier or 1))
                row.update(synthetic=bool(group["synthetic"].astype(bool).any()), derived=True, reaggregated=True,
                           note=REAGGREGATED_NOTE.format(parts=" + ".join(parts)), boundary=VINTAGES[
                               VINTAGES.index(change.vintage) - 1], boundary_note=None, period=period)
                rows.append(row)
            out = out[~(out["region"].isin(parts) & out.index.isin(later.index))]
            if rows:
                out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True)
    return out.reset_index(drop=True)
