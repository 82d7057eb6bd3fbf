"""Geography: boundaries of Kazakhstan's 20 first-level units, the region-name resolver, the KATO crosswalk and
the one resolver of region values (ISO code, KATO code or name) by period."""

from geo.boundaries import ATTRIBUTION, load_boundaries, map_geojson, map_simplification
from geo.kato import KatoMatch, kato_region
from geo.names import (
    NATIONAL_CODE,
    REGION_CODES,
    RETIRED_CODES,
    Region,
    current_code,
    region,
    region_code,
    region_name,
    regions,
    resolve_names,
)
from geo.region_values import Placement, place_region_value, resolve_region_value

__all__ = [
    "ATTRIBUTION", "NATIONAL_CODE", "REGION_CODES", "RETIRED_CODES", "KatoMatch", "Placement", "Region", "current_code",
    "kato_region", "load_boundaries", "map_geojson", "map_simplification", "place_region_value", "region",
    "region_code", "region_name", "regions", "resolve_names", "resolve_region_value",
]
