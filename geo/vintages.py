"""Boundary changes of Kazakhstan's first-level units (2018 and 2022) and the vintage of each observation.

* 19 June 2018: Shymkent (KZ-79) became a city of republican significance; South Kazakhstan Region became Turkistan
  Region (KZ-61) without Shymkent.
* 8 June 2022: Abai (KZ-10) split from East Kazakhstan (KZ-63), Jetisu (KZ-33) from Almaty Region (KZ-19), Ulytau
  (KZ-62) from Karaganda (KZ-35).

An observation's *vintage* is the set of boundaries its territory follows: ``pre-2018``, ``2018`` (June 2018 to
June 2022) or ``2022``. Both changes happened mid-year; a year's figure (end-of-year stocks, annual rates) and a
quarter from the third on follow the new boundaries. A boundary note on the row ("pre-2022 boundaries: …",
"post-2022 boundaries") set by the snapshot or the importer overrides that default. A region's series has a
*break* between two observations whose vintages differ in a change that altered its territory; trends and lines
never span a break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core.periods import parse_period, sort_key
from core.provenance_text import BOUNDARY_NOTES

VINTAGES: tuple[str, ...] = ("pre-2018", "2018", "2022")


@dataclass(frozen=True)
class BoundaryChange:
    vintage: str                               # the vintage that starts with this change
    date: str                                  # ISO date of the change
    first_year: int                            # first annual period on the new boundaries
    first_quarter: str                         # first quarter on the new boundaries
    changed: tuple[str, ...]                   # regions whose territory changed (their series break here)
    created: tuple[str, ...]                   # regions that did not exist before (no value before this change)
    former: dict[str, tuple[str, ...]]         # former unit (kept code) -> the units that now make it up
    note: dict[str, str]                       # region -> note for an observation on the boundaries before


BOUNDARY_CHANGES: tuple[BoundaryChange, ...] = (
    BoundaryChange(
        "2018", "2018-06-19", 2018, "2018Q3", changed=("KZ-61",), created=(),
        former={"KZ-61": ("KZ-61", "KZ-79")},
        note={"KZ-61": BOUNDARY_NOTES["KZ-61"]}),
    BoundaryChange(
        "2022", "2022-06-08", 2022, "2022Q3", changed=("KZ-63", "KZ-19", "KZ-35"), created=("KZ-10", "KZ-33", "KZ-62"),
        former={"KZ-63": ("KZ-63", "KZ-10"), "KZ-19": ("KZ-19", "KZ-33"), "KZ-35": ("KZ-35", "KZ-62")},
        note={code: BOUNDARY_NOTES[code] for code in ("KZ-63", "KZ-19", "KZ-35")}),
)
_NOTE_VINTAGE = (  # explicit boundary notes, most specific first
    (re.compile(r"pre-2018", re.I), "pre-2018"),
    (re.compile(r"pre-2022", re.I), "2018"),
    (re.compile(r"post-2022|post-split", re.I), "2022"),
)


def _starts(change: BoundaryChange, period: str) -> bool:
    """Whether ``period`` follows the boundaries this change set."""
    year, quarter = parse_period(period)
    if quarter is None:
        return year >= change.first_year
    return sort_key(period) >= sort_key(change.first_quarter)


def default_vintage(period: str) -> str:
    vintage = VINTAGES[0]
    for change in BOUNDARY_CHANGES:
        if _starts(change, period):
            vintage = change.vintage
    return vintage


def vintage_of(period: str, note: str | None = None) -> str:
    """The vintage of one observation: its boundary note if it has one, else the default for its period."""
    if isinstance(note, str):
        for pattern, vintage in _NOTE_VINTAGE:
            if pattern.search(note):
                return vintage
    return default_vintage(period)


def exists_in(region: str, period: str) -> bool:
    """Whether ``region`` existed as a first-level unit in ``period`` (Abai, Jetisu, Ulytau: from mid-2022)."""
    return not any(region in change.created and not _starts(change, period) for change in BOUNDARY_CHANGES)


def changed_between(region: str, vintage_a: str, vintage_b: str) -> bool:
    """Whether ``region``'s territory differs between two vintages."""
    lo, hi = sorted((VINTAGES.index(vintage_a), VINTAGES.index(vintage_b)))
    return any(region in c.changed for c in BOUNDARY_CHANGES if lo < VINTAGES.index(c.vintage) <= hi)


def boundary_note(region: str, vintage: str) -> str | None:
    """The note an observation of ``region`` on ``vintage`` boundaries carries (None when its territory is today's)."""
    for change in BOUNDARY_CHANGES:
        if region in change.note and VINTAGES.index(vintage) < VINTAGES.index(change.vintage):
            return change.note[region]
    return None


def add_vintages(obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` with a ``boundary`` column (the vintage of each row) and ``boundary_note`` (None where today's)."""
    out = obs.copy()
    notes = out["note"] if "note" in out else pd.Series([None] * len(out), index=out.index)
    out["boundary"] = [vintage_of(p, n) for p, n in zip(out["period"], notes, strict=True)]
    out["boundary_note"] = [boundary_note(r, v) for r, v in zip(out["region"], out["boundary"], strict=True)]
    return out


def current_segment(series: pd.DataFrame) -> pd.DataFrame:
    """The part of one region's series (sorted by period) after its last boundary break: what a trend may use."""
    if series.empty:
        return series
    s = series.assign(_k=series["period"].map(sort_key)).sort_values("_k").drop(columns="_k")
    region = str(s["region"].iloc[0])
    vintages = s["boundary"] if "boundary" in s else [vintage_of(p, n) for p, n in
                                                       zip(s["period"], s.get("note", [None] * len(s)), strict=True)]
    vintages = list(vintages)
    start = 0
    for i in range(1, len(vintages)):
        if changed_between(region, vintages[i - 1], vintages[i]):
            start = i
    return s.iloc[start:]


def segment_ids(series: pd.DataFrame) -> list[int]:
    """For one region's series sorted by period: 0, 0, …, 1, 1 … — a new number after each boundary break."""
    if series.empty:
        return []
    region = str(series["region"].iloc[0])
    vintages = list(series["boundary"]) if "boundary" in series else [
        vintage_of(p, n) for p, n in zip(series["period"], series.get("note", [None] * len(series)), strict=True)]
    ids, current = [0], 0
    for i in range(1, len(vintages)):
        if changed_between(region, vintages[i - 1], vintages[i]):
            current += 1
        ids.append(current)
    return ids



# Names that applied only before a boundary change (a file may still use them for old periods).
FORMER_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "KZ-61": ("2018", ("South Kazakhstan", "South Kazakhstan Region", "Southern Kazakhstan", "Ontustik Kazakhstan",
                       "Ongtüstik Qazaqstan", "Yuzhno-Kazakhstanskaya oblast", "Оңтүстік Қазақстан облысы",
                       "Южно-Казахстанская область", "ЮКО", "KZ-YUZ")),
}


def _is_period(period: str) -> bool:
    try:
        parse_period(period)
    except (TypeError, ValueError):
        return False
    return True


def import_boundary_check(name: str, region: str, period: str, note: str | None) -> tuple[str | None, str | None]:
    """For one imported row: (why the region name cannot hold for the period, or None; the note to store).

    A region that did not exist yet, or a former name used after the change that ended it, is refused. A row on a
    territory that later changed keeps (or gets) its boundary note, so it is never mistaken for today's territory.
    """
    from geo.names import name_key, region_name

    if not _is_period(period):
        return None, note  # the period itself is reported by validation
    if not exists_in(region, period):
        return (f"{region_name(region)} ({region}) did not exist in {period}: it was formed in June 2022; "
                "import the figure under the region that covered the territory then", note)
    former = FORMER_NAMES.get(region)
    vintage = vintage_of(period, note)
    if former is not None and name_key(name)[0] in {name_key(n)[0] for n in former[1]} \
            and VINTAGES.index(default_vintage(period)) >= VINTAGES.index(former[0]):
        return (f"{name!r} is a former name, used only before {former[0]}: from then on {region} covers a "
                f"different territory; use its current name for {period}", note)
    boundary = boundary_note(region, vintage)
    return None, merged_note(note, boundary)


def merged_note(old: str | None, new: str | None) -> str | None:
    """``old`` and ``new`` notes together, neither silently dropped (a note already contained is not repeated)."""
    old = old.strip() if isinstance(old, str) and old.strip() else None
    new = new.strip() if isinstance(new, str) and new.strip() else None
    if new is None or (old is not None and new in old):
        return old
    if old is None or old in new:
        return new
    return f"{old}; {new}"
