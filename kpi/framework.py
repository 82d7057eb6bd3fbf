"""The KPI framework: definitions read from a YAML file (validated as a whole), stored, and read back.

A framework file looks like ``data/kpi_framework.yaml``. Loading is all-or-nothing: every problem in the file
is reported (KPI id, field, reason) and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, delete, insert, select

from core.access import Identity, require
from core.i18n import N_, Message
from core.periods import parse_period, period_end
from geo.names import current_code
from kpi.errors import ValidationError
from kpi.schema import audit, kpis, region_targets

PILLARS: dict[str, str] = {  # names marked for the message catalogue; pages translate them where shown
    "rwd_rwe": N_("Real-world data and evidence (RWD/RWE)"),
    "young_health": N_("Young Health Program (NCD prevention among young people)"),
    "early_diagnosis": N_("Early diagnosis and screening, diagnostic infrastructure"),
    "sustainable_development": N_("Sustainable development"),
}
DIRECTIONS = ("higher_is_better", "lower_is_better")
AGGREGATIONS = ("cumulative", "snapshot")
# Reasons shared by several checks (msgids; pages show them in the reader's language).
NOT_A_NUMBER = N_("{value} is not a number")
NOT_FINITE = N_("{value} is not a finite number")
NOT_ONE_OF = N_("{value} is not one of {allowed}")
MISSING = N_("missing")
UNKNOWN_KEY = N_("unknown key {key} (allowed: {allowed}); a comma inside {{…}} splits a text, so quote the text "
                 "or write one line per language")
FILE_KEYS = ("illustrative", "title", "kpis")
KPI_KEYS = ("id", "pillar", "name", "unit", "unit_label", "range", "direction", "baseline", "target",
            "region_targets", "aggregation", "owner", "definition", "data_source", "indicator_id", "illustrative")
LANGS = ("en", "ru", "kk")
UNITS: dict[str, tuple[float | None, float | None]] = {  # default allowed range of an actual per unit
    "percent": (0.0, 100.0), "count": (0.0, None), "rate": (0.0, None), "number": (None, None),
    "days": (0.0, None),
}


@dataclass(frozen=True)
class Kpi:
    id: str
    pillar: str
    names: dict[str, str]
    unit: str
    unit_labels: dict[str, str]
    direction: str
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    aggregation: str
    min_value: float | None = None
    max_value: float | None = None
    owner: str = ""
    definition: str = ""
    data_source: str = ""
    indicator_id: str | None = None
    illustrative: bool = False
    region_targets: dict[str, float] = field(default_factory=dict)
    position: int = 0

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names["en"]

    def unit_label(self, lang: str = "en") -> str:
        return self.unit_labels.get(lang) or self.unit_labels.get("en") or self.unit

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower_is_better"

    def in_span(self, quarter: str) -> bool:
        """A quarter ending after the baseline date and starting no later than the target date."""
        year, q = parse_period(quarter)
        if q is None:
            return False
        start = date(year, 3 * q - 2, 1)
        return period_end(quarter) > self.baseline_date and start <= self.target_date

    def check_value(self, value: Any, field_name: str = "value") -> float:
        """The value as a float, or ValidationError naming the field and the allowed range."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(field_name, Message(NOT_A_NUMBER, value=repr(value))) from None
        if math.isnan(number) or math.isinf(number):
            raise ValidationError(field_name, Message(NOT_FINITE, value=repr(value)))
        if self.unit == "count" and not number.is_integer():
            raise ValidationError(field_name, Message(N_("{value} is not a whole number; KPI {kpi} counts ({unit})"),
                                                      value=f"{number:g}", kpi=self.id, unit=self.unit))
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(field_name, Message(
                N_("{value} is below the allowed minimum {limit} ({unit}) of KPI {kpi}"), value=f"{number:g}",
                limit=f"{self.min_value:g}", unit=self.unit, kpi=self.id))
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(field_name, Message(
                N_("{value} is above the allowed maximum {limit} ({unit}) of KPI {kpi}"), value=f"{number:g}",
                limit=f"{self.max_value:g}", unit=self.unit, kpi=self.id))
        return number


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(where, Message(N_("{value} is not a date (YYYY-MM-DD)"), value=repr(value))) from None


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(where, Message(NOT_A_NUMBER, value=repr(value)))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(where, Message(NOT_A_NUMBER, value=repr(value))) from None
    if math.isnan(number) or math.isinf(number):
        raise ValidationError(where, Message(NOT_FINITE, value=repr(value)))
    return number


def _region_targets(raw: Any, where: str) -> dict[str, float]:
    """Per-region targets keyed by current ISO 3166-2:KZ codes; retired letter codes (``KZ-ALA``) are mapped to
    their current code, anything else is an error naming the KPI and the code."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError(f"{where}: region_targets",
                              Message(N_("must be a mapping of region codes to target values")))
    out: dict[str, float] = {}
    for key, value in raw.items():
        code = current_code(key)
        if code is None:
            raise ValidationError(f"{where}: region_targets", Message(
                N_("{code} is not an ISO 3166-2:KZ region code (e.g. KZ-75 for Almaty)"), code=repr(key)))
        if code in out:
            raise ValidationError(f"{where}: region_targets", Message(N_("{code} repeats region {region}"),
                                                                      code=repr(key), region=code))
        out[code] = _number(value, f"{where}: region_targets.{key}")
    return out


def _known_keys(mapping: dict, allowed: tuple[str, ...], where: str) -> None:
    """ValidationError naming the first key of ``mapping`` that is not in ``allowed``."""
    for key in mapping:
        if key not in allowed:
            raise ValidationError(where, Message(UNKNOWN_KEY, key=repr(key), allowed=", ".join(allowed)))


def _texts(raw: Any, where: str) -> dict[str, str]:
    """Texts by language (``en``/``ru``/``kk``): a plain text is English; each given language needs a non-empty text."""
    if not isinstance(raw, dict):
        raw = {"en": raw}
    _known_keys(raw, LANGS, where)
    out: dict[str, str] = {}
    for lang, value in raw.items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            raise ValidationError(f"{where}.{lang}", Message(N_("must be a non-empty text")))
        out[lang] = str(value).strip()
    return out


def _parse_kpi(entry: Any, position: int, default_illustrative: bool) -> Kpi:
    if not isinstance(entry, dict):
        raise ValidationError(f"kpis[{position}]", Message(N_("each KPI must be a mapping of fields")))
    kpi_id = str(entry.get("id") or "").strip()
    where = f"KPI {kpi_id or '#' + str(position + 1)}"
    if not kpi_id:
        raise ValidationError(f"{where}: id", Message(MISSING))
    _known_keys(entry, KPI_KEYS, where)
    for required in ("pillar", "name", "unit", "direction", "baseline", "target", "aggregation"):
        if entry.get(required) in (None, ""):
            raise ValidationError(f"{where}: {required}", Message(MISSING))
    if entry["pillar"] not in PILLARS:
        raise ValidationError(f"{where}: pillar", Message(NOT_ONE_OF, value=repr(entry["pillar"]),
                                                          allowed=", ".join(PILLARS)))
    if entry["unit"] not in UNITS:
        raise ValidationError(f"{where}: unit", Message(NOT_ONE_OF, value=repr(entry["unit"]),
                                                        allowed=", ".join(UNITS)))
    if entry["direction"] not in DIRECTIONS:
        raise ValidationError(f"{where}: direction", Message(NOT_ONE_OF, value=repr(entry["direction"]),
                                                             allowed=", ".join(DIRECTIONS)))
    if entry["aggregation"] not in AGGREGATIONS:
        raise ValidationError(f"{where}: aggregation", Message(NOT_ONE_OF, value=repr(entry["aggregation"]),
                                                               allowed=", ".join(AGGREGATIONS)))
    names = _texts(entry["name"], f"{where}: name")
    if not names.get("en"):
        raise ValidationError(f"{where}: name.en", Message(N_("an English name is required")))
    labels = _texts(entry["unit_label"], f"{where}: unit_label") if entry.get("unit_label") is not None else {}
    for part in ("baseline", "target"):
        if not isinstance(entry[part], dict) or "value" not in entry[part] or "date" not in entry[part]:
            raise ValidationError(f"{where}: {part}", Message(N_("needs a value and a date")))
        _known_keys(entry[part], ("value", "date"), f"{where}: {part}")
    low, high = UNITS[entry["unit"]]
    if entry.get("range") is not None:
        rng = entry["range"]
        if not isinstance(rng, list) or len(rng) != 2:
            raise ValidationError(f"{where}: range", Message(N_("must be [minimum, maximum] (null for open)")))
        low = None if rng[0] is None else _number(rng[0], f"{where}: range")
        high = None if rng[1] is None else _number(rng[1], f"{where}: range")
    kpi = Kpi(
        id=kpi_id, pillar=entry["pillar"], names=names, unit=entry["unit"], unit_labels=labels,
        direction=entry["direction"],
        baseline_value=_number(entry["baseline"]["value"], f"{where}: baseline.value"),
        baseline_date=_date(entry["baseline"]["date"], f"{where}: baseline.date"),
        target_value=_number(entry["target"]["value"], f"{where}: target.value"),
        target_date=_date(entry["target"]["date"], f"{where}: target.date"),
        aggregation=entry["aggregation"], min_value=low, max_value=high, owner=str(entry.get("owner") or ""),
        definition=str(entry.get("definition") or ""), data_source=str(entry.get("data_source") or ""),
        indicator_id=entry.get("indicator_id") or None,
        illustrative=bool(entry.get("illustrative", default_illustrative)),
        region_targets=_region_targets(entry.get("region_targets"), where),
        position=position,
    )
    if kpi.target_date <= kpi.baseline_date:
        raise ValidationError(f"{where}: target.date", Message(N_("must be after the baseline date")))
    kpi.check_value(kpi.baseline_value, f"{where}: baseline.value")
    kpi.check_value(kpi.target_value, f"{where}: target.value")
    return kpi


def parse_framework(text: str, source: str = "framework file") -> list[Kpi]:
    """All KPIs of a framework file, or ValidationError naming the KPI and field at fault."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError(source, Message(N_("not valid YAML: {error}"), error=exc)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("kpis"), list) or not doc["kpis"]:
        raise ValidationError(source, Message(N_("expected a mapping with a non-empty 'kpis' list")))
    _known_keys(doc, FILE_KEYS, source)
    default_illustrative = bool(doc.get("illustrative", False))
    parsed = [_parse_kpi(entry, n, default_illustrative) for n, entry in enumerate(doc["kpis"])]
    seen: set[str] = set()
    for kpi in parsed:
        if kpi.id in seen:
            raise ValidationError(f"KPI {kpi.id}: id", Message(N_("appears more than once")))
        seen.add(kpi.id)
    return parsed


def read_framework_file(path: Path) -> list[Kpi]:
    return parse_framework(Path(path).read_text(encoding="utf-8"), source=Path(path).name)


def _row(kpi: Kpi) -> dict[str, Any]:
    return {
        "id": kpi.id, "position": kpi.position, "pillar": kpi.pillar, "name_en": kpi.names["en"],
        "name_ru": kpi.names.get("ru"), "name_kk": kpi.names.get("kk"), "unit": kpi.unit,
        "unit_label_en": kpi.unit_labels.get("en"), "unit_label_ru": kpi.unit_labels.get("ru"),
        "unit_label_kk": kpi.unit_labels.get("kk"), "direction": kpi.direction,
        "baseline_value": kpi.baseline_value, "baseline_date": kpi.baseline_date, "target_value": kpi.target_value,
        "target_date": kpi.target_date, "min_value": kpi.min_value, "max_value": kpi.max_value, "owner": kpi.owner,
        "definition": kpi.definition, "data_source": kpi.data_source, "indicator_id": kpi.indicator_id,
        "aggregation": kpi.aggregation, "illustrative": kpi.illustrative,
    }


def store_framework(engine: Engine, identity: Identity, framework: list[Kpi], reason: str = "") -> int:
    """Replace the stored framework with ``framework`` in one transaction (admins only); actuals are kept."""
    require(identity, "admin")
    with engine.begin() as conn:
        conn.execute(delete(region_targets))
        conn.execute(delete(kpis))
        conn.execute(insert(kpis), [_row(k) for k in framework])
        targets = [{"kpi_id": k.id, "region": r, "target_value": v} for k in framework
                   for r, v in k.region_targets.items()]
        if targets:
            conn.execute(insert(region_targets), targets)
        conn.execute(insert(audit).values(at=datetime.now().astimezone(), user=identity.user,
                                          action="load_framework", reason=reason or f"{len(framework)} KPIs"))
    return len(framework)


def load_framework_text(engine: Engine, identity: Identity, text: str, source: str = "framework file") -> int:
    """Validate a whole framework file, then store it; nothing is written when any part is invalid."""
    require(identity, "admin")
    return store_framework(engine, identity, parse_framework(text, source), reason=f"loaded {source}")


def list_kpis(engine: Engine) -> list[Kpi]:
    """The stored framework in file order."""
    with engine.connect() as conn:
        rows = conn.execute(select(kpis).order_by(kpis.c.position)).mappings().all()
        targets = conn.execute(select(region_targets)).mappings().all()
    by_kpi: dict[str, dict[str, float]] = {}
    for target in targets:
        region = current_code(target["region"]) or target["region"]  # stored before codes were checked
        by_kpi.setdefault(target["kpi_id"], {})[region] = target["target_value"]
    out = []
    for r in rows:
        names = {lang: r[f"name_{lang}"] for lang in ("en", "ru", "kk") if r[f"name_{lang}"]}
        labels = {lang: r[f"unit_label_{lang}"] for lang in ("en", "ru", "kk") if r[f"unit_label_{lang}"]}
        out.append(Kpi(
            id=r["id"], pillar=r["pillar"], names=names, unit=r["unit"], unit_labels=labels,
            direction=r["direction"], baseline_value=r["baseline_value"], baseline_date=r["baseline_date"],
            target_value=r["target_value"], target_date=r["target_date"], aggregation=r["aggregation"],
            min_value=r["min_value"], max_value=r["max_value"], owner=r["owner"] or "",
            definition=r["definition"] or "", data_source=r["data_source"] or "", indicator_id=r["indicator_id"],
            illustrative=bool(r["illustrative"]), region_targets=by_kpi.get(r["id"], {}), position=r["position"]))
    return out


def get_kpi(engine: Engine, kpi_id: str) -> Kpi:
    for kpi in list_kpis(engine):
        if kpi.id == kpi_id:
            return kpi
    raise ValidationError("kpi_id", Message(N_("no KPI with id {kpi} in the framework"), kpi=repr(kpi_id)))
