"""Classed choropleth values: breaks by quantiles or natural breaks (mapclassify), colours by polarity.

Whatever the indicator's direction, darker means worse: for "higher is better" the lowest class is darkest.
Indicators with no polarity (population, counts) use a neutral palette where darker simply means higher.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

# ColorBrewer sequential palettes (colour-blind safe), light to dark, for 2–5 classes.
_WORSE_PALETTE = {  # OrRd: light = better, dark red = worse
    2: ["#fdd49e", "#d7301f"],
    3: ["#fee8c8", "#fdbb84", "#e34a33"],
    4: ["#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"],
    5: ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],
}
_NEUTRAL_PALETTE = {  # Blues: darker = higher
    2: ["#9ecae1", "#3182bd"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
}
NO_DATA_COLOUR = "#d9d9d9"
warnings.filterwarnings("ignore", message="Numba not installed")  # 20 values: pure Python is fast enough
SCHEMES = ("quantiles", "natural_breaks")


@dataclass(frozen=True)
class Classes:
    """Class intervals of a set of values: ``bounds[i]`` to ``bounds[i+1]`` is class ``i`` (low to high)."""

    bounds: list[float]
    colours: list[str]  # per class, low value to high value
    assignment: pd.Series  # class index per item (same index as the values)
    illustrative: bool = False  # the breaks are computed from values of which some are illustrative

    @property
    def k(self) -> int:
        return len(self.colours)


def classify(values: pd.Series, polarity: str = "none", scheme: str = "quantiles", k: int = 5,
             illustrative: pd.Series | None = None) -> Classes:
    """Classify ``values`` (NaN stays unclassified, as -1) into at most ``k`` classes. ``illustrative``: per value,
    whether it is illustrative; the breaks are then illustrative when any value they are computed from is."""
    flagged = False if illustrative is None else bool(
        illustrative.reindex(values.index).fillna(False).astype(bool)[values.notna()].any())
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    present = values.dropna().astype(float)
    distinct = int(present.nunique())
    assignment = pd.Series(-1, index=values.index, dtype=int)
    if distinct == 0:
        return Classes([], [], assignment, flagged)
    if distinct <= k:  # one class per distinct value (quantiles would merge tied values into fewer classes)
        k = distinct
        uniques = np.sort(present.unique())
        bounds = [float(uniques[0]), *map(float, uniques)]
        assignment[present.index] = np.searchsorted(uniques, present.to_numpy())
    else:
        y = present.to_numpy()
        mc = mapclassify.Quantiles(y, k=k) if scheme == "quantiles" else mapclassify.FisherJenks(y, k=k)
        k = len(mc.bins)
        bounds = [float(y.min()), *map(float, mc.bins)]
        assignment[present.index] = np.asarray(mc.yb, dtype=int)
    palette = (_NEUTRAL_PALETTE if polarity == "none" else _WORSE_PALETTE).get(max(k, 2))[-k:] if k > 1 else \
        ["#6baed6" if polarity == "none" else "#fc8d59"]
    colours = list(palette)
    if polarity == "higher_is_better":
        colours = colours[::-1]  # low values are worse, so they get the dark end
    return Classes(bounds, colours, assignment, flagged)


def class_label(bounds: list[float], i: int, decimals: int, lang: str = "en") -> str:
    from core.i18n import format_number

    return f"{format_number(bounds[i], lang, decimals)} – {format_number(bounds[i + 1], lang, decimals)}"
