"""PNG and SVG downloads of a chart for articles, under the chart: one call per chart.

The image (the chart with its title, period, sources, licence, illustrative badge and credit: ``charts.image``)
is rendered only when a reader clicks a button (Streamlit's deferred download data), never on a page run, and
kept per (figure, metadata, format, language) in this process: Chromium takes seconds per image.
"""

from __future__ import annotations

import hashlib

import orjson
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.image import ImageMeta, file_name, image_meta, with_caption
from charts.render import Format, ImageError, browser_path, render
from core.i18n import N_, translate
from ui.compute import cached_result
from ui.context import language, t

MIME = {"png": "image/png", "svg": "image/svg+xml"}
LABELS = {"png": N_("Image (PNG)"), "svg": N_("Image (SVG)")}
IMAGE_HELP = N_("The chart as an image for articles, with its title, period, sources, licence and credit drawn "
                "in (PNG 1200 px wide, or SVG). Made when you click: it takes a few seconds.")


@st.cache_data(max_entries=64, show_spinner=False)
def _image(digest: str, meta: ImageMeta, fmt: Format, lang: str, _fig: go.Figure) -> bytes:
    def tr(msgid: str, **values: object) -> str:
        return translate(msgid, lang, **values)

    return render(with_caption(_fig, meta, tr, lang), fmt)


def _deferred(fig: go.Figure, meta: ImageMeta, fmt: Format, lang: str):
    def build() -> bytes:
        digest = hashlib.sha256(orjson.dumps(fig.to_dict(), option=orjson.OPT_SERIALIZE_NUMPY)).hexdigest()
        return _image(digest, meta, fmt, lang, fig)

    return build


def image_buttons(fig: go.Figure, title: str, period: str, rows: pd.DataFrame, name: tuple[str, ...], key: str,
                  flag_column: str | tuple[str, ...] = "synthetic", source_rows: pd.DataFrame | None = None,
                  illustrative: bool = False) -> None:
    """PNG and SVG buttons for ``fig``. ``rows``: the data behind the chart, whose ``flag_column`` decides the
    illustrative badge and whose sources (or ``source_rows``') make the source and licence lines; ``illustrative``
    only for a flag the data carries elsewhere (a KPI's own). ``name``: the file name's parts (indicator, period)."""
    lang = language()
    try:
        browser_path()
    except ImageError:
        st.caption(t("Chart images are not available on this server (no Chromium browser is installed)."))
        return
    # once per (rows, title, period, language): the rows' sources and flags are the same on every rerun
    meta = cached_result(image_meta, title, period, rows, flag_column, source_rows, lang,
                         extra_illustrative=illustrative)
    base = file_name(*name)
    columns = st.columns([1, 1, 3])
    for column, fmt in zip(columns, ("png", "svg"), strict=False):
        column.download_button(t(LABELS[fmt]), _deferred(fig, meta, fmt, lang), f"{base}.{fmt}", MIME[fmt],
                               key=f"{key}_image_{fmt}", icon=":material/image:", on_click="ignore",
                               help=t(IMAGE_HELP))
