"""The heat map (FingertipsNext's HeatMap): the 20 regions × the featured indicators of one domain, each cell the
region's latest value judged against Kazakhstan with the same comparison as the region profile
(``analytics.benchmark.benchmark_regions``: better / similar / worse, polarity-aware; higher / lower without a
polarity; above / below for a complete count; not compared without an interval). A cell whose value or national
value is illustrative is ``illustrative`` (drawn muted and hatched, said in words)."""

from __future__ import annotations

import pandas as pd

from analytics.benchmark import NATIONAL, benchmark_regions
from catalogue import Catalogue, Indicator
from core.i18n import N_
from core.periods import sort_key
from geo import REGION_CODES

# Best to worst, for sorting by a column (a cell with no value last).
CATEGORY_ORDER: dict[str, int] = {"better": 0, "higher": 0, "above": 0, "similar": 1, "worse": 2, "lower": 2,
                                  "below": 2, "not_compared": 3, "no_value": 4}
SHORT_LABELS: dict[str, str] = {  # the verdict in a cell (English msgids; the page translates)
    "better": N_("Better"), "similar": N_("Similar"), "worse": N_("Worse"), "higher": N_("Higher"),
    "lower": N_("Lower"), "above": N_("Above"), "below": N_("Below"), "not_compared": N_("Not compared"),
    "no_value": N_("No value"),
}


def heat_map_indicators(catalogue: Catalogue, domain: str, obs: pd.DataFrame) -> list[Indicator]:
    """Featured regional indicators of ``domain`` (not plain counts) that have a regional value, catalogue order."""
    with_regional = set(obs.loc[(obs["region"] != NATIONAL) & obs["value"].notna(), "indicator_id"])
    return [ind for ind in catalogue.values() if ind.domain == domain and ind.featured and ind.is_regional
            and ind.value_type != "count" and ind.id in with_regional]


def latest_regional_period(obs: pd.DataFrame) -> str | None:
    """The newest period with at least one regional value (the heat map's column period)."""
    regional = obs.loc[(obs["region"] != NATIONAL) & obs["value"].notna(), "period"]
    return max(regional, key=sort_key) if len(regional) else None


def heat_map_cells(obs: pd.DataFrame, indicators: list[Indicator], level: float = 0.95,
                   rate_method: str = "byar", regions: tuple[str, ...] = REGION_CODES) -> pd.DataFrame:
    """One row per region × indicator: ``period``, ``value``, ``national``, ``category`` (``no_value`` where the
    region has none), ``illustrative``, ``boundary_note``."""
    rows = []
    for ind in indicators:
        mine = obs[obs["indicator_id"] == ind.id]
        period = latest_regional_period(mine)
        same = mine[mine["period"] == period] if period is not None else mine.iloc[0:0]
        compared = benchmark_regions(same, ind.value_type, ind.multiplier, ind.polarity, level, rate_method,
                                     census=ind.census).set_index("region") if not same.empty else None
        for region in regions:
            row = compared.loc[region] if compared is not None and region in compared.index else None
            has_value = row is not None and pd.notna(row["value"])
            note = row.get("boundary_note") if row is not None else None
            rows.append({
                "region": region, "indicator_id": ind.id, "period": period,
                "value": float(row["value"]) if has_value else None,
                "national": row["national"] if row is not None else None,
                "category": str(row["category"]) if has_value else "no_value",
                "illustrative": bool(row["illustrative"]) if has_value else False,
                "boundary_note": note if isinstance(note, str) else None,
            })
    return pd.DataFrame(rows, columns=["region", "indicator_id", "period", "value", "national", "category",
                                       "illustrative", "boundary_note"])


def sorted_regions(cells: pd.DataFrame, by: str | None, polarity: str, names: dict[str, str]) -> list[str]:
    """Region codes in display order: by name when ``by`` is None, else by the verdict in column ``by`` (best
    first), then by value (best first: high for "higher is better", low for "lower is better", high without a
    polarity), then by name."""
    regions = list(dict.fromkeys(cells["region"])) or list(names)
    if by is None:
        return sorted(regions, key=lambda r: names.get(r, r))
    column = cells[cells["indicator_id"] == by].set_index("region")

    def key(region: str) -> tuple:
        if region not in column.index:
            return (CATEGORY_ORDER["no_value"], 0.0, names.get(region, region))
        cell = column.loc[region]
        value = cell["value"]
        sign = 1.0 if polarity == "lower_is_better" else -1.0
        return (CATEGORY_ORDER.get(cell["category"], 4), sign * value if pd.notna(value) else float("inf"),
                names.get(region, region))

    return sorted(regions, key=key)
