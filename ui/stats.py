"""Streamlit pieces shared by the statistics pages: the confidence-level picker, the rate-interval method from
config.toml, and the visible note on suppressed small numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.i18n import format_percent
from ui import data
from ui.context import language, settings, t
from ui.data import StoreRead, store_read
from ui.widgets import _remember, _state_key, current_value, fallback_notice, url_selectbox

CONFIDENCE_OPTIONS: dict[str, float] = {"95": 0.95, "99.8": 0.998}


def confidence_picker(container=st) -> float:
    """95 % (default) or 99.8 % intervals, mirrored in the URL as ``?ci=95`` / ``?ci=99.8``."""
    chosen = url_selectbox(t("Confidence level"), list(CONFIDENCE_OPTIONS), "ci", "95", container=container,
                           format_func=lambda k: format_percent(CONFIDENCE_OPTIONS[k], language()),
                           help=t("95% intervals flag differences that chance would produce 1 time in 20; 99.8% "
                                  "intervals only those chance would produce about 1 time in 500."))
    return CONFIDENCE_OPTIONS[chosen]


def url_toggle(label: str, options: dict[str, str], key: str, default: str, container=st) -> str:
    """A horizontal radio (a toggle between a few views) mirrored in the URL as ``?key=<option id>``, like
    ``ui.widgets.url_selectbox``; ``options`` maps option ids to English labels (translated here)."""
    ids = list(options)
    chosen = current_value(key, default)
    if chosen not in ids:
        if st.query_params.get(key) == chosen:  # a link asked for it: say so rather than silently show another
            fallback_notice(label, chosen, t(options[default]))
        chosen = default
    widget_key = f"_w_{key}"
    if st.session_state.get(widget_key) != chosen:
        st.session_state[widget_key] = chosen
    labels = {o: t(options[o]) for o in ids}  # translated now, in this run's language
    value = container.radio(label, ids, key=widget_key, horizontal=True, format_func=labels.get,
                            on_change=_remember, args=(key, widget_key))
    st.session_state[_state_key(key)] = value
    if st.query_params.get(key) != value:
        st.query_params[key] = value
    return value


def rate_method() -> str:
    return str(settings().section("statistics").get("rate_method", "byar"))


def suppression_note(df: pd.DataFrame) -> bool:
    """A visible note when small numbers were suppressed in what the page shows."""
    if "suppressed" not in df or not df["suppressed"].fillna(False).astype(bool).any():
        return False
    threshold = settings().section("privacy").get("min_count", 10)
    st.info(t("Some values are hidden to protect privacy: counts below {n} are suppressed, and so is any value that "
              "would reveal one by subtraction from the total.", n=threshold), icon=":material/visibility_off:")
    return True



# --- Cached statistics: pages re-run on every click, the numbers only change when the store does. ------------------

@store_read(256, per_language=False)  # numbers only
def map_trends(read: StoreRead, indicator_id: str, value_type: str, level: float, period: str | None = None) -> dict:
    """Recent change per region for one indicator up to the period shown (cached per store version, mode, level
    and period)."""
    from analytics.trends import trends_by_region

    return trends_by_region(data.observations(indicator_id), value_type, level, up_to=period)


@store_read(256)
def profile_stats(read: StoreRead, code: str, level: float, method: str) -> tuple:
    """(spine rows, trends, intervals) for one region (cached per store, mode, level and method)."""
    from analytics.spine import region_intervals, region_trends, spine_rows

    obs, catalogue = data.observations(), data.catalogue()
    return (spine_rows(obs, code, catalogue, level, method), region_trends(obs, code, catalogue, level),
            region_intervals(obs, code, catalogue, level, method))


def cached_sensitivity(table: pd.DataFrame, polarities: dict, domains: dict, weights: dict, method: str):
    """Rank ranges under alternative weightings (hundreds of index runs), cached per inputs."""
    from analytics.resilience import sensitivity
    from ui.compute import cached_result

    return cached_result(sensitivity, table, polarities, domains, weights, method)


@store_read(256)
def cached_region_profile(read: StoreRead, code: str) -> pd.DataFrame:
    """Every indicator's latest value, rank and series for one region (cached per store, mode and region)."""
    from analytics.profile import region_profile

    return region_profile(data.observations(), code, data.catalogue())
