"""KATO codes (the national classifier of administrative-territorial objects) to ISO 3166-2:KZ codes.

The first two digits of a KATO code name its first-level unit; since the 2022 revision of ISO 3166-2:KZ the numeric
ISO code *is* that prefix (``75…`` → ``KZ-75`` Almaty). The crosswalk is data (``data/geo/kato_crosswalk.csv``,
source in ``data/geo/SOURCES.md``): one row per prefix and validity interval, so a former unit maps by period:

* ``51`` South Kazakhstan Region, until 2018-06-19 → ``KZ-61`` with the pre-2018 boundary note; after that it
  names nothing (the territory became Turkistan Region and Shymkent) and cannot be placed;
* ``63``, ``19``, ``35`` before 2022-06-08 → themselves with the pre-2022 boundary note (they then included Abai,
  Jetisu, Ulytau); ``10``, ``33``, ``62`` before 2022-06-08 and ``61``, ``79`` before 2018-06-19 did not exist.

The change dates are the ones of :mod:`geo.vintages`; a year or quarter follows the boundaries its vintage says
(2018 and 2018Q3 are on the new ones), so the crosswalk and the boundary notes never disagree. Nothing is guessed:
an unknown code or a code that named nothing in the period gives None (``kato_problem`` says why).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.i18n import N_, Message
from core.paths import GEO_DIR
from geo.vintages import BOUNDARY_CHANGES, VINTAGES, default_vintage

CROSSWALK_FILE = GEO_DIR / "kato_crosswalk.csv"
_CODE = re.compile(r"^\d{2}$|^\d{9}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class KatoMatch:
    iso: str                  # current ISO 3166-2:KZ code the value belongs to
    note: str | None = None   # boundary note when the territory then differed from today's


@dataclass(frozen=True)
class KatoRow:
    prefix: str
    iso_code: str | None      # the unit's own ISO code while valid (KZ-YUZ for South Kazakhstan)
    name_ru: str
    valid_from: str | None    # ISO date, None = before any recorded change
    valid_to: str | None      # ISO date (exclusive), None = still valid
    maps_to: str | None       # None: the code names no unit that can be placed in this interval
    note: str | None


@lru_cache(maxsize=1)
def crosswalk() -> tuple[KatoRow, ...]:
    """The crosswalk rows; every date must be one of the boundary changes of :mod:`geo.vintages`."""
    change_dates = {change.date for change in BOUNDARY_CHANGES}
    rows = []
    with open(CROSSWALK_FILE, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            row = KatoRow(rec["kato_prefix"], rec["iso_code"] or None, rec["name_ru"], rec["valid_from"] or None,
                          rec["valid_to"] or None, rec["maps_to"] or None, rec["note"] or None)
            for day in (row.valid_from, row.valid_to):
                if day is not None and day not in change_dates:
                    raise ValueError(f"{CROSSWALK_FILE.name}: {day} is not a boundary change date of geo.vintages")
            rows.append(row)
    return tuple(rows)


def kato_prefix(code: str | int | None) -> str | None:
    """The two-digit first-level prefix of a 2- or 9-digit KATO code ('751110000' → '75'), or None when ``code``
    is not written as one. Whitespace, a float tail from a spreadsheet ('751110000.0') and one padding zero
    ('0751110000', '075') are tolerated."""
    if code is None or isinstance(code, bool):
        return None
    text = str(code).strip().replace(" ", "").replace("\u00a0", "")
    if text.endswith(".0"):
        text = text[:-2]
    if len(text) in (3, 10) and text.startswith("0"):
        text = text[1:]
    return text[:2] if _CODE.match(text) else None


def _follows(day: str, period: str) -> bool:
    """Whether ``period`` (a year, a quarter or an ISO date) is on the boundaries that start on ``day``."""
    if _DATE.match(period):
        return date.fromisoformat(period) >= date.fromisoformat(day)
    change = next(c for c in BOUNDARY_CHANGES if c.date == day)
    return VINTAGES.index(default_vintage(period)) >= VINTAGES.index(change.vintage)


def _row_for(prefix: str, period: str | None) -> KatoRow | None:
    for row in crosswalk():
        if row.prefix != prefix:
            continue
        if period is None:
            if row.valid_to is None:
                return row
            continue
        if (row.valid_from is None or _follows(row.valid_from, period)) and \
                (row.valid_to is None or not _follows(row.valid_to, period)):
            return row
    return None


def _check_period(period: str | int | None) -> str | None:
    if period is None:
        return None
    text = str(period).strip()
    if _DATE.match(text):
        date.fromisoformat(text)  # ValueError for 2023-13-01
        return text
    default_vintage(text)  # ValueError naming the text when it is not a year or a quarter
    return text


def kato_lookup(code: str | int | None, period: str | int | None = None) -> tuple[KatoMatch | None, Message | None]:
    """(the match, None), or (None, why the code cannot be placed) — the reason is None when ``code`` is not a
    KATO code at all. ``period`` is a year, a quarter or an ISO date; without it, today's classifier applies."""
    prefix = kato_prefix(code)
    if prefix is None:
        return None, None
    when = _check_period(period)
    rows = [r for r in crosswalk() if r.prefix == prefix]
    if not rows:
        return None, Message(N_("KATO code {code}: {prefix} is not the prefix of a first-level unit"),
                             code=str(code).strip(), prefix=prefix)
    row = _row_for(prefix, when)
    if row is not None and row.maps_to is not None:
        return KatoMatch(row.maps_to, row.note), None
    name = rows[0].name_ru
    if when is None:
        return None, Message(N_("KATO code {code} ({name}) names a former unit; give the period of the figure to "
                                "place it"), code=str(code).strip(), name=name)
    if row is not None and row.valid_to is not None:  # the code named nothing yet
        return None, Message(N_("KATO code {code} ({name}) cannot be placed in {period}: the unit exists only from "
                                "{date}"), code=str(code).strip(), name=name, period=when, date=row.valid_to)
    return None, Message(N_("KATO code {code} ({name}) cannot be placed in {period}: the unit was abolished on "
                            "{date}"), code=str(code).strip(), name=name, period=when,
                         date=row.valid_from if row else "?")


def kato_region(code: str | int | None, period: str | int | None = None) -> KatoMatch | None:
    """The current unit a KATO code (2 or 9 digits) belongs to in ``period``, or None: unknown, not a KATO code,
    or naming no unit that can be placed then (see :func:`kato_lookup` for the reason)."""
    return kato_lookup(code, period)[0]
