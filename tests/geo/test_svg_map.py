"""The server-drawn map's outlines (``geo.svg_map``): the 20 regions, where they lie on the country's map, in a box
of the country's shape."""

from __future__ import annotations

import re

from geo import REGION_CODES
from geo.svg_map import outline_map

NUMBER_PAIR = re.compile(r"(-?\d+\.\d) (-?\d+\.\d)")


def _points(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in NUMBER_PAIR.findall(path)]


def _centre(path: str) -> tuple[float, float]:
    points = _points(path)
    return sum(x for x, _y in points) / len(points), sum(y for _x, y in points) / len(points)


def test_every_region_once_as_closed_rings_inside_the_box() -> None:
    drawn = outline_map()
    assert sorted(r.code for r in drawn.regions) == sorted(REGION_CODES)
    points = [p for r in drawn.regions for p in _points(r.path)]
    assert all(r.path.startswith("M") and r.path.endswith("Z") for r in drawn.regions)
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    # the country touches the box's four sides (the scale fills the width; the height follows it)
    assert min(xs) == 0.0 and max(xs) == drawn.width
    assert min(ys) == 0.0 and abs(max(ys) - drawn.height) <= 1.0


def test_regions_lie_where_they_are_in_kazakhstan() -> None:
    centre = {r.code: _centre(r.path) for r in outline_map().regions}
    west, east = centre["KZ-27"], centre["KZ-63"]  # West and East Kazakhstan
    north, south = centre["KZ-59"], centre["KZ-79"]  # North Kazakhstan and Shymkent
    assert west[0] < centre["KZ-35"][0] < east[0]  # Karaganda in between, west to east
    assert north[1] < centre["KZ-71"][1] < south[1]  # Astana in between, north to south (SVG's y grows down)
    assert centre["KZ-47"][0] < centre["KZ-23"][0] + 40 and centre["KZ-47"][1] > centre["KZ-23"][1]  # Mangystau


def test_the_box_has_the_countrys_shape_on_web_mercator() -> None:
    drawn = outline_map(width=1000)
    # 46.49–87.32° E by 40.57–55.44° N: 0.7125 rad wide; ln tan(45° + φ/2) from 0.7706 to 1.1624 = 0.3918 high
    assert abs(drawn.height / drawn.width - 0.3918 / 0.7125) < 0.01
