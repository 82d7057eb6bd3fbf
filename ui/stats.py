"""Streamlit pieces shared by the statistics pages: the confidence-level picker, the rate-interval method from
config.toml, and the visible note on suppressed small numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.context import settings, t
from ui.widgets import url_selectbox

CONFIDENCE_OPTIONS: dict[str, float] = {"95": 0.95, "99.8": 0.998}


def confidence_picker(container=st) -> float:
    """95 % (default) or 99.8 % intervals, mirrored in the URL as ``?ci=95`` / ``?ci=99.8``."""
    chosen = url_selectbox(t("Confidence level"), list(CONFIDENCE_OPTIONS), "ci", "95", container=container,
                           format_func=lambda k: f"{k}%",
                           help=t("95% intervals flag differences that chance would produce 1 time in 20; 99.8% "
                                  "intervals only those chance would produce about 1 time in 500."))
    return CONFIDENCE_OPTIONS[chosen]


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

