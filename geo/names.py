"""Resolve any spelling of a Kazakhstan first-level unit seen in real data to its ISO 3166-2:KZ code.

Handles English, Russian and Kazakh names, Latin transliterations, old names (Nur-Sultan, South Kazakhstan),
"г." / "область" / "oblysy" markers in any position, footnote marks ("Туркестанская**"), case, spacing,
hyphens and diacritics. The national total maps to ``KZ``. Nothing is guessed: a name that is not known is
returned as unmatched so an import can report it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from core.paths import GEO_DIR
from core.text import strip_footnote

NATIONAL_CODE = "KZ"

NATIONAL_NAMES = (
    "Kazakhstan", "Republic of Kazakhstan", "The Republic of Kazakhstan", "Kazakhstan (national)", "Kazakhstan total",
    "Total", "All regions",
    "Республика Казахстан", "Казахстан", "РК", "Всего по республике", "Всего", "Итого", "По республике",
    "Қазақстан Республикасы", "Қазақстан", "ҚР", "Барлығы", "Республика бойынша", "Qazaqstan", "Qazaqstan Respublikasy",
)

# Words that say "this is a region" or "this is a city"; folded to one marker so position and language do not matter.
_REGION_WORDS = {"область", "обл", "облысы", "облысының", "oblast", "oblasti", "oblys", "oblysy", "region", "province",
                 "obl", "регион"}
_CITY_WORDS = {"г", "город", "гор", "қаласы", "каласы", "қ", "city", "qalasy", "kalasy", "qala", "shahar"}
# Kazakh letters folded to their nearest Russian letter, so "Актобе" matches "Ақтөбе".
_KAZAKH_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"})
_PUNCT = re.compile(r"[\s.,;:()\[\]\"'«»“”„`’\-–—/]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_KAZAKH_FOLD)


def name_key(name: str) -> tuple[str, str]:
    """(base words, marker) for a name: ``"г. Нур-Султан"`` → (``"нур султан"``, ``"city"``)."""
    text = strip_footnote(str(name), anywhere=True)  # "**", "(2)", "Туркестанская 1"
    words = [w for w in _PUNCT.split(text) if w]
    folded = [_fold(w) for w in words]
    region_words = {_fold(w) for w in _REGION_WORDS}
    city_words = {_fold(w) for w in _CITY_WORDS}
    marker = ""
    base: list[str] = []
    for w in folded:
        if w in region_words:
            marker = "region"
        elif w in city_words:
            marker = "city"
        else:
            base.append(w)
    return " ".join(base), marker


@dataclass(frozen=True)
class Region:
    code: str
    name_en: str
    name_ru: str
    name_kk: str
    kind: str  # "oblast" | "city"
    code_pre2022: str | None

    def name(self, lang: str = "en") -> str:
        return {"ru": self.name_ru, "kk": self.name_kk}.get(lang, self.name_en)


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """The 20 current first-level units, sorted by ISO code."""
    df = pd.read_csv(GEO_DIR / "kz_adm1_names.csv", dtype=str, keep_default_na=False)
    return tuple(
        Region(r.iso_code, r.name_en, r.name_ru, r.name_kk, r.kind, r.iso_code_pre2022 or None)
        for r in df.sort_values("iso_code").itertuples()
    )


REGION_CODES: tuple[str, ...] = tuple(r.code for r in regions())
RETIRED_CODES: dict[str, str] = {r.code_pre2022: r.code for r in regions() if r.code_pre2022}  # KZ-ALA → KZ-75


def current_code(code: str) -> str | None:
    """The current ISO 3166-2:KZ code of a current or retired (pre-2022 letter) code, ``KZ`` itself, or None."""
    code = str(code).strip().upper()
    if code == NATIONAL_CODE or code in REGION_CODES:
        return code
    return RETIRED_CODES.get(code)


def region(code: str) -> Region:
    for r in regions():
        if r.code == code:
            return r
    raise KeyError(code)


def region_name(code: str, lang: str = "en") -> str:
    """Display name of a region code, or of ``KZ`` (the national value)."""
    if code == NATIONAL_CODE:
        return {"ru": "Казахстан", "kk": "Қазақстан"}.get(lang, "Kazakhstan")
    return region(code).name(lang)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Exact (base, marker) index, and a fallback on the base words alone where that is unambiguous."""
    df = pd.read_csv(GEO_DIR / "kz_adm1_names.csv", dtype=str, keep_default_na=False)
    exact: dict[tuple[str, str], str] = {}
    spellings: list[tuple[str, str]] = []
    for r in df.itertuples():
        names = [r.iso_code, r.iso_code_pre2022, r.name_en, r.name_kk, r.name_ru, *r.aliases.split("|")]
        spellings += [(n, r.iso_code) for n in names if n]
    spellings += [(n, NATIONAL_CODE) for n in NATIONAL_NAMES]
    for spelling, code in spellings:
        exact.setdefault(name_key(spelling), code)
    by_base: dict[str, set[str]] = {}
    for (base, _marker), code in exact.items():
        by_base.setdefault(base, set()).add(code)
    fallback = {base: codes.pop() for base, codes in by_base.items() if len(codes) == 1}
    return exact, fallback


def region_code(name: str) -> str | None:
    """ISO 3166-2:KZ code for ``name`` (``KZ`` for the national total), or None when it cannot be placed."""
    if name is None or not str(name).strip():
        return None
    exact, fallback = _index()
    key = name_key(name)
    if key in exact:
        return exact[key]
    base, marker = key
    code = fallback.get(base)
    if code is None or (code == NATIONAL_CODE and marker):
        return None
    # A city marker on an oblast's name (or the reverse) is a contradiction, not a match.
    kind = "city" if code in {"KZ-71", "KZ-75", "KZ-79"} else "oblast"
    if (marker == "city" and kind != "city") or (marker == "region" and kind == "city"):
        return None
    return code


def resolve_names(names: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map each distinct name to its code; return (mapping, unmatched names in first-seen order)."""
    mapping: dict[str, str] = {}
    unmatched: list[str] = []
    for name in dict.fromkeys(names):
        code = region_code(name)
        if code is None:
            unmatched.append(name)
        else:
            mapping[name] = code
    return mapping, unmatched
