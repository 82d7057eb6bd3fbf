"""Load and check ``data/indicators.yaml``; a broken catalogue fails loudly, naming the entry and field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from catalogue.model import DOMAINS, FREQUENCIES, LEVELS, POLARITIES, VALUE_TYPES, Indicator
from core.paths import DATA_DIR

CATALOGUE_FILE = DATA_DIR / "indicators.yaml"
_REQUIRED = ("id", "name", "domain", "unit", "polarity", "value_type", "frequency", "level", "definition", "source",
             "licence")
_CHOICES = {"domain": DOMAINS, "polarity": POLARITIES, "value_type": VALUE_TYPES, "frequency": FREQUENCIES,
            "level": LEVELS}


class CatalogueError(ValueError):
    """An entry of the catalogue file is incomplete or inconsistent."""


def _indicator(entry: Mapping, position: int) -> Indicator:
    where = f"indicators.yaml entry {position} ({entry.get('id', '?')})"
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")
    for key, choices in _CHOICES.items():
        if entry[key] not in choices:
            raise CatalogueError(f"{where}: {key} must be one of {', '.join(choices)}, not {entry[key]!r}")
    for key in ("name", "unit"):
        langs = set(entry[key]) if isinstance(entry[key], Mapping) else set()
        if not {"en", "ru", "kk"} <= langs:
            raise CatalogueError(f"{where}: {key} needs en, ru and kk texts")
    if entry["value_type"] in ("proportion", "rate") and not entry.get("multiplier"):
        raise CatalogueError(f"{where}: a {entry['value_type']} needs a multiplier (100 for %, 10000 per 10k …)")
    known = set(_REQUIRED) | {"multiplier", "decimals", "featured", "census"}
    return Indicator(
        id=entry["id"], name=dict(entry["name"]), domain=entry["domain"], unit=dict(entry["unit"]),
        polarity=entry["polarity"], value_type=entry["value_type"], frequency=entry["frequency"],
        level=entry["level"], definition=dict(entry["definition"]), source=entry["source"], licence=entry["licence"],
        multiplier=entry.get("multiplier"), decimals=int(entry.get("decimals", 1)),
        featured=bool(entry.get("featured", False)), census=bool(entry.get("census", False)),
        extra={k: v for k, v in entry.items() if k not in known},
    )


class Catalogue(Mapping[str, Indicator]):
    """Indicators by id, in file order."""

    def __init__(self, indicators: list[Indicator]):
        self._by_id: dict[str, Indicator] = {}
        for ind in indicators:
            if ind.id in self._by_id:
                raise CatalogueError(f"indicators.yaml: id {ind.id!r} appears twice")
            self._by_id[ind.id] = ind

    def __getitem__(self, key: str) -> Indicator:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def select(self, *, level: str | None = None, domain: str | None = None,
               featured: bool | None = None) -> list[Indicator]:
        return [i for i in self._by_id.values()
                if (level is None or i.level == level) and (domain is None or i.domain == domain)
                and (featured is None or i.featured == featured)]

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """The catalogue as a table (what the Data & sources page shows and exports)."""
        return pd.DataFrame([{
            "id": i.id, "name": i.label(lang), "name_en": i.name["en"], "name_ru": i.name["ru"],
            "name_kk": i.name["kk"], "domain": i.domain, "unit": i.unit_label(lang), "polarity": i.polarity,
            "value_type": i.value_type, "multiplier": i.multiplier, "frequency": i.frequency, "level": i.level,
            "definition": i.definition_text(lang), "source": i.source, "licence": i.licence,
        } for i in self._by_id.values()])


def load_catalogue_file(path: Path) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        entries = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # libyaml: ~10× faster
    return Catalogue([_indicator(e, n) for n, e in enumerate(entries, start=1)])


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    return load_catalogue_file(CATALOGUE_FILE)
