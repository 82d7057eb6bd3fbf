"""The one translation function behind all user-facing text, plus locale-aware number formatting.

Messages are gettext catalogues (``locales/<lang>/LC_MESSAGES/messages.po``) read with Babel; the English
source text is the message id, so English needs no lookup and a missing translation falls back to English.
``pybabel extract -F babel.cfg -k t -o locales/messages.pot .`` collects every ``t("…")`` call, every text marked
with ``N_("…")`` (texts kept in data and translated later, e.g. domain names) and every ``PageSpec`` title.
"""

from __future__ import annotations

from functools import lru_cache

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from core.config import LANGUAGES
from core.paths import LOCALES_DIR

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


@lru_cache(maxsize=8)
def _messages(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def N_(msgid: str) -> str:
    """Mark a text for the message catalogue without translating it now (gettext_noop); ``t()`` translates it
    where it is shown."""
    return msgid


def translate(msgid: str, lang: str = "en", **values: object) -> str:
    """Translate ``msgid`` into ``lang`` and fill ``{placeholders}`` from ``values``."""
    text = _messages(lang).get(msgid, msgid) if lang in LANGUAGES else msgid
    return text.format(**values) if values else text


def format_number(value: float | int | None, lang: str = "en", decimals: int | None = None) -> str:
    """Locale-aware number (``12,345.6`` in English, ``12 345,6`` in Russian/Kazakh); an em dash for missing."""
    if value is None or value != value:  # NaN
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=lang)
