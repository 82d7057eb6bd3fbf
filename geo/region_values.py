"""One resolver for a region value as data holders write it, used by the file importer and the RWD pipeline.

Tried in order: an ISO 3166-2:KZ code (current numeric, ``KZ`` for the national total, or a retired alphabetic
code such as ``KZ-ALA``), a KATO code (2 or 9 digits, :mod:`geo.kato`; a former unit maps by period), then a name
through :func:`geo.names.region_code`. With a period, a unit that did not exist then, or a former name used after
its territory changed, is not placed (:func:`geo.vintages.import_boundary_check`), and a territory that later
changed gets its boundary note. Nothing is guessed: what cannot be placed gives no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.kato import kato_lookup, kato_prefix
from geo.names import current_code, region_code
from geo.vintages import import_boundary_check

_DATE = re.compile(r"^(\d{4})-(\d{2})-\d{2}$")


@dataclass(frozen=True)
class Placement:
    """Where a region value goes: ``iso`` (None when it cannot be placed), the boundary ``note`` for the row,
    and ``problem``: why a value that looks like a region could not be placed (None when simply unknown)."""

    iso: str | None
    note: str | None = None
    problem: str | None = None
    kind: str | None = None  # "iso", "kato" or "name": how the value was read


def _as_period(period: str | int | None) -> str | None:
    """A year, a quarter, or the quarter of an ISO date (for the boundary check of names and ISO codes)."""
    if period is None:
        return None
    text = str(period).strip()
    match = _DATE.match(text)
    if match:
        return f"{match.group(1)}Q{(int(match.group(2)) - 1) // 3 + 1}"
    return text


def place_region_value(value: object, period: str | int | None = None) -> Placement:
    """Place one region value (see the module docstring); ``period`` is a year, a quarter or an ISO date."""
    if value is None:
        return Placement(None)
    text = str(value).strip()
    if not text or text.casefold() == "nan":
        return Placement(None)
    if kato_prefix(text) is not None:
        match, problem = kato_lookup(text, period)
        if match is None:
            return Placement(None, problem=problem, kind="kato")
        return Placement(match.iso, match.note, kind="kato")
    iso = current_code(text)
    kind = "iso"
    if iso is None:
        iso, kind = region_code(text), "name"
    if iso is None:
        return Placement(None)
    when = _as_period(period)
    if when is None:
        return Placement(iso, kind=kind)
    problem, note = import_boundary_check(text, iso, when, None)
    if problem:
        return Placement(None, problem=problem, kind=kind)
    return Placement(iso, note, kind=kind)


def resolve_region_value(value: object, period: str | int | None = None) -> tuple[str | None, str | None]:
    """(ISO 3166-2:KZ code or None, boundary note or None) for one region value in ``period``."""
    placement = place_region_value(value, period)
    return placement.iso, placement.note
