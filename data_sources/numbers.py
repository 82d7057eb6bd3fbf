"""Numbers written as text, with the decimal separator decided once per file, never guessed per cell.

"1.234,5" and "1,234.5" both mean 1234.5, but "2.345" or "12,000" alone could be a decimal or a thousands
group. The file decides: cells that can only be read one way ("12,5", "1.234,5", "1.234.567") vote for their
style; a comma-separated CSV writes decimals with a point. A cell that contradicts the file's style, or that is
ambiguous when the file gives no evidence, is rejected with its row named — never read 1000× off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.i18n import N_, LocalNumber, Message

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")
_FOOTNOTE_TAIL = re.compile(r"[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+$|\s*\(\d\)$")


class ExactNumber(str):
    """A cell that was a number in the file itself (an Excel number cell): no separator to interpret."""


def _compact(text: str) -> str:
    raw = _FOOTNOTE_TAIL.sub("", text.strip()).strip().removesuffix("%").strip()
    return _SPACES.sub("", raw)


def _grouped(digits: str, sep: str) -> bool:
    """'1.234' / '12.345.678' with sep '.': 1–3 digits then groups of exactly three."""
    return re.fullmatch(rf"[-+]?\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+", digits) is not None


def vote(text: str) -> str | None:
    """The decimal separator a cell proves (',' or '.'), or None when it proves nothing."""
    if isinstance(text, ExactNumber) or text.isdigit():
        return None
    s = _compact(text)
    has_comma, has_dot = "," in s, "." in s
    if has_comma and has_dot:
        return "," if s.rfind(",") > s.rfind(".") else "."
    for sep, other in ((",", "."), (".", ",")):
        if s.count(sep) > 1:
            return other if _grouped(s, sep) else None
        if s.count(sep) == 1 and not _grouped(s, sep):
            return sep
    return None


NOT_A_NUMBER = N_("{value} is not a number")
CONFLICT = "both"  # the file's cells prove both separators as often: every cell with a separator is rejected


def decide_decimal(texts: Iterable[str], hint: str | None = None) -> str | None:
    """The file's decimal separator: the one its unambiguous cells use most; else ``hint``; else None
    (undecided) — or :data:`CONFLICT` when cells prove both equally often."""
    votes = {",": 0, ".": 0}
    for text in texts:
        if text is not None and (v := vote(text)):
            votes[v] += 1
    if votes[","] == votes["."]:
        return hint or (CONFLICT if votes[","] else None)
    return "," if votes[","] > votes["."] else "."


def to_float(text: str, decimal: str | None) -> float:
    """``text`` read with the file's ``decimal`` separator (None: undecided); ValueError names the problem (its
    argument is a :class:`Message`, shown in the reader's language)."""
    if isinstance(text, ExactNumber) or text.isdigit():
        return float(text)
    s = _compact(text)
    thousands = "." if decimal == "," else ","
    if decimal == CONFLICT:
        if "," in s or "." in s:
            raise ValueError(Message(N_("{value}: this file writes decimals both with ',' and '.' as often; use one "
                                        "separator for the whole file"), value=repr(text)))
        decimal = "."
    if decimal is None:
        if re.fullmatch(r"[-+]?\d{1,3}[.,]\d{3}", s):
            raise ValueError(Message(N_("{value} is ambiguous ({thousands} thousand or {decimal}?): nothing else in "
                                        "the file shows whether it writes decimals with a comma or a point; write "
                                        "thousands without a separator ({plain})"), value=repr(text),
                                     thousands=s[:-4], decimal=LocalNumber(float(s.replace(",", ".")), 3),
                                     plain=s.replace(",", "").replace(".", "")))
        decimal = vote(s) or "."
        thousands = "." if decimal == "," else ","
    whole, _sep, fraction = s.partition(decimal) if s.count(decimal) == 1 else (s, "", "")
    if thousands in whole:
        if not _grouped(whole, thousands):
            raise ValueError(_notation(text, decimal))
        whole = whole.replace(thousands, "")
    if thousands in fraction or decimal in whole:
        raise ValueError(_notation(text, decimal))
    try:
        number = float(f"{whole}.{fraction}" if fraction else whole)
    except ValueError:
        raise ValueError(Message(NOT_A_NUMBER, value=repr(text))) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(Message(NOT_A_NUMBER, value=repr(text)))
    return number


def _notation(text: str, decimal: str) -> Message:
    return Message(N_("{value} is not a number in this file's notation (decimals written with {decimal})"),
                   value=repr(text), decimal=repr(decimal))
