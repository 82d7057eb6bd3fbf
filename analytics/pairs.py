"""Two indicators side by side for the regions: each at its latest period with regional data, and which regions
have no point because they lack one (or both) of the two values."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.ranking import latest_period
from geo import NATIONAL_CODE, REGION_CODES


@dataclass(frozen=True)
class Pair:
    both: pd.DataFrame  # index region; value_x, value_y, synthetic_x, synthetic_y
    x_period: str | None
    y_period: str | None
    missing_x: list[str]  # regions without a value of the horizontal indicator at x_period
    missing_y: list[str]  # … of the vertical indicator at y_period

    @property
    def dropped(self) -> list[str]:
        return sorted(set(self.missing_x) | set(self.missing_y))


def _latest(obs: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    regional = obs[(obs["region"] != NATIONAL_CODE) & obs["value"].notna()]
    period = latest_period(regional["period"])
    return regional[regional["period"] == period].set_index("region"), period


def latest_pair(x_obs: pd.DataFrame, y_obs: pd.DataFrame) -> Pair:
    (xs, xp), (ys, yp) = _latest(x_obs), _latest(y_obs)
    both = xs[["value", "synthetic"]].merge(ys[["value", "synthetic"]], left_index=True, right_index=True,
                                            suffixes=("_x", "_y"), how="inner")
    return Pair(both, xp, yp, [c for c in REGION_CODES if c not in xs.index],
                [c for c in REGION_CODES if c not in ys.index])
