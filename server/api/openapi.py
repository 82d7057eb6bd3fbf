"""The OpenAPI 3.1 document of the read API (``/api/v1/openapi.json``), built from the same field lists the
routes serve, so the documented columns are the served ones, and from the patterns and limits the validators
use, so the documented parameters are the accepted ones (no looser)."""

from __future__ import annotations

from core.config import LANGUAGES
from server.api.routes import FORMATS, ID_PATTERN, PERIOD_PATTERN, REGION_PATTERN
from server.api.tables import INDICATOR_FIELDS, OBSERVATION_FIELDS, REGION_FIELDS, SOURCE_FIELDS, Field
from server.context import ReadContext
from server.endpoint import MAX_PARAM_LENGTH

_TYPES = {"string": {"type": ["string", "null"]}, "number": {"type": ["number", "null"]},
          "integer": {"type": ["integer", "null"]}, "boolean": {"type": "boolean"},
          "datetime": {"type": ["string", "null"], "format": "date-time"}}


def _schema(fields: tuple[Field, ...]) -> dict:
    return {"type": "object", "properties": {f.name: {**_TYPES[f.type], "description": f.description}
                                             for f in fields}}


def _param(name: str, description: str, schema: dict | None = None, where: str = "query",
           required: bool = False) -> dict:
    """A parameter as the server validates it: every query value is at most ``MAX_PARAM_LENGTH`` characters."""
    schema = {"type": "string", **(schema or {})}
    if where == "query" and "enum" not in schema:
        schema["maxLength"] = MAX_PARAM_LENGTH
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


def _pattern(pattern: str) -> dict:
    return {"type": "string", "minLength": 1, "pattern": pattern}


LANG = _param("lang", "Language of names, units and definitions", {"enum": list(LANGUAGES)})
FORMAT = _param("format", "json (default) or csv (same rows and values)", {"enum": list(FORMATS), "default": "json"})
_ERRORS = {
    "304": {"description": "Not modified: the If-None-Match ETag is current"},
    "400": {"description": "A bad parameter (the JSON body names it)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    "401": {"description": "Internal instance: log-in cookie missing"},
}


def _table_op(summary: str, schema: str, params: list[dict], not_found: bool = False) -> dict:
    responses = {"200": {"description": "OK (ETag and Cache-Control set)", "content": {
        "application/json": {"schema": {"type": "object", "properties": {
            "meta": {"type": "object"},
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}}}}},
        "text/csv": {"schema": {"type": "string"}}}}, **_ERRORS}
    if not_found:
        responses["404"] = {"description": "Unknown id (the JSON body names the parameter)",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {"get": {"summary": summary, "parameters": [*params, LANG, FORMAT], "responses": responses}}


def openapi_document(ctx: ReadContext) -> dict:
    obs_params = [
        _param("indicator", "Indicator id, e.g. life_expectancy_years (404 if unknown)", _pattern(ID_PATTERN)),
        _param("period", "A year from 1900 to 2099 (2024) or a quarter (2024Q3)", _pattern(PERIOD_PATTERN)),
        _param("region", "ISO 3166-2:KZ code (KZ-75) or KZ (404 if unknown)", _pattern(REGION_PATTERN)),
    ]
    mode = "public read-only instance: small numbers suppressed" if ctx.settings.is_public else \
        "internal instance: needs the log-in cookie"
    return {
        "openapi": "3.1.0",
        "info": {"title": "Densaulyq open data API", "version": ctx.app_version,
                 "description": f"Healthcare resilience in Kazakhstan, region by region ({mode}). Every row carries "
                                "its source and licence; rows with illustrative=true are generated series, not "
                                "official statistics. Responses carry an ETag: send If-None-Match to get 304.",
                 "license": {"name": "Code MIT; data under each source's licence", "identifier": "MIT"}},
        "paths": {
            "/api/v1/indicators": _table_op("The indicator catalogue", "Indicator", []),
            "/api/v1/indicators/{indicator_id}": _table_op(
                "One indicator", "Indicator",
                [_param("indicator_id", "Indicator id", _pattern(ID_PATTERN), where="path", required=True)],
                not_found=True),
            "/api/v1/regions": _table_op("The 20 first-level units", "Region", []),
            "/api/v1/regions.geojson": {"get": {"summary": "Simplified boundaries (ODbL 1.0, OpenStreetMap)",
                                                "parameters": [LANG], "responses": {
                                                    "200": {"description": "GeoJSON FeatureCollection, id = ISO code",
                                                            "content": {"application/geo+json": {}}}, **_ERRORS}}},
            "/api/v1/observations": _table_op("Observations (tidy: one row per indicator, region and period)",
                                              "Observation", obs_params, not_found=True),
            "/api/v1/sources": _table_op("Every source with its as-of date and stale state", "Source", []),
            "/api/v1/datapackage.zip": {"get": {"summary": "The whole public store as a Frictionless Data Package",
                                                "responses": {"200": {"description": "ZIP: datapackage.json + CSV",
                                                                      "content": {"application/zip": {}}}, **_ERRORS}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OK"}}}},
        },
        "components": {"schemas": {
            "Indicator": _schema(INDICATOR_FIELDS), "Region": _schema(REGION_FIELDS),
            "Observation": _schema(OBSERVATION_FIELDS), "Source": _schema(SOURCE_FIELDS),
            "Error": {"type": "object", "properties": {"error": {"type": "string"}, "parameter": {"type": "string"},
                                                       "message": {"type": "string"}}},
        }},
    }
