"""What a reader may see: the instance mode and the small-number rule, built from settings and the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.suppression import DEFAULT_THRESHOLD
from catalogue import Catalogue
from core.config import Settings


@dataclass(frozen=True)
class ReadPolicy:
    """``public``: the read-only instance for everyone (small numbers suppressed); otherwise exact values.

    Hashable, so cached reads can be keyed by it."""

    public: bool
    min_count: int = DEFAULT_THRESHOLD
    count_indicators: frozenset[str] = frozenset()
    exempt_indicators: frozenset[str] = frozenset()  # censuses (catalogue ``census: true``): never suppressed


def policy_for(settings: Settings, catalogue: Catalogue) -> ReadPolicy:
    privacy = settings.section("privacy")
    return ReadPolicy(
        public=settings.is_public,
        min_count=int(privacy.get("min_count", DEFAULT_THRESHOLD)),
        count_indicators=frozenset(i for i, ind in catalogue.items() if ind.value_type == "count"),
        exempt_indicators=frozenset(i for i, ind in catalogue.items() if ind.census),
    )
