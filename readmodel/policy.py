"""What a reader may see: the instance mode and the small-number rule, built from settings and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.suppression import DEFAULT_THRESHOLD
from catalogue import Catalogue
from core.config import Settings

UPLOADED_DATA = "Uploaded data"  # how the public instance names a source supplied through the upload page


@dataclass(frozen=True)
class ReadPolicy:
    """``public``: the read-only instance for everyone (small numbers suppressed, no person's name); otherwise
    exact values.

    Hashable, so cached reads can be keyed by it."""

    public: bool
    min_count: int = DEFAULT_THRESHOLD
    count_indicators: frozenset[str] = frozenset()
    exempt_indicators: frozenset[str] = frozenset()  # censuses (catalogue ``census: true``): never suppressed
    multipliers: frozenset[tuple[str, float]] = frozenset()  # indicator -> multiplier of rates and proportions
    proportions: frozenset[str] = frozenset()  # shares of a group of people: their complement is a count too
    organisation: str | None = None  # public name of whoever supplies uploaded data ([privacy] organisation)

    def multiplier(self, indicator_id: str) -> float | None:
        return dict(self.multipliers).get(indicator_id)


def policy_for(settings: Settings, catalogue: Catalogue) -> ReadPolicy:
    privacy = settings.section("privacy")
    return ReadPolicy(
        public=settings.is_public,
        min_count=int(privacy.get("min_count", DEFAULT_THRESHOLD)),
        count_indicators=frozenset(i for i, ind in catalogue.items() if ind.value_type == "count"),
        exempt_indicators=frozenset(i for i, ind in catalogue.items() if ind.census),
        multipliers=frozenset((i, float(ind.multiplier)) for i, ind in catalogue.items()
                              if ind.multiplier and ind.value_type in ("proportion", "rate")),
        proportions=frozenset(i for i, ind in catalogue.items() if ind.value_type == "proportion"),
        organisation=privacy.get("organisation") or None,
    )
