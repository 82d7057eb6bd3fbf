"""Boundaries of the 20 current units (OpenStreetMap, ODbL 1.0), loaded once and simplified for the browser."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import geopandas as gpd
import shapely

from core.i18n import N_
from core.paths import GEO_DIR

# The credit every map carries; a msgid (translated where shown), the OpenStreetMap and ODbL names stay as they are.
ATTRIBUTION = N_("Boundaries © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)")
BOUNDARIES_FILE = GEO_DIR / "kz_adm1.geojson"


@lru_cache(maxsize=1)
def load_boundaries() -> gpd.GeoDataFrame:
    """Full-resolution boundaries as a GeoDataFrame indexed by ISO 3166-2:KZ code (EPSG:4326)."""
    gdf = gpd.read_file(BOUNDARIES_FILE)
    return gdf.set_index("iso_code", drop=False).sort_index()


def map_simplification(map_settings: Mapping[str, Any]) -> tuple[float, int]:
    """(tolerance, coordinate precision) of the map's boundaries from ``config.toml [map]``
    (``simplify_tolerance``, ``coordinate_precision``): the arguments of :func:`map_geojson`."""
    return float(map_settings.get("simplify_tolerance", 0.01)), int(map_settings.get("coordinate_precision", 3))


@lru_cache(maxsize=4)
def map_geojson(tolerance: float = 0.01, precision: int = 3) -> dict:
    """GeoJSON for the map: the coverage simplified as a whole (shared borders stay shared, no slivers),
    coordinates rounded to ``precision`` decimals; each feature's ``id`` is its ISO code."""
    gdf = load_boundaries()
    geoms = shapely.coverage_simplify(gdf.geometry.values, tolerance=tolerance, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, 10 ** -precision, mode="pointwise")
    features = []
    for code, geom, name in zip(gdf.index, geoms, gdf["name_en"], strict=True):
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {"iso_code": code, "name_en": name},
            "geometry": json.loads(shapely.to_geojson(geom, indent=None)),
        })
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(geojson: dict) -> int:
    """Size of the GeoJSON as the browser receives it (compact JSON)."""
    return len(json.dumps(geojson, separators=(",", ":")).encode())
