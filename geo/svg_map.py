"""The 20 regions as SVG path data, for pages drawn on the server without script (``/view/map``).

Projected with Web Mercator, as the interactive map (MapLibre) draws them, from the same simplified coverage
(``map_geojson``: shared borders stay shared), scaled into a ``width``-wide box with the country's aspect ratio."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from geo.boundaries import map_geojson


@dataclass(frozen=True)
class RegionOutline:
    code: str  # ISO 3166-2:KZ
    path: str  # SVG path data in the box's pixels


@dataclass(frozen=True)
class OutlineMap:
    width: int
    height: int
    regions: tuple[RegionOutline, ...]


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"a region's boundary is a {geometry['type']}, not a polygon")


@lru_cache(maxsize=4)
def outline_map(width: int = 640, tolerance: float = 0.02, precision: int = 3) -> OutlineMap:
    """Every region's outline; ``tolerance`` (degrees) simplifies the coverage as for the interactive map."""
    features = map_geojson(tolerance, precision)["features"]
    projected = {f["id"]: [[_mercator(lon, lat) for lon, lat in ring] for ring in _rings(f["geometry"])]
                 for f in features}
    xs = [x for rings in projected.values() for ring in rings for x, _y in ring]
    ys = [y for rings in projected.values() for ring in rings for _x, y in ring]
    scale = width / (max(xs) - min(xs))
    height = math.ceil((max(ys) - min(ys)) * scale)
    left, top = min(xs), max(ys)

    def ring_path(ring: list[tuple[float, float]]) -> str:
        points = [f"{(x - left) * scale:.1f} {(top - y) * scale:.1f}" for x, y in ring]
        return "M" + "L".join(points) + "Z"

    regions = tuple(RegionOutline(code, "".join(ring_path(ring) for ring in rings))
                    for code, rings in sorted(projected.items()))
    return OutlineMap(width, height, regions)
