"""Filters whose state lives in the URL, so every view can be shared as a link and reopened identically,
and in the session, so it survives moving between pages."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import streamlit as st

from catalogue import DOMAIN_NAMES, Indicator
from core.text import plain
from geo import NATIONAL_CODE, REGION_CODES, region_name
from ui.context import language, t


def _state_key(key: str) -> str:
    return f"_view_{key}"


def current_value(key: str, default: str | None = None) -> str | None:
    """The value a URL-state filter holds now (URL first, then what the session last chose)."""
    return st.query_params.get(key) or st.session_state.get(_state_key(key), default)


def _remember(key: str, widget_key: str) -> None:
    """On a user's change: write the choice to the URL and the session before the rerun reads them (otherwise the
    URL, which wins, would put the old value back)."""
    value = st.session_state[widget_key]
    st.session_state[_state_key(key)] = value
    st.query_params[key] = ",".join(value) if isinstance(value, list) else value


def fallback_notice(label: str, asked: str, shown: str) -> None:
    """One line telling a reader that the link's value does not exist here, and what is shown instead."""
    st.info(t("{label}: “{asked}” is not available here, showing {shown}.", label=label,
              asked=plain(textwrap.shorten(asked, 80, placeholder="…")),
              shown=shown), icon=":material/link_off:")


def url_selectbox(label: str, options: Sequence[str], key: str, default: str | None = None,
                  format_func=str, container=st, help: str | None = None) -> str:
    """A selectbox whose value is mirrored in the URL (``?key=<option id>``) and kept across pages.

    Precedence: a valid value in the URL (a shared link, back/forward), then the session's last choice, then
    ``default``. Values are the option ids, not their translated labels, so a link works in every language.
    (Streamlit's own ``bind="query-params"`` writes the formatted label, which would tie links to a language.)
    """
    options = list(options)
    if not options:
        container.selectbox(label, [t("No data")], disabled=True, key=f"_w_{key}_empty")
        return ""
    default = default if default in options else options[0]
    chosen = current_value(key, default)
    if chosen not in options:
        if st.query_params.get(key) == chosen:  # a link asked for it: say so rather than silently show another
            fallback_notice(label, chosen, format_func(default))
        chosen = default
    widget_key = f"_w_{key}"
    if st.session_state.get(widget_key) != chosen:
        st.session_state[widget_key] = chosen
    labels = {o: format_func(o) for o in options}  # formatted now, in this run's language
    value = container.selectbox(label, options, key=widget_key, format_func=labels.get, help=help,
                                on_change=_remember, args=(key, widget_key))
    st.session_state[_state_key(key)] = value
    if st.query_params.get(key) != value:
        st.query_params[key] = value
    return value


def url_multiselect(label: str, options: Sequence[str], key: str, default: Sequence[str],
                    format_func=str, container=st) -> list[str]:
    """Multiselect mirrored in the URL as a comma-separated list of option ids."""
    options = list(options)
    raw = st.query_params.get(key)
    chosen = raw.split(",") if raw else st.session_state.get(_state_key(key), list(default))
    unknown = [c for c in chosen if c not in options]
    known = [c for c in chosen if c in options]
    if raw and unknown and known:
        fallback_notice(label, ", ".join(unknown), ", ".join(format_func(c) for c in known))
    elif raw and unknown:  # none of the link's values exists: say so, and show the defaults (named)
        known = [c for c in default if c in options]
        st.info(t("{label}: none of “{asked}” is available here, showing {shown}.", label=label,
                  asked=textwrap.shorten(", ".join(unknown), 80, placeholder="…"),
                  shown=", ".join(format_func(c) for c in known) or t("nothing")), icon=":material/link_off:")
    chosen = known
    widget_key = f"_w_{key}"
    if st.session_state.get(widget_key) != chosen:
        st.session_state[widget_key] = chosen
    labels = {o: format_func(o) for o in options}  # formatted now, in this run's language
    value = container.multiselect(label, options, key=widget_key, format_func=labels.get,
                                  on_change=_remember, args=(key, widget_key))
    st.session_state[_state_key(key)] = value
    if st.query_params.get(key, "") != ",".join(value):
        st.query_params[key] = ",".join(value)
    return value


def indicator_picker(indicators: Sequence[Indicator], default_id: str, key: str = "indicator",
                     label: str | None = None, container=st) -> Indicator:
    lang = language()
    by_id = {i.id: i for i in indicators}
    ordered = sorted(by_id, key=lambda i: (not by_id[i].featured, list(DOMAIN_NAMES).index(by_id[i].domain)))
    chosen = url_selectbox(
        label or t("Indicator"), ordered, key, default_id, container=container,
        format_func=lambda i: f"{by_id[i].label(lang)} · {t(DOMAIN_NAMES[by_id[i].domain])}")
    return by_id[chosen]


def period_picker(periods: Sequence[str], key: str = "period", container=st) -> str:
    """Periods oldest to newest; the latest is the default."""
    return url_selectbox(t("Period"), periods, key, periods[-1] if periods else None, container=container)


def no_data_notice(indicator: Indicator) -> None:
    """Says that a catalogue indicator has no value yet (e.g. one computed from real-world data before any run)."""
    st.info(t("No data yet for this indicator: {indicator}. It is in the catalogue; its values appear here once "
              "they are imported or computed.", indicator=indicator.label(language())))


def stop_without_data(indicator: Indicator, periods: Sequence[str]) -> None:
    """With no period of data: the notice, and the page ends there instead of drawing an empty chart."""
    if not periods:
        no_data_notice(indicator)
        st.stop()


def region_picker(key: str = "region", include_national: bool = False, container=st,
                  default: str | None = None) -> str:
    lang = language()
    codes = ([NATIONAL_CODE] if include_national else []) + sorted(REGION_CODES, key=lambda c: region_name(c, lang))
    return url_selectbox(t("Region"), codes, key, default or codes[0], container=container,
                         format_func=lambda c: region_name(c, lang))
