"""Text from outside (upstream replies, file contents, names) shown inside Markdown-rendering widgets."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~$&])")
WORD_JOINER = "\u2060"
_AUTOLINK_WWW = re.compile(r"(?i)\b(www)\.")
# Explicit-direction controls (LRM, RLM, ALM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI): they make a text read
# differently from what it stores ("Trojan Source"), and hide a formula's "=" behind an invisible character.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def strip_bidi(text: str) -> str:
    """``text`` without bidi control characters."""
    return _BIDI.sub("", text)


def plain(text: object, limit: int | None = 300) -> str:
    """``text`` escaped so Markdown (and the HTML Streamlit allows in it) renders it literally: no link, image,
    emphasis or formula, and no bare URL turned into a link; newlines folded, cut at ``limit`` characters."""
    value = " ".join(strip_bidi(str(text)).split())
    if limit is not None and len(value) > limit:
        value = value[:limit] + "…"
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    # The browser's Markdown turns bare "http://…", "www.…" and "name@host" in the rendered text into links, after
    # escapes and character references are resolved: an invisible word joiner inside each leaves nothing to link.
    escaped = escaped.replace("://", WORD_JOINER + "://").replace("@", WORD_JOINER + "@")
    return _AUTOLINK_WWW.sub(lambda m: m.group(1) + WORD_JOINER + ".", escaped)


# Footnote marks as statistical tables print them after a name, a header or a cell ("Туркестанская**", "2023¹",
# "Всего (1)"): the one definition, for the table reader (data_sources.tables) and the name matcher (geo.names).
FOOTNOTE_MARKS = "*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰"
_FOOTNOTE_TAIL = re.compile(rf"[{FOOTNOTE_MARKS}]+$|\s*\(\d\)$")
# Anywhere in a name: marks, "(2)", "область1)", and a footnote digit after a word ("Туркестанская 1", as BNS prints).
_FOOTNOTE_ANYWHERE = re.compile(rf"[{FOOTNOTE_MARKS}]+|\(\d+\)|\d+\)\s*$|(?<=[^\W\d_])\s+\d$")


def strip_footnote(text: str, anywhere: bool = False) -> str:
    """``text`` without its footnote mark: the trailing one (a header, a cell: ``"2023¹"`` → ``"2023"``), or with
    ``anywhere`` every mark in it, each replaced by a space (a name to match: ``"Туркестанская 1"``)."""
    if anywhere:
        return _FOOTNOTE_ANYWHERE.sub(" ", text)
    return _FOOTNOTE_TAIL.sub("", text.strip()).strip()
