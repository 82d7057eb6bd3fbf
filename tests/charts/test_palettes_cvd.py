"""The map's and the funnel's colours stay distinguishable for readers with a colour-vision deficiency.

About 8 % of men see colours differently (mostly red–green: deuteranomaly, protanomaly; rarely blue–yellow:
tritanomaly). Each palette is simulated at 100 % severity with colorspacious (Machado et al. 2009) and every pair of
classes a reader must tell apart — neighbouring classes of a sequential scale, every pair of a categorical one, and
each class against the "no data"/"not compared" grey — must stay at least a stated distance apart in CAM02-UCS, a
space where equal distances look equally different. Thresholds: map regions are large areas, so ΔE ≥ 8 (about
eight just-noticeable differences); the funnel's markers are 10 px points, and small marks need larger differences
to be told apart (Szafir 2017, "Modeling Color Difference for Visualization Design"), so ΔE ≥ 10 there.
"""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
import pytest
from colorspacious import cspace_convert

from analytics.benchmark import CATEGORY_COLOURS, MUTED_COLOURS
from analytics.classes import _NEUTRAL_PALETTE, _WORSE_PALETTE, NO_DATA_COLOUR
from charts.funnel import POSITION_COLOURS

DEFICIENCIES = (None, "deuteranomaly", "protanomaly", "tritanomaly")
MAP_MIN_DELTA_E = 8.0
MARKER_MIN_DELTA_E = 10.0
FUNNEL_ORDER = ("above_998", "above_95", "within", "below_95", "below_998")
VERDICT_SETS = (("better", "similar", "worse", "not_compared"), ("higher", "lower", "not_compared"),
                ("above", "below", "not_compared"))


def _seen(colour: str, deficiency: str | None) -> np.ndarray:
    """``colour`` (#rrggbb) in CAM02-UCS as a reader with ``deficiency`` (100 % severity) sees it."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255
    if deficiency:
        rgb = np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}, "sRGB1"),
                      0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def smallest_difference(pairs: list[tuple[str, str]]) -> tuple[float, str, str, str]:
    """(ΔE, colour, colour, deficiency) of the pair that looks most alike to any reader."""
    return min((float(np.linalg.norm(_seen(a, d) - _seen(b, d))), a, b, d or "normal vision")
               for a, b in pairs for d in DEFICIENCIES)


def test_the_simulation_sees_what_a_deficiency_hides():
    """Red and green, far apart for normal vision, come close under deuteranomaly: the check can fail."""
    normal = float(np.linalg.norm(_seen("#d62728", None) - _seen("#2ca02c", None)))
    delta, _a, _b, who = smallest_difference([("#d62728", "#2ca02c")])
    assert normal > 20 > MAP_MIN_DELTA_E > delta
    assert who in ("deuteranomaly", "protanomaly")


@pytest.mark.parametrize(("name", "palettes"),
                         [("worse (OrRd)", _WORSE_PALETTE), ("neutral (Blues)", _NEUTRAL_PALETTE)])
def test_sequential_map_classes_are_distinguishable(name, palettes):
    for k, colours in palettes.items():
        pairs = [*pairwise(colours), *((NO_DATA_COLOUR, c) for c in colours)]
        delta, a, b, who = smallest_difference(pairs)
        assert delta >= MAP_MIN_DELTA_E, f"{name}, {k} classes: {a} and {b} are ΔE {delta:.1f} apart for {who}"


@pytest.mark.parametrize(("name", "colours"), [("judgements", CATEGORY_COLOURS), ("illustrative", MUTED_COLOURS)])
def test_comparison_map_categories_are_distinguishable(name, colours):
    for group in VERDICT_SETS:
        delta, a, b, who = smallest_difference([(colours[x], colours[y]) for x, y in combinations(group, 2)])
        assert delta >= MAP_MIN_DELTA_E, f"{name} {group}: {a} and {b} are ΔE {delta:.1f} apart for {who}"


def test_funnel_positions_are_distinguishable():
    colours = [POSITION_COLOURS[p] for p in FUNNEL_ORDER]
    delta, a, b, who = smallest_difference(list(combinations(colours, 2)))
    assert delta >= MARKER_MIN_DELTA_E, f"funnel: {a} and {b} are ΔE {delta:.1f} apart for {who}"
