"""Streamlit's own widget texts in the reader's language, where Streamlit offers no setting for them.

Streamlit (1.67) writes a few texts of its widgets in English in its frontend, with no option an app can set: the
file uploader's "Upload" button, its "200MB per file • CSV, XLSX" line and the uploaded file's size ("206.0B").
Where the app has its own wording for the same thing, the least invasive override is a style rule scoped to the
widget (by its ``key``, ``.st-key-<key>``): Streamlit's text is hidden and the app's translated text is drawn in
its place (CSS ``content``), so nothing of Streamlit is patched and an English reader sees Streamlit's own text.
The sidebar's "View N more" cannot appear: the page links are drawn by the app (ui/sidebar_nav.py).
"""

from __future__ import annotations

import json

import streamlit as st

from core.i18n import N_, format_number
from ui.context import language, t

UPLOAD = N_("Upload a file")
PER_FILE = N_("Up to {size} MB per file • {types}")


def _css_text(text: str) -> str:
    """``text`` as a CSS string (quotes and backslashes escaped, one line)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False).replace("<", "\\3c ")


FILE_SIZE = N_("File {name}: {size} KB")


def localize_file_uploader(key: str, types: list[str], upload=None) -> None:
    """Draw the file uploader ``key``'s button, size limit and the uploaded file's size in the reader's language
    (no change in English)."""
    lang = language()
    if lang == "en":
        return
    max_mb = float(st.get_option("server.maxUploadSize"))
    if upload is not None:
        st.caption(t(FILE_SIZE, name=upload.name, size=format_number(upload.size / 1024, lang, 1)))
    scope = f".st-key-{key}"
    limit = t(PER_FILE, size=format_number(max_mb, lang), types=", ".join(x.upper() for x in types))
    st.html(f"""<style>
{scope} [data-testid="stFileUploaderDropzoneInstructions"] > div > * {{ display: none; }}
{scope} [data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: {_css_text(limit)};
  font-size: 0.875rem; opacity: 0.75; }}
{scope} [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
{scope} [data-testid="stFileUploaderDropzone"] button:has([data-testid="stMarkdownContainer"])::after {{
  content: {_css_text(t(UPLOAD))}; white-space: nowrap; }}
{scope} [data-testid="stFileChipName"] + * {{ display: none; }}
</style>""")
