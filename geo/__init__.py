"""Geography: boundaries of Kazakhstan's 20 first-level units and the region-name resolver."""

from geo.boundaries import ATTRIBUTION, load_boundaries, map_geojson
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

__all__ = [
    "ATTRIBUTION", "NATIONAL_CODE", "REGION_CODES", "RETIRED_CODES", "Region", "current_code", "load_boundaries",
    "map_geojson", "region", "region_code", "region_name", "regions", "resolve_names",
]
