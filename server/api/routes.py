"""Routes of the read API, ``/api/v1/…`` (JSON by default, CSV with ``format=csv``)."""

from __future__ import annotations

import re

import pandas as pd
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from core.config import LANGUAGES
from core.periods import is_period
from geo import NATIONAL_CODE, REGION_CODES, map_geojson, map_simplification, regions
from geo.boundaries import ATTRIBUTION
from server.api.tables import (
    INDICATOR_FIELDS,
    OBSERVATION_FIELDS,
    REGION_FIELDS,
    SOURCE_FIELDS,
    Field,
    indicator_table,
    observation_table,
    region_table,
    source_table,
)
from server.context import ReadContext
from server.endpoint import BadParameter, NotFound, Params, Reply, choice, json_bytes, open_data_route, query

PREFIX = "/api/v1"
FORMATS = ("json", "csv")
# What the validators accept, as the OpenAPI document states it (ECMA-262 patterns; one source for both)
ID_PATTERN = r"^[A-Za-z0-9_.-]+$"
REGION_PATTERN = r"^KZ(-[0-9]{2})?$"
PERIOD_PATTERN = r"^(19|20)[0-9]{2}(Q[1-4])?$"  # core.periods: a year 1900–2099 or one of its quarters
_ID = re.compile(ID_PATTERN)
_REGION = re.compile(REGION_PATTERN)
ILLUSTRATIVE_NOTE = ("Rows with illustrative=true are generated series (CC0 1.0), not official statistics: "
                     "do not cite them as such.")
SUPPRESSION_NOTE = ("Public instance: values built from fewer than {n} people or events are suppressed "
                    "(suppressed=true), together with any value that would reveal one by subtraction.")


def _common(request: Request, ctx: ReadContext, extra: tuple[str, ...] = (), formats: bool = True) -> Params:
    params = query(request, ("lang", *(("format",) if formats else ()), *extra))
    out = {"lang": choice(params, "lang", LANGUAGES, ctx.settings.default_language)}
    if formats:
        out["format"] = choice(params, "format", FORMATS, "json")
    return out | {k: params[k] for k in extra if k in params}


def _indicator_id(ctx: ReadContext, value: str, parameter: str = "indicator") -> str:
    if not value or not _ID.match(value):
        raise BadParameter(parameter, f"{value!r} is not an indicator id (letters, digits, _ . -)")
    if value not in ctx.catalogue:
        raise NotFound(parameter, value)
    return value


def _region(value: str) -> str:
    if not _REGION.match(value):
        raise BadParameter("region", f"{value!r} is not an ISO 3166-2:KZ code (e.g. KZ-75, or KZ for the country)")
    if value != NATIONAL_CODE and value not in REGION_CODES:
        raise NotFound("region", value)
    return value


def _table_reply(ctx: ReadContext, fields: tuple[Field, ...], df: pd.DataFrame, params: Params, name: str,
                 meta: dict[str, object]) -> Reply:
    from server.api.serialize import csv_chunks, json_chunks, records

    rows = records(df, fields)
    stream = len(rows) > int(ctx.open_data.get("stream_rows", 1000))
    if params["format"] == "csv":
        chunks, media = csv_chunks(fields, rows), "text/csv; charset=utf-8"
        headers = {"Content-Disposition": f'attachment; filename="densaulyq_{name}.csv"'}
    else:
        chunks, media, headers = json_chunks({**meta, "count": len(rows)}, rows), "application/json", {}
    return Reply(chunks if stream else b"".join(chunks), media, headers)


def _meta(ctx: ReadContext, params: Params) -> dict[str, object]:
    return {"lang": params["lang"], "licence": "Each row carries its own licence or source; see /api/v1/sources."}


# --- indicators ------------------------------------------------------------------------------------------------

def _indicators(ctx: ReadContext, params: Params) -> Reply:
    table = indicator_table(ctx.catalogue, params["lang"])
    if "id" in params:
        table = table[table["id"] == params["id"]]
    return _table_reply(ctx, INDICATOR_FIELDS, table, params, "indicators", _meta(ctx, params))


def _validate_indicator(request: Request, ctx: ReadContext) -> Params:
    params = _common(request, ctx)
    return params | {"id": _indicator_id(ctx, request.path_params["indicator_id"], "indicator_id")}


# --- regions ---------------------------------------------------------------------------------------------------

def _regions(ctx: ReadContext, params: Params) -> Reply:
    meta = _meta(ctx, params) | {"licence": "Names: " + ATTRIBUTION}
    return _table_reply(ctx, REGION_FIELDS, region_table(params["lang"]), params, "regions", meta)


def _regions_geojson(ctx: ReadContext, params: Params) -> Reply:
    geojson = map_geojson(*map_simplification(ctx.settings.section("map")))
    names = {r.code: r for r in regions()}
    features = [{**f, "properties": {**f["properties"], "name": names[f["id"]].name(params["lang"]),
                                     "name_ru": names[f["id"]].name_ru, "name_kk": names[f["id"]].name_kk}}
                for f in geojson["features"]]
    payload = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "licence": "ODbL-1.0", "features": features}
    return Reply(json_bytes(payload), "application/geo+json")


# --- observations and sources ----------------------------------------------------------------------------------

def _validate_observations(request: Request, ctx: ReadContext) -> Params:
    params = _common(request, ctx, ("indicator", "period", "region"))
    if "indicator" in params:
        _indicator_id(ctx, params["indicator"])
    if "period" in params and not is_period(params["period"]):
        raise BadParameter("period", f"{params['period']!r} is not a period (a year like 2024 or a quarter like "
                                     "2024Q3)")
    if "region" in params:
        _region(params["region"])
    return params


def _observations(ctx: ReadContext, params: Params) -> Reply:
    table = observation_table(ctx, params["lang"], params.get("indicator"), params.get("period"),
                              params.get("region"))
    meta = _meta(ctx, params) | {k: params[k] for k in ("indicator", "period", "region") if k in params}
    meta["illustrative"] = ILLUSTRATIVE_NOTE
    if ctx.policy.public:
        meta["suppression"] = SUPPRESSION_NOTE.format(n=ctx.policy.min_count)
    return _table_reply(ctx, OBSERVATION_FIELDS, table, params, "observations", meta)


def _sources(ctx: ReadContext, params: Params) -> Reply:
    return _table_reply(ctx, SOURCE_FIELDS, source_table(ctx), params, "sources", _meta(ctx, params))


# --- documents -------------------------------------------------------------------------------------------------

def _openapi(ctx: ReadContext, params: Params) -> Reply:
    from server.api.openapi import openapi_document

    return Reply(json_bytes(openapi_document(ctx)), "application/json")


def _datapackage(ctx: ReadContext, params: Params) -> Reply:
    from server.api.datapackage import datapackage_zip

    return Reply(datapackage_zip(ctx), "application/zip",
                 {"Content-Disposition": 'attachment; filename="densaulyq_datapackage.zip"'})


def api_routes() -> list[BaseRoute]:
    def plain(request: Request, ctx: ReadContext) -> Params:
        return _common(request, ctx)

    def lang_only(request: Request, ctx: ReadContext) -> Params:
        return _common(request, ctx, formats=False)

    def nothing(request: Request, ctx: ReadContext) -> Params:
        query(request, ())
        return {}

    table = {
        "/indicators": (plain, _indicators),
        "/indicators/{indicator_id}": (_validate_indicator, _indicators),
        "/regions": (plain, _regions),
        "/regions.geojson": (lang_only, _regions_geojson),
        "/observations": (_validate_observations, _observations),
        "/sources": (plain, _sources),
        "/openapi.json": (nothing, _openapi),
        "/datapackage.zip": (nothing, _datapackage),
    }
    return [Route(PREFIX + path, open_data_route("api", validate, build), methods=["GET", "HEAD"])
            for path, (validate, build) in table.items()]
