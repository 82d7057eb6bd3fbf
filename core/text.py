"""Text from outside (upstream replies, file contents, names) shown inside Markdown-rendering widgets."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~$])")


def plain(text: object, limit: int | None = 300) -> str:
    """``text`` escaped so Markdown (and the HTML Streamlit allows in it) renders it literally: no link, image,
    emphasis or formula, and no bare URL turned into a link; newlines folded, cut at ``limit`` characters."""
    value = " ".join(str(text).split())
    if limit is not None and len(value) > limit:
        value = value[:limit] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value).replace("://", r":\/\/")
