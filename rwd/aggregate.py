"""Turn the engines' per-region aggregates into observation rows (regions + the national value ``KZ``).

A person whose location gives no current region (``rwd.placement``) is counted nowhere: the engines return their
counts under region NULL, and the national value is the sum of the regions' counts, never more.
"""

from __future__ import annotations

import pandas as pd

from rwd.definitions import Definition
from rwd.sql import definition_sql, population_batch_sql

NATIONAL = "KZ"
ROW_COLUMNS = ["indicator_id", "region", "period", "value", "numerator", "denominator", "note"]


def median_from_histogram(hist: pd.DataFrame) -> float | None:
    """Median of values given as (days, n) counts; the mean of the two middle values when the total is even."""
    hist = hist.dropna(subset=["days"]).sort_values("days")
    total = int(hist["n"].sum())
    if total == 0:
        return None
    cum = hist["n"].cumsum().to_numpy()
    days = hist["days"].to_numpy()

    def nth(k: int) -> float:  # k-th smallest, 1-based
        return float(days[(cum >= k).argmax()])

    if total % 2:
        return nth(total // 2 + 1)
    return (nth(total // 2) + nth(total // 2 + 1)) / 2


def _proportion_rows(defn: Definition, period: str, agg: pd.DataFrame, note: str | None = None) -> list[dict]:
    rows = []
    regional = agg[agg["region"].notna()]
    groups = [(r["region"], int(r["numerator"]), int(r["denominator"])) for _unused, r in regional.iterrows()]
    groups.append((NATIONAL, int(regional["numerator"].sum()), int(regional["denominator"].sum())))
    for region, num, den in groups:
        if den > 0:
            rows.append({"indicator_id": defn.id, "region": region, "period": period, "value": 100.0 * num / den,
                         "numerator": float(num), "denominator": float(den), "note": note})
    return rows


def _median_rows(defn: Definition, period: str, hist: pd.DataFrame) -> list[dict]:
    rows = []
    hist = hist.assign(n=hist["n"].astype(int))
    placed = hist[hist["region"].notna()]
    scopes = [(r, g) for r, g in placed.groupby("region", sort=True)] + [(NATIONAL, placed)]
    for region, group in scopes:
        with_suspicion = group.dropna(subset=["days"])
        median = median_from_histogram(with_suspicion)
        if median is None:
            continue
        n, cases = int(with_suspicion["n"].sum()), int(group["n"].sum())
        rows.append({"indicator_id": defn.id, "region": region, "period": period, "value": median,
                     "numerator": None, "denominator": float(n),
                     "note": f"median over {n} of {cases} new cancers with a recorded suspicion"})
    return rows


def _normalise(agg: pd.DataFrame) -> pd.DataFrame:
    agg = agg.copy()
    agg["region"] = agg["region"].astype(object).where(agg["region"].notna(), None)
    for col in agg.columns:
        if col not in ("region", "days"):
            agg[col] = pd.to_numeric(agg[col]).fillna(0).astype("int64")
    if "days" in agg:
        agg["days"] = pd.to_numeric(agg["days"]).astype("Int64")
    return agg


def _sorted(agg: pd.DataFrame) -> pd.DataFrame:
    return agg.sort_values([c for c in ("region", "days") if c in agg], na_position="last").reset_index(drop=True)


def run_definition(engine, defn: Definition, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the engine's aggregate, sorted, for comparisons between engines; the observation rows)."""
    agg = _sorted(_normalise(engine.query(definition_sql(defn, period))))
    if defn.kind == "population_proportion":
        rows = _proportion_rows(defn, period, agg)
    elif defn.kind == "new_cancer_stage_share":
        rows = _proportion_rows(defn, period, agg)
        for row in rows:
            cases = int(agg.loc[agg["region"].notna(), "cases"].sum()) if row["region"] == NATIONAL else \
                int(agg.loc[agg["region"] == row["region"], "cases"].sum())
            row["note"] = f"{int(row['denominator'])} of {cases} new cancers with a recorded stage"
    else:
        rows = _median_rows(defn, period, agg)
    return agg, pd.DataFrame(rows, columns=ROW_COLUMNS)


def run_population_batch(engine, defns: tuple[Definition, ...], period: str
                         ) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Every population definition of ``defns`` for ``period`` in one query (``population_batch_sql``): definition
    id -> what ``run_definition`` returns for it, the same aggregate (a region only where it has a denominator)
    and the same observation rows."""
    defns = tuple(d for d in defns if d.kind == "population_proportion")
    if not defns:
        return {}
    wide = _normalise(engine.query(population_batch_sql(defns, period)))
    out = {}
    for i, defn in enumerate(defns):
        agg = wide[["region", f"denominator_{i}", f"numerator_{i}"]].set_axis(
            ["region", "denominator", "numerator"], axis=1)
        agg = _sorted(agg[agg["denominator"] > 0])
        out[defn.id] = agg, pd.DataFrame(_proportion_rows(defn, period, agg), columns=ROW_COLUMNS)
    return out


def persons_by_region(engine) -> pd.DataFrame:
    """Coverage of the extract: persons per region (``None``: no region), an aggregate."""
    agg = engine.query("SELECT r.region, COUNT(*) AS persons FROM person p LEFT JOIN location l ON "
                       "p.location_id = l.location_id LEFT JOIN region_map r ON l.region_value = r.raw "
                       "GROUP BY r.region")
    return _normalise(agg).sort_values("region", na_position="last").reset_index(drop=True)
