"""World Bank Indicators API v2: national series for Kazakhstan.

Reply shape (see data/reference/API_SHAPES.md): a two-element array ``[paging, rows]``; the paging header has
``page``, ``pages``, ``per_page``, ``total``; each row has ``indicator{id}``, ``countryiso3code``, ``date`` (a year)
and ``value`` (null where not published). Every page 1..pages is followed before anything is returned, so a
failure on any page means nothing from this source is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.config import Settings
from data_sources.connector import Fetched, Tick, base_url, mapping_for, require_keys, rows_frame, source_option
from data_sources.http import HttpClient, SourceError

NAME = "worldbank"
DEFAULT_BASE_URL = "https://api.worldbank.org/v2"
TITLE = "World Bank World Development Indicators (Indicators API v2)"
LICENCE = "CC BY 4.0 (World Bank Open Data terms)"
_MAX_PAGES = 200
_ISO3 = {"KZ": "KAZ"}


def source_record(url: str) -> dict:
    return {"id": "worldbank-wdi", "title": TITLE, "publisher": "World Bank", "url": url, "licence": LICENCE,
            "kind": "api"}


def _page(client: HttpClient, url: str, params: dict, code: str) -> tuple[Mapping, list]:
    reply: Any = client.get_json(url, params)
    what = f"World Bank {code} page {params['page']}"
    if isinstance(reply, list) and reply and isinstance(reply[0], Mapping) and "message" in reply[0]:
        messages = reply[0]["message"] or [{}]
        text = "; ".join(str(m.get("value") or m.get("key") or m) for m in messages if isinstance(m, Mapping))
        raise SourceError(f"{what}: the API answered with an error: {text or reply[0]}")
    if not isinstance(reply, list) or len(reply) != 2:
        raise SourceError(f"{what}: expected a [paging, rows] array, got {type(reply).__name__}"
                          + (f" of {len(reply)}" if isinstance(reply, list) else ""))
    header, rows = reply
    require_keys(header, ("page", "pages"), what)
    if rows is None:  # "no data" replies carry a null row list
        rows = []
    if not isinstance(rows, list):
        raise SourceError(f"{what}: rows are not a list")
    return header, rows


def fetch_indicator(client: HttpClient, base: str, country: str, code: str, per_page: int) -> tuple[list, int]:
    """All rows of one indicator across every page; (rows, requests made)."""
    url = f"{base}/country/{country}/indicator/{code}"
    rows: list = []
    page, pages, calls = 1, 1, 0
    while page <= pages:
        header, page_rows = _page(client, url, {"format": "json", "per_page": per_page, "page": page}, code)
        calls += 1
        try:
            pages = int(header["pages"] or 0)
        except (TypeError, ValueError):
            raise SourceError(f"World Bank {code} page {page}: 'pages' is not a number: {header['pages']!r}") \
                from None
        if pages > _MAX_PAGES:
            raise SourceError(f"World Bank {code}: {pages} pages is more than expected ({_MAX_PAGES})")
        rows += page_rows
        page += 1
    return rows, calls


def _records(rows: list, indicator_id: str, code: str, country: str) -> list[dict]:
    records = []
    for n, row in enumerate(rows, start=1):
        require_keys(row, ("date", "value"), f"World Bank {code} row {n}")
        if row["value"] is None:
            continue  # not published (recent years)
        iso3 = row.get("countryiso3code") or None
        country_id = row["country"].get("id") if isinstance(row.get("country"), Mapping) else None
        if (iso3 or country_id) and country not in (iso3, country_id) and _ISO3.get(country) != iso3:
            raise SourceError(f"World Bank {code} row {n}: country {iso3 or country_id!r} is not {country}")
        reported = (row.get("indicator") or {}).get("id") if isinstance(row.get("indicator"), Mapping) else None
        if reported not in (None, code):
            raise SourceError(f"World Bank {code} row {n}: reply is for indicator {reported!r}")
        records.append({"indicator_id": indicator_id, "region": "KZ", "period": str(row["date"]),
                        "value": row["value"], "note": f"World Bank WDI {code}"})
    return records


def fetch(client: HttpClient, settings: Settings, mapping: Mapping | None = None, tick: Tick | None = None) -> Fetched:
    """Every mapped indicator for the configured country; raises SourceError on any failure."""
    mapping = mapping if mapping is not None else mapping_for(NAME)
    base = base_url(settings, NAME, DEFAULT_BASE_URL)
    country = str(mapping.get("country", "KZ"))
    per_page = int(source_option(settings, NAME, "per_page", 100))
    records: list[dict] = []
    calls = 0
    for indicator_id, code in (mapping.get("indicators") or {}).items():
        rows, n = fetch_indicator(client, base, country, str(code), per_page)
        calls += n
        records += _records(rows, indicator_id, str(code), country)
        if tick:
            tick(indicator_id)
    canonical = f"{DEFAULT_BASE_URL}/country/{country}/indicator"  # published as the source: never a mirror
    return Fetched(source_record(canonical), rows_frame(records), origin="World Bank API reply", requests=calls)


def planned(mapping: Mapping | None = None) -> list[str]:
    mapping = mapping if mapping is not None else mapping_for(NAME)
    return list(mapping.get("indicators") or {})
