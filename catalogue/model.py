"""The indicator catalogue: what each indicator means, how it is measured and which way is better."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.i18n import N_

DOMAINS: tuple[str, ...] = ("health_outcomes", "screening_coverage", "diagnostic_capacity", "health_system")
DOMAIN_NAMES: dict[str, str] = {
    "health_outcomes": N_("Health outcomes"),
    "screening_coverage": N_("Screening coverage"),
    "diagnostic_capacity": N_("Diagnostic capacity"),
    "health_system": N_("Health system"),
}
POLARITIES: tuple[str, ...] = ("higher_is_better", "lower_is_better", "none")
VALUE_TYPES: tuple[str, ...] = ("proportion", "rate", "count", "mean", "index", "ratio")
FREQUENCIES: tuple[str, ...] = ("annual", "quarterly")
LEVELS: tuple[str, ...] = ("regional", "national")

Polarity = Literal["higher_is_better", "lower_is_better", "none"]


@dataclass(frozen=True)
class Indicator:
    id: str
    name: dict[str, str]
    domain: str
    unit: dict[str, str]
    polarity: Polarity
    value_type: str
    frequency: str
    level: str
    definition: dict[str, str]
    source: str
    licence: str
    multiplier: float | None = None
    decimals: int = 1
    featured: bool = False
    census: bool = False  # a complete count of staff, facilities, equipment or residents: no sampling verdict
    extra: dict = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name["en"]

    def unit_label(self, lang: str = "en") -> str:
        return self.unit.get(lang) or self.unit["en"]

    def definition_text(self, lang: str = "en") -> str:
        return self.definition.get(lang) or self.definition.get("en", "")

    @property
    def is_regional(self) -> bool:
        return self.level == "regional"

    @property
    def has_polarity(self) -> bool:
        return self.polarity != "none"
