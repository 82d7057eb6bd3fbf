"""What every API connector shares: its configuration (base URL, indicator mapping) and what it returns."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
import yaml

from core.config import Settings
from core.paths import DATA_DIR

MAPPINGS_FILE = DATA_DIR / "source_mappings.yaml"
ROW_COLUMNS = ["_row", "indicator_id", "region", "period", "value", "ci_lower", "ci_upper", "note"]

Tick = Callable[[str], None]  # called once per indicator fetched (drives the CLI progress bar)


@dataclass
class Fetched:
    """Rows of one source in the tidy observation schema, with the sources record they belong to."""

    source: dict
    rows: pd.DataFrame
    origin: str  # how validation messages name the reply, e.g. "World Bank API reply"
    requests: int = 0
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def _load_mappings(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def mapping_for(name: str, path: str | None = None) -> Mapping[str, Any]:
    """The ``data/source_mappings.yaml`` block of connector ``name`` (empty when absent)."""
    return _load_mappings(str(path or MAPPINGS_FILE)).get(name) or {}


def base_url(settings: Settings, name: str, default: str) -> str:
    """Base URL of a connector: env DENSAULYQ_<NAME>_URL, else [sources.<name>].base_url, else the default."""
    env = os.environ.get(f"DENSAULYQ_{name.upper()}_URL")
    configured = settings.section("sources").get(name, {}) if isinstance(settings.section("sources"), Mapping) \
        else {}
    return (env or configured.get("base_url") or default).rstrip("/")


def source_option(settings: Settings, name: str, key: str, default: Any) -> Any:
    section = settings.section("sources").get(name, {})
    return section.get(key, default) if isinstance(section, Mapping) else default


def rows_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=ROW_COLUMNS)
    frame["_row"] = range(1, len(frame) + 1)
    return frame


def require_keys(record: Any, keys: tuple[str, ...], what: str) -> None:
    """Raise SourceError naming the missing fields when a reply record lacks them."""
    from data_sources.http import SourceError

    if not isinstance(record, Mapping):
        raise SourceError(f"{what}: expected an object, got {type(record).__name__}")
    missing = [k for k in keys if k not in record]
    if missing:
        raise SourceError(f"{what}: reply is missing field(s) {', '.join(missing)}")
