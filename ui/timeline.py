"""The map's time slider: a period slider mirrored in the URL (``?period=``, the same key as the period picker) and
a play button that steps through the periods.

Playing is a small fragment that reruns every ``PLAY_STEP_S`` seconds: its first run (inside the page's run) only
arms it; each later run moves the URL to the next period and reruns the page, which draws that period's map. At the
last period playing stops; pressing play there starts again from the first period.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from analytics.timeline import next_period
from ui.context import t
from ui.widgets import _state_key, current_value

PLAY_STEP_S = 2.0
_PLAYING = "_timeline_playing"
_ARMED = "_timeline_armed"


def _go_to(key: str, period: str) -> None:
    st.session_state[_state_key(key)] = period
    st.query_params[key] = period


def _playing(periods: list[str]) -> bool:
    """Playing these periods (another indicator's periods, or another page in between, do not play on)."""
    return st.session_state.get(_PLAYING) == tuple(periods)


def _slid(key: str, widget_key: str) -> None:
    st.session_state[_PLAYING] = None  # a reader's own move stops playing
    _go_to(key, st.session_state[widget_key])


def _toggle_play(key: str, periods: list[str]) -> None:
    playing = not _playing(periods)
    st.session_state[_PLAYING] = tuple(periods) if playing else None
    if playing and current_value(key) == periods[-1]:
        _go_to(key, periods[0])  # play from the start when standing at the end


def period_slider(periods: Sequence[str], period: str, key: str = "period", container=st) -> str:
    """A select slider over ``periods`` standing at ``period`` (the page's period), with a play/pause button
    beside it; returns the period."""
    periods = list(periods)
    if len(periods) < 2:
        return period
    widget_key = f"_w_{key}_slider"
    if st.session_state.get(widget_key) != period:
        st.session_state[widget_key] = period
    slider_col, button_col = container.columns([6, 1], vertical_alignment="bottom")
    slider_col.select_slider(t("Period on the map"), options=periods, key=widget_key, on_change=_slid,
                             args=(key, widget_key),
                             help=t("Move the slider, or press play, to step through the periods; the colour "
                                    "classes stay the same for every period."))
    playing = _playing(periods)
    button_col.button(t("Pause") if playing else t("Play"), key=f"_w_{key}_play",
                      icon=":material/pause:" if playing else ":material/play_arrow:",
                      on_click=_toggle_play, args=(key, periods), use_container_width=True)
    if playing:
        st.session_state[_ARMED] = False
        _ticker(periods, key)
    return period


@st.fragment(run_every=PLAY_STEP_S)
def _ticker(periods: list[str], key: str) -> None:
    if not _playing(periods):
        return
    if not st.session_state.get(_ARMED, False):  # the run inside the page's run: each period stays on screen
        st.session_state[_ARMED] = True
        return
    following = next_period(periods, current_value(key) or periods[0])
    if following is None:
        st.session_state[_PLAYING] = None
    else:
        _go_to(key, following)
    st.rerun(scope="app")
