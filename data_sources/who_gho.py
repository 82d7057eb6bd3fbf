"""WHO Global Health Observatory OData API: national series for Kazakhstan.

Reply shape (data/reference/API_SHAPES.md): ``{"@odata.context": ..., "value": [record, ...]}``; a record has
``SpatialDim`` (ISO3), ``TimeDim`` (year), ``Dim1``..``Dim3`` (sex, age …), ``NumericValue``, ``Low``, ``High``.
``Low``/``High`` become the confidence interval; the mapping chooses which dimension values make the series
(e.g. ``Dim1: SEX_BTSX``) and the dimensions are kept in each row's note. ``@odata.nextLink`` is followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from core.config import Settings
from data_sources.connector import Fetched, Tick, base_url, mapping_for, require_keys, rows_frame
from data_sources.http import HttpClient, SourceError

NAME = "who_gho"
DEFAULT_BASE_URL = "https://ghoapi.azureedge.net/api"
TITLE = "WHO Global Health Observatory (GHO OData API)"
LICENCE = "CC BY-NC-SA 3.0 IGO (WHO)"
_DIMS = ("Dim1", "Dim2", "Dim3")
_MAX_PAGES = 50


def source_record(url: str) -> dict:
    return {"id": "who-gho", "title": TITLE, "publisher": "World Health Organization", "url": url,
            "licence": LICENCE, "kind": "api"}


def fetch_indicator(client: HttpClient, base: str, code: str, country: str) -> tuple[list, int]:
    # OData wants %20 for spaces ("+" is not decoded by every server), so the query is encoded here.
    odata_filter = quote(f"SpatialDim eq '{country}'", safe="'")
    url: str | None = f"{base}/{code}?$filter={odata_filter}"
    params: dict | None = None
    records: list = []
    calls = 0
    while url:
        reply: Any = client.get_json(url, params)
        calls += 1
        require_keys(reply, ("value",), f"WHO GHO {code}")
        if not isinstance(reply["value"], list):
            raise SourceError(f"WHO GHO {code}: 'value' is not a list")
        records += reply["value"]
        url, params = reply.get("@odata.nextLink"), None
        if calls > _MAX_PAGES:
            raise SourceError(f"WHO GHO {code}: more than {_MAX_PAGES} pages")
    return records, calls


def _records(raw: list, indicator_id: str, code: str, country: str, dims: Mapping[str, str]) -> list[dict]:
    out = []
    for n, rec in enumerate(raw, start=1):
        require_keys(rec, ("SpatialDim", "TimeDim", "NumericValue"), f"WHO GHO {code} record {n}")
        if rec["SpatialDim"] != country:
            continue
        if any(rec.get(dim) != wanted for dim, wanted in dims.items()):
            continue
        if rec["NumericValue"] is None:
            continue
        kept = [f"{rec.get(d + 'Type') or d}={rec[d]}" for d in _DIMS if rec.get(d)]
        out.append({"indicator_id": indicator_id, "region": "KZ", "period": str(rec["TimeDim"]),
                    "value": rec["NumericValue"], "ci_lower": rec.get("Low"), "ci_upper": rec.get("High"),
                    "note": f"WHO GHO {code}" + (f" ({', '.join(kept)})" if kept else "")})
    return out


def _spec(entry: Any) -> tuple[str, dict]:
    if isinstance(entry, Mapping):
        return str(entry["code"]), dict(entry.get("dims") or {})
    return str(entry), {}


def fetch(client: HttpClient, settings: Settings, mapping: Mapping | None = None, tick: Tick | None = None) -> Fetched:
    mapping = mapping if mapping is not None else mapping_for(NAME)
    base = base_url(settings, NAME, DEFAULT_BASE_URL)
    country = str(mapping.get("country", "KAZ"))
    records: list[dict] = []
    calls = 0
    for indicator_id, entry in (mapping.get("indicators") or {}).items():
        code, dims = _spec(entry)
        raw, n = fetch_indicator(client, base, code, country)
        calls += n
        records += _records(raw, indicator_id, code, country, dims)
        if tick:
            tick(indicator_id)
    return Fetched(source_record(DEFAULT_BASE_URL), rows_frame(records), origin="WHO GHO API reply", requests=calls)


def planned(mapping: Mapping | None = None) -> list[str]:
    mapping = mapping if mapping is not None else mapping_for(NAME)
    return list(mapping.get("indicators") or {})
