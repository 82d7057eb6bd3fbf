"""Kazakhstan's open-data portal (data.egov.kz API v4): regional series published by BNS and ministries.

``GET {base}/api/v4/{dataset}/v{version}?apiKey=KEY&source={"from": i, "size": n}`` — ``source`` is an
Elasticsearch query; the body is treated as a JSON array of flat records (UNVERIFIED: no sample reply was
available, see data/reference/API_SHAPES.md). The portal needs a signed key (``DENSAULYQ_EGOV_API_KEY``); no
regional health dataset index is confirmed yet, so the mapping in data/source_mappings.yaml starts empty and the
BNS tables are brought in as downloaded files with ``python -m data_sources import FILE --indicator ID``
(one row per region, one column per year).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from core.config import Settings
from data_sources.connector import Fetched, Tick, base_url, mapping_for, require_keys, rows_frame
from data_sources.http import HttpClient, SourceError
from geo import region_code

NAME = "egov"
DEFAULT_BASE_URL = "https://data.egov.kz"
TITLE = "Open data portal of Kazakhstan (data.egov.kz), BNS and ministry datasets"
LICENCE = "Open data of the Republic of Kazakhstan (data.egov.kz terms), reused with attribution"
PAGE_SIZE = 500
_MAX_PAGES = 100


def source_record(url: str) -> dict:
    return {"id": "data-egov-kz", "title": TITLE, "publisher": "data.egov.kz", "url": url, "licence": LICENCE,
            "kind": "api"}


def fetch_dataset(client: HttpClient, base: str, spec: Mapping, key: str) -> tuple[list, int]:
    url = f"{base}/api/v4/{spec['dataset']}/v{spec.get('version', 1)}"
    records: list = []
    for page in range(_MAX_PAGES):
        query = json.dumps({"from": page * PAGE_SIZE, "size": PAGE_SIZE})
        reply: Any = client.get_json(url, {"apiKey": key, "source": query})
        if isinstance(reply, Mapping) and isinstance(reply.get("value"), list):
            reply = reply["value"]
        if not isinstance(reply, list):
            raise SourceError(f"data.egov.kz {spec['dataset']}: expected a list of records, got "
                              f"{type(reply).__name__}")
        records += reply
        if len(reply) < PAGE_SIZE:
            return records, page + 1
    raise SourceError(f"data.egov.kz {spec['dataset']}: more than {_MAX_PAGES} pages")


def _records(raw: list, indicator_id: str, spec: Mapping) -> list[dict]:
    fields = (spec.get("region_field", "region"), spec.get("year_field", "year"), spec.get("value_field", "value"))
    out = []
    for n, rec in enumerate(raw, start=1):
        require_keys(rec, fields, f"data.egov.kz {spec['dataset']} record {n}")
        name, year, value = (rec[f] for f in fields)
        out.append({"indicator_id": indicator_id, "region": region_code(str(name)) or str(name),
                    "period": str(year), "value": value, "note": f"data.egov.kz {spec['dataset']}"})
    return out


def fetch(client: HttpClient, settings: Settings, mapping: Mapping | None = None, tick: Tick | None = None) -> Fetched:
    mapping = mapping if mapping is not None else mapping_for(NAME)
    indicators = mapping.get("indicators") or {}
    base = base_url(settings, NAME, DEFAULT_BASE_URL)
    key = os.environ.get("DENSAULYQ_EGOV_API_KEY", "")
    if indicators and not key:
        raise SourceError("data.egov.kz needs an API key (set DENSAULYQ_EGOV_API_KEY); meanwhile import the "
                          "downloaded BNS tables with `python -m data_sources import FILE --indicator ID`")
    records: list[dict] = []
    calls = 0
    for indicator_id, spec in indicators.items():
        raw, n = fetch_dataset(client, base, spec, key)
        calls += n
        records += _records(raw, indicator_id, spec)
        if tick:
            tick(indicator_id)
    return Fetched(source_record(DEFAULT_BASE_URL), rows_frame(records), origin="data.egov.kz API reply",
                   requests=calls)


def planned(mapping: Mapping | None = None) -> list[str]:
    mapping = mapping if mapping is not None else mapping_for(NAME)
    return list(mapping.get("indicators") or {})
