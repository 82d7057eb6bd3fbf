"""The regional map's figure and frame, built once per (indicator, period, colouring, level, method, language,
instance mode, store version) and shared by every session of the process (``ui.data.store_read``).

Building the figure (class breaks, one trace per class with its regions' boundaries) and Plotly's deep copies of
the GeoJSON were most of a map rerun; a cached :class:`charts.frozen.FrozenFigure` leaves only the JSON encoding.
The returned frame is shared too: treat it as read-only (``assign``/``join`` make copies).
"""

from __future__ import annotations

import pandas as pd

from analytics.benchmark import benchmark_regions, verdict_label
from analytics.classes import Classes, class_label
from analytics.intervals import METHOD_LABELS
from analytics.summary import regional_summary
from analytics.timeline import fixed_classes_and_span
from catalogue import Indicator
from charts.choropleth import benchmark_choropleth, fixed_class_choropleth, map_frame
from charts.frozen import FrozenFigure, freeze
from charts.locale import localize_figure
from geo import REGION_CODES, region_name
from ui import data
from ui.context import settings, t
from ui.data import StoreRead, store_read
from ui.flags import trend_text
from ui.stats import map_trends
from ui.tables import observation_table


@store_read(128)  # readers arriving together build a missing figure once, not once each
def _map_view(read: StoreRead, indicator_id: str, period: str, mode: str, level: float, method: str, lang: str,
              scheme: str, k: int) -> tuple[FrozenFigure, pd.DataFrame, pd.DataFrame]:
    indicator: Indicator = data.catalogue()[indicator_id]
    obs = data.observations(indicator_id, period)
    names = {code: region_name(code, lang) for code in REGION_CODES}
    frame = map_frame(obs, names).assign(period=period)  # also on regions with no data (their hover says why)
    if mode == "benchmark":
        compared = benchmark_regions(obs, indicator.value_type, indicator.multiplier, indicator.polarity, level,
                                     method, census=indicator.census).set_index("region")[
            ["lower", "upper", "ci_method", "category", "illustrative"]]
        compared = compared.rename(columns={"illustrative": "verdict_illustrative"})
        frame = frame.join(compared, on="region")
        frame["category"] = frame["category"].fillna("not_compared")
        frame["verdict_illustrative"] = frame["verdict_illustrative"].astype("boolean").fillna(False).astype(bool)
        fig = benchmark_choropleth(frame, data.geojson(), indicator, period, lang, t, level)
    elif mode == "completeness":
        from ui.completeness import completeness_map

        fig, frame = completeness_map(indicator, period, frame, lang)
    else:  # the time slider's map: breaks fixed over all periods, a value on other boundaries shown as no data
        fixed, span = _fixed_classes(indicator, scheme, k)
        fig, frame = fixed_class_choropleth(frame, fixed, span, data.geojson(), indicator, period, lang, t)
    return freeze(localize_figure(fig, lang)), frame, obs  # localised before freezing (ui.charts.show_chart)


def _fixed_classes(indicator: Indicator, scheme: str, k: int) -> tuple[Classes, str]:
    """The class breaks of every period of ``indicator`` (and the span of periods), once per store version."""
    def build() -> tuple[Classes, str]:
        return fixed_classes_and_span(data.observations(indicator.id), indicator.polarity, scheme, k)

    return data.view("fixed_classes", (indicator.id, scheme, k), build)


def fixed_class_labels(indicator: Indicator, lang: str) -> tuple[list[str], str]:
    """The map's class labels (low to high, with the unit) and the span of periods they are computed over."""
    map_cfg = settings().section("map")
    fixed, span = _fixed_classes(indicator, str(map_cfg.get("scheme", "quantiles")), int(map_cfg.get("classes", 5)))
    unit = indicator.unit_label(lang)
    return [class_label(fixed.bounds, i, indicator.decimals, lang) + f" {unit}" for i in range(fixed.k)], span


def _key(indicator: Indicator, period: str, mode: str, level: float, method: str, lang: str) -> tuple:
    map_cfg = settings().section("map")
    return (indicator.id, period, mode, level, method, lang, str(map_cfg.get("scheme", "quantiles")),
            int(map_cfg.get("classes", 5)))


def map_view(indicator: Indicator, period: str, mode: str, level: float, method: str, lang: str
             ) -> tuple[FrozenFigure, pd.DataFrame, pd.DataFrame]:
    """(figure, per-region frame, observations) of the map as this instance's readers see it."""
    return _map_view(*_key(indicator, period, mode, level, method, lang))


@store_read(128)
def _map_facts(read: StoreRead, indicator_id: str, period: str, mode: str, level: float, method: str, lang: str,
               scheme: str, k: int) -> tuple[pd.DataFrame, object, bool]:
    _fig, frame, obs = _map_view(indicator_id, period, mode, level, method, lang, scheme, k)
    valued = frame[frame["value"].notna()]
    national = obs[obs["region"] == "KZ"]
    if national.empty:
        return valued, None, False
    return valued, national["value"].iloc[0], bool(national["synthetic"].astype(bool).iloc[0])


def map_facts(indicator: Indicator, period: str, mode: str, level: float, method: str, lang: str
              ) -> tuple[pd.DataFrame, object, bool]:
    """(the regions with a value, the national row's value (None without a national row; a missing value stays
    missing), whether that value is illustrative) of the map's view, derived once per view (a filter of a small
    table is ~1 ms of pandas on every rerun otherwise)."""
    return _map_facts(*_key(indicator, period, mode, level, method, lang))


@store_read(128)
def _map_table(read: StoreRead, indicator_id: str, period: str, mode: str, level: float, method: str, lang: str,
               scheme: str, k: int) -> pd.DataFrame:
    indicator: Indicator = data.catalogue()[indicator_id]
    _fig, frame, _obs = _map_view(indicator_id, period, mode, level, method, lang, scheme, k)
    table = observation_table(frame.assign(indicator_id=indicator.id, period=period), indicator, lang)
    if mode == "benchmark":
        by_region = frame.set_index("region")
        codes = table[t("Code")]
        table[t("Lower limit")] = codes.map(by_region["lower"]).round(indicator.decimals)
        table[t("Upper limit")] = codes.map(by_region["upper"]).round(indicator.decimals)
        table[t("Interval method")] = codes.map(by_region["ci_method"]).map(lambda m: t(METHOD_LABELS.get(m, m)))
        table[t("Compared with Kazakhstan")] = codes.map(lambda c: t(verdict_label(
            by_region.loc[c, "category"], bool(by_region.loc[c, "verdict_illustrative"]))))
    trends = map_trends(indicator.id, indicator.value_type, level, period)  # the trend up to the period shown
    table[t("Recent change")] = table[t("Code")].map(lambda c: trend_text(trends.get(c)))
    notes = frame.set_index("region")["boundary_note"] if "boundary_note" in frame else {}
    table[t("Boundaries")] = [n if isinstance(n, str) else "" for n in table[t("Code")].map(notes)]
    return table


def map_table(indicator: Indicator, period: str, mode: str, level: float, method: str, lang: str) -> pd.DataFrame:
    """The numbers on the map as a table (benchmark columns in that mode, recent change), built once per view."""
    return _map_table(*_key(indicator, period, mode, level, method, lang))


@store_read(128)
def _map_summary(read: StoreRead, indicator_id: str, period: str, mode: str, level: float, method: str, lang: str,
                 scheme: str, k: int) -> str:
    indicator: Indicator = data.catalogue()[indicator_id]
    _fig, _frame, obs = _map_view(indicator_id, period, mode, level, method, lang, scheme, k)
    return regional_summary(obs, {code: region_name(code, lang) for code in REGION_CODES}, lang, indicator.decimals,
                            indicator.unit_label(lang))


def map_summary(indicator: Indicator, period: str, mode: str, level: float, method: str, lang: str) -> str:
    """The map's one-sentence text alternative (``analytics.summary``), built once per view like the figure."""
    return _map_summary(*_key(indicator, period, mode, level, method, lang))
