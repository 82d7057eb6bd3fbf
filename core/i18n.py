"""The one translation function behind all user-facing text, plus the one locale formatting helper.

Messages are gettext catalogues (``locales/<lang>/LC_MESSAGES/messages.po``) read with Babel once per process; the
English source text is the message id, so English needs no lookup and a missing translation falls back to English.
``pybabel extract -F babel.cfg -k t -o locales/messages.pot .`` collects every ``t("…")`` call, every text marked
with ``N_("…")`` (texts kept in data and translated later, e.g. domain names), every ``PageSpec`` title and every
plural pair marked ``P_("{n} row", "{n} rows")`` (``t(P_(…), n=…)`` picks the plural form the language's CLDR rule
gives for ``n``: Russian has three, Kazakh two).

Numbers, percentages, dates and times are formatted by Babel for the language (``format_number``, ``format_percent``,
``format_date``, ``format_datetime``); ``number_separators`` gives the same decimal and group symbols to Plotly
charts. A number inside a :class:`Message` built in domain code is a :class:`LocalNumber`, written the reader's
way when the message is translated.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_date_format, get_datetime_format
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol, parse_pattern

from core.config import LANGUAGES
from core.paths import LOCALES_DIR

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
Msgid = str | tuple[str, str]
PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")


@lru_cache(maxsize=8)
def _messages(lang: str) -> dict[str, str | tuple[str, ...]]:
    """msgid (the singular, for plural entries) -> translation, or the tuple of plural forms."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    out: dict[str, str | tuple[str, ...]] = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, (list, tuple)):
            if all(m.string):
                out[str(m.id[0])] = tuple(str(s) for s in m.string)
        elif m.string:
            out[str(m.id)] = str(m.string)
    return out


@lru_cache(maxsize=8)
def _plural_index(lang: str) -> Callable[[int], int]:
    """The gettext plural-form index for a count, from Babel's CLDR-derived Plural-Forms of the language."""
    return gettext.c2py(get_plural(lang).plural_expr)


def N_(msgid: str) -> str:
    """Mark a text for the message catalogue without translating it now (gettext_noop); ``t()`` translates it
    where it is shown."""
    return msgid


class Message(str):
    """An English message built in domain code (a validation error, an import problem) that keeps its msgid and
    values, so a page can show it in the reader's language: ``t(err.reason)``. It is the English text as a ``str``.

    ``Message(N_("{value} is not a number"), value="'x'")``: values are inserted as given (format them first)."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Message:
        obj = super().__new__(cls, msgid.format(**values) if values else msgid)
        obj.msgid, obj.values = msgid, values
        return obj


class LocalNumber(str):
    """A number inside a :class:`Message` (a row count, a size in MB): the English text (``1,048,576``) as a
    ``str``, written the reader's way (``1 048 576``) when the message is translated."""

    value: float
    decimals: int | None

    def __new__(cls, value: float | int, decimals: int | None = None) -> LocalNumber:
        obj = super().__new__(cls, format_number(value, "en", decimals))
        obj.value, obj.decimals = value, decimals
        return obj


def _localized(value: object, lang: str) -> object:
    if isinstance(value, Message):  # a nested message
        return translate(value, lang)
    if isinstance(value, LocalNumber):
        return format_number(value.value, lang, value.decimals)
    return value


def P_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a text that counts something (ngettext_noop): ``t(P_("{n} row", "{n} rows"), n=3)``."""
    return singular, plural


def _count(values: dict[str, object]) -> int:
    count = values.get("n", next((v for v in values.values() if isinstance(v, int)), 0))
    try:
        return abs(int(count))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def translate(msgid: Msgid, lang: str = "en", **values: object) -> str:
    """Translate ``msgid`` into ``lang`` and fill ``{placeholders}`` from ``values``.

    A plural pair (from ``P_``) picks its form by the count ``n`` (else the first integer value); a
    :class:`Message` brings its own msgid and values."""
    if isinstance(msgid, Message):
        return translate(msgid.msgid, lang, **{**msgid.values, **values})
    values = {k: _localized(v, lang) for k, v in values.items()}  # nested messages, numbers
    found = _messages(lang).get(msgid[0] if isinstance(msgid, tuple) else msgid) if lang in LANGUAGES else None
    if isinstance(msgid, tuple):
        n = _count(values)
        if isinstance(found, tuple):
            text = found[min(_plural_index(lang)(n), len(found) - 1)]
        else:
            text = msgid[0] if n == 1 else msgid[1]
    else:
        text = found if isinstance(found, str) else msgid
    return text.format(**values) if values else text


def _locale(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


@lru_cache(maxsize=16)
def _babel_locale(lang: str) -> Locale:
    """The parsed Babel locale of ``lang`` (parsing it on every cell was a tenth of a long table's cost)."""
    return Locale.parse(_locale(lang))


@lru_cache(maxsize=64)
def _number_pattern(decimals: int):
    """Babel's parsed number pattern with ``decimals`` fixed decimals, grouped thousands."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def format_number(value: float | int | None, lang: str = "en", decimals: int | None = None) -> str:
    """Locale-aware number (``12,345.6`` in English, ``12 345,6`` in Russian/Kazakh); an em dash for missing."""
    if value is None or value != value:  # NaN
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return format_decimal(value, format=_number_pattern(decimals), locale=_babel_locale(lang))


def format_percent(share: float | None, lang: str = "en", decimals: int | None = None) -> str:
    """A share (0.998) as a percentage in the language's style (``99.8%``, ``99,8 %``); trailing ``,0`` dropped."""
    if share is None or share != share:
        return "—"
    pct = float(share) * 100
    if decimals is None:
        decimals = 0 if round(pct, 1).is_integer() else 1
    number = format_number(round(pct, decimals), lang, decimals)
    return f"{number}%" if _locale(lang) == "en" else f"{number}\u00a0%"


def _as_datetime(value: date | datetime | str | None) -> date | datetime | None:
    """A date or datetime from what the store and pandas hand over (ISO text, a Timestamp); None when missing."""
    if value is None or value != value or value == "":
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    return value


# Babel's medium Kazakh pattern writes the day with a leading zero ("2026 ж. 06 жел."); Kazakh writes it without.
@lru_cache(maxsize=8)
def _medium_pattern(lang: str) -> str:
    pattern = get_date_format("medium", locale=_locale(lang)).pattern
    return pattern.replace("dd", "d") if _locale(lang) == "kk" else pattern


def _medium_date(value: date | datetime, lang: str) -> str:
    return _babel_date(value, format=_medium_pattern(lang), locale=_babel_locale(lang))


def format_date(value: date | datetime | str | None, lang: str = "en") -> str:
    """A calendar date as the language writes it (Babel's medium format: ``Nov 26, 2026``, ``26 нояб. 2026 г.``,
    ``2026 ж. 6 жел.``)."""
    value = _as_datetime(value)
    return "—" if value is None else _medium_date(value, lang)


def format_datetime(value: datetime | str | None, lang: str = "en") -> str:
    """A moment as the language writes it: the medium date and the short time, joined the locale's way
    (``Nov 26, 2026, 3:07 PM``, ``26 нояб. 2026 г., 15:07``, ``2026 ж. 26 қар., 15:07``). The time is shown as
    stored (the store keeps UTC); a time-zone-aware value is shown in UTC."""
    value = _as_datetime(value)
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    locale = _locale(lang)
    return get_datetime_format("medium", locale=locale).replace("'", "").format(
        _babel_time(value, format="short", locale=locale), _medium_date(value, locale))


def number_separators(lang: str = "en") -> str:
    """Decimal and group symbols for Plotly's ``layout.separators`` (axes, hover and labels follow the language)."""
    loc = Locale.parse(_locale(lang))
    return get_decimal_symbol(loc) + get_group_symbol(loc)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message (format specs ignored)."""
    return set(PLACEHOLDER.findall(text))


# The browser's product language, negotiated on the page request and handed to the session (server/language.py).
BROWSER_LANGUAGE_COOKIE = "densaulyq_browser_lang"


def negotiate_language(accept_language: str | None, default: str) -> str:
    """The first product language the browser's ``Accept-Language`` header asks for (by q-value), else ``default``."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for pos, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, pos, tag.strip().lower().split("-")[0]))
    for neg_q, _, primary in sorted(ranked):
        if neg_q < 0 and primary in LANGUAGES:
            return primary
    return default
