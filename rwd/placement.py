"""Where a person lives: the location value of an OMOP CDM extract as one of the 20 current regions, or nothing.

A person is *placed* when the configured location column (``location.location_source_value`` by default) gives
one of the 20 current first-level units for the period computed: an ISO 3166-2:KZ code, a name (Russian, Kazakh,
English) or a KATO code, through the one region-value resolver the importer uses (a former unit by the period:
South Kazakhstan before June 2018 is Turkistan Region, after it no single current region), or through a data
holder's crosswalk (``--location-map FILE``). A person who cannot be placed is counted nowhere, not in a region and
not in Kazakhstan: the national value is the sum of the placed. The share placed is a blocking data-quality check
(``[rwd] min_placed_share``, default 0.95), reported with the unplaced persons counted by reason — never a value a
person wrote, only categories and known codes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.i18n import N_, LocalNumber, Message, translate
from geo import NATIONAL_CODE, REGION_CODES, current_code, place_region_value
from geo.kato import kato_prefix
from rwd.quality import BlockingCheckFailed, CheckResult

DEFAULT_MIN_PLACED_SHARE = 0.95
MAP_COLUMNS = ("source_value", "iso_code")

# why a person has no region (a category, never the value itself; a known code of a former unit is kept as value)
REASONS = {
    "no_location": N_("no location (person.location_id empty or not in location)"),
    "empty": N_("{column} empty"),
    "not_kazakh": N_("{column} not a Kazakh region"),
    "national": N_("{column} names Kazakhstan, not a region"),
    "former": N_("{column} {value}: a unit that cannot be placed in {period} (boundary changes of 2018 and 2022)"),
    "former_name": N_("{column} a unit's name that cannot be placed in {period} (boundary changes of 2018 and "
                      "2022)"),
}
CHECK_DESCRIPTION = N_("persons placed in one of the 20 current regions in {period} (at least {share} %)")
SUMMARY = N_("{unplaced} of {persons} persons have no Kazakh region: {reasons}")
REASON_COUNT = N_("{reason} for {n}")


class LocationMapError(ValueError):
    """The ``--location-map`` file cannot be used; the message names the file, the line and what is wrong."""


def read_location_map(path: Path) -> dict[str, str]:
    """A data holder's crosswalk: a CSV with the columns ``source_value`` and ``iso_code`` (one of the 20 current
    codes); a source value mapped twice to different codes, an unknown code or a missing column is an error."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [str(h).strip().lower() for h in (reader.fieldnames or [])]
            if not set(MAP_COLUMNS) <= set(header):
                raise LocationMapError(Message(N_("{file}: a location map needs the columns {expected}; found: "
                                                  "{found}"), file=str(path), expected=", ".join(MAP_COLUMNS),
                                               found=", ".join(header) or "-"))
            reader.fieldnames = header
            mapping: dict[str, str] = {}
            for line, row in enumerate(reader, start=2):
                value, code = (row.get("source_value") or "").strip(), (row.get("iso_code") or "").strip().upper()
                if not value:
                    raise LocationMapError(Message(N_("{file}, line {line}: source_value is empty"),
                                                   file=str(path), line=str(line)))
                current = current_code(code)
                if current is None or current == NATIONAL_CODE:
                    raise LocationMapError(Message(N_("{file}, line {line}: {code} is not one of the 20 current "
                                                      "ISO 3166-2:KZ region codes"),
                                                   file=str(path), line=str(line), code=repr(code)))
                if mapping.get(value, current) != current:
                    raise LocationMapError(Message(N_("{file}, line {line}: {value} is mapped to {first} and to "
                                                      "{second}"), file=str(path), line=str(line),
                                                   value=repr(value), first=mapping[value], second=current))
                mapping[value] = current
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LocationMapError(Message(N_("{file}: cannot read the location map: {error}"), file=str(path),
                                       error=str(exc))) from None
    return mapping


def resolve(value: object, period: str | None, location_map: dict[str, str] | None = None
            ) -> tuple[str | None, str | None, str | None]:
    """(current region or None, why not: a key of ``REASONS``, the boundary note for the period) for one location
    value: the crosswalk first, then the shared resolver (``geo.place_region_value``: ISO, KATO, names)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None, "empty", None
    if location_map and text in location_map:
        return location_map[text], None, None
    found = place_region_value(text, period)
    if found.iso in REGION_CODES:
        return found.iso, None, found.note
    if found.iso == NATIONAL_CODE:
        return None, "national", None
    if found.problem is not None:  # a known unit that names no current region then
        return None, "former" if found.kind in ("iso", "kato") else "former_name", None
    return None, "not_kazakh", None


@dataclass
class Placement:
    """Persons of one period by whether they are placed, the unplaced by reason (aggregates only)."""

    period: str
    column: str
    persons: int = 0
    placed: int = 0
    unplaced: list[dict] = field(default_factory=list)  # {"reason", "value" (a known code or None), "persons"}

    def as_dict(self) -> dict:
        return {"period": self.period, "column": self.column, "persons": self.persons, "placed": self.placed,
                "unplaced": self.unplaced}


def reason_text(item: dict, column: str, period: str, lang: str = "en") -> str:
    return translate(REASONS[item["reason"]], lang, column=column, value=item.get("value") or "", period=period)


def summary(placement: dict, lang: str = "en") -> str:
    """"28 of 28 persons have no Kazakh region: location_source_value empty for 28" (counts and categories)."""
    reasons = "; ".join(translate(REASON_COUNT, lang, reason=reason_text(u, placement["column"],
                                                                         placement["period"], lang),
                                  n=LocalNumber(u["persons"]))
                        for u in placement["unplaced"])
    return translate(SUMMARY, lang, unplaced=LocalNumber(placement["persons"] - placement["placed"]),
                     persons=LocalNumber(placement["persons"]), reasons=reasons or "-")


def _known_code(raw: object) -> str:
    """A former unit's code as reported: an ISO code as written, a KATO code by its first-level prefix only (a
    9-digit code names a settlement, too fine to report)."""
    text = str(raw).strip()
    return kato_prefix(text) or text.upper()


def register_region_map(engine, period: str | None, location_map: dict[str, str] | None = None
                        ) -> dict[str, str]:
    """Register ``region_map`` (raw value -> region, reason, known code) for ``period`` in ``engine``: placed values
    and values of known units that have no current region then; any other value joins as unplaced. Returns the
    boundary note of each region whose territory then differed from today's."""
    raw_values = engine.query("SELECT DISTINCT region_value AS raw FROM location WHERE region_value IS NOT NULL")
    rows, notes = [], {}
    for raw in raw_values["raw"]:
        code, reason, note = resolve(raw, period, location_map)
        if code is not None or reason in ("former", "former_name", "national"):
            rows.append((str(raw), code, reason, _known_code(raw) if reason == "former" else None))
        if code is not None and note:
            notes[code] = note
    engine.register_rows("region_map", {"raw": "VARCHAR", "region": "VARCHAR", "reason": "VARCHAR",
                                        "known": "VARCHAR"}, rows)
    return notes


PLACEMENT_SQL = (
    "SELECT r.region IS NOT NULL AS placed, CASE WHEN l.location_id IS NULL THEN 'no_location' "
    "WHEN r.region IS NOT NULL THEN NULL WHEN r.reason IS NOT NULL THEN r.reason "
    "WHEN TRIM(COALESCE(l.region_value, '')) = '' THEN 'empty' ELSE 'not_kazakh' END AS reason, "
    "r.known AS known, COUNT(*) AS persons FROM person p LEFT JOIN location l ON p.location_id = l.location_id "
    "LEFT JOIN region_map r ON l.region_value = r.raw GROUP BY 1, 2, 3"
)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def count_placement(engine, period: str, column: str) -> Placement:
    """Persons placed and unplaced (by reason) with the ``region_map`` registered for ``period``."""
    found = engine.query(PLACEMENT_SQL)
    out = Placement(period, column)
    order = list(REASONS)
    for placed, reason, known, persons in sorted(
            zip(found["placed"], found["reason"], found["known"], found["persons"], strict=True),
            key=lambda r: (order.index(r[1]) if r[1] in order else -1, "" if _missing(r[2]) else str(r[2]))):
        out.persons += int(persons)
        if bool(placed):
            out.placed += int(persons)
        else:
            out.unplaced.append({"reason": str(reason), "value": None if _missing(known) else str(known),
                                 "persons": int(persons)})
    return out


def placement_check(placement: Placement, min_share: float) -> CheckResult:
    """The blocking check: at least ``min_share`` of the persons placed (an extract without persons fails)."""
    text = translate(CHECK_DESCRIPTION, "en", period=placement.period, share=f"{100 * min_share:g}")
    total = placement.persons
    failing = total - placement.placed if total else 1
    return CheckResult(f"person_placed.{placement.period}", "completeness", text, True, failing, max(total, 1),
                       round(1.0 - min_share, 9))


class PlacementFailed(BlockingCheckFailed):
    """Too few persons placed: nothing computed or written; the message says why, with counts by reason."""

    def __init__(self, failed: list[CheckResult], results: list[CheckResult], placements: list[dict]):
        super().__init__(failed, results)
        self.placements = placements
        failed_periods = {c.id.partition(".")[2] for c in failed}
        details = [summary(p) for p in placements if p["period"] in failed_periods]
        self.args = (f"{self.args[0]}. " + ". ".join(details),)


def check_placement(engine, periods: Iterable[str], column: str, min_share: float,
                    location_map: dict[str, str] | None, checks: list[CheckResult]) -> list[dict]:
    """Count placement for every period (``region_map`` registered for each in turn) and add the checks to
    ``checks``; raises PlacementFailed when a period has too few persons placed."""
    placements, results = [], []
    for period in periods:
        register_region_map(engine, period, location_map)
        placement = count_placement(engine, period, column)
        placements.append(placement.as_dict())
        results.append(placement_check(placement, min_share))
    checks += results
    failed = [c for c in results if not c.passed]
    if failed:
        raise PlacementFailed(failed, checks, placements)
    return placements


# --- the run report as a page shows it (in the reader's language) ------------------------------------------------

STATUS = {
    ("real", "declared"): N_("**Status:** real records, declared by the operator (`--real`)."),
    ("synthetic", "declared"): N_("**Status:** synthetic, declared by the operator (`--synthetic`): every value "
                                  "computed from it is illustrative."),
    ("synthetic", "marker"): N_("**Status:** synthetic, written by the Densaulyq generator (its marker is in "
                                "cdm_source): every value computed from it is illustrative."),
}
STATUS_UNDECLARED = N_("**Status:** {status}, recorded before the status had to be declared.")


def status_text(extract: dict, translate_fn=None, lang: str = "en") -> str:
    """What the run report says about the extract's status; ``translate_fn`` is a page's ``t``."""
    def tr(msgid: str, **values) -> str:
        return translate_fn(msgid, **values) if translate_fn else translate(msgid, lang, **values)

    status = "synthetic" if extract.get("synthetic") else "real"
    key = (extract.get("status", status), extract.get("status_from"))
    if key in STATUS:
        return tr(STATUS[key])
    return tr(STATUS_UNDECLARED, status=tr(N_("synthetic") if status == "synthetic" else N_("real")))


def placement_table(placement: dict, lang: str = "en"):
    """The unplaced persons of one period by reason (a table: reason, persons; a blank count is a small one)."""
    import pandas as pd

    return pd.DataFrame([{"reason": reason_text(u, placement["column"], placement["period"], lang),
                          "persons": u["persons"]} for u in placement.get("unplaced", [])],
                        columns=["reason", "persons"])


def placement_check_text(check: dict, lang: str = "en") -> str | None:
    """The description of a stored placement check in ``lang`` (None for any other check)."""
    base, _dot, period = str(check.get("id", "")).partition(".")
    if base != "person_placed":
        return None
    share = 100 * (1 - float(check.get("max_share") or 0))
    return translate(CHECK_DESCRIPTION, lang, period=period, share=f"{share:g}")
