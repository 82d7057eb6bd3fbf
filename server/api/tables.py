"""The public tables of the API and the data package: fixed columns with Table Schema types, built from the
catalogue, the region list and ``readmodel`` (so the public instance suppresses exactly what its pages do)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import readmodel
from catalogue import Catalogue
from geo import NATIONAL_CODE, region_name, regions
from server.context import ReadContext


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, number, integer, boolean, datetime
    description: str


INDICATOR_FIELDS = (
    Field("id", "string", "Indicator id (stable; use it in observations?indicator=)"),
    Field("name", "string", "Name in the requested language"),
    Field("name_en", "string", "Name in English"),
    Field("name_ru", "string", "Name in Russian"),
    Field("name_kk", "string", "Name in Kazakh"),
    Field("domain", "string", "health_outcomes, screening_coverage, diagnostic_capacity or health_system"),
    Field("unit", "string", "Unit in the requested language"),
    Field("unit_en", "string", "Unit in English"),
    Field("polarity", "string", "higher_is_better, lower_is_better or none"),
    Field("value_type", "string", "proportion, rate, count, mean, index or ratio"),
    Field("multiplier", "number", "Scale of a rate or proportion (100 for %, 10000 per 10,000 …)"),
    Field("decimals", "integer", "Decimals the value is shown with"),
    Field("frequency", "string", "annual or quarterly"),
    Field("level", "string", "regional (20 units and Kazakhstan) or national"),
    Field("definition", "string", "Definition in the requested language"),
    Field("source", "string", "Where the figures come from"),
    Field("licence", "string", "Terms of reuse"),
)
REGION_FIELDS = (
    Field("code", "string", "ISO 3166-2:KZ code"),
    Field("name", "string", "Name in the requested language"),
    Field("name_en", "string", "Name in English"),
    Field("name_ru", "string", "Name in Russian"),
    Field("name_kk", "string", "Name in Kazakh"),
    Field("kind", "string", "oblast or city (of republican significance)"),
)
OBSERVATION_FIELDS = (
    Field("indicator_id", "string", "Indicator id (see indicators)"),
    Field("region", "string", "ISO 3166-2:KZ code, or KZ for Kazakhstan as a whole"),
    Field("region_name", "string", "Region name in the requested language"),
    Field("period", "string", "A year (2024) or a quarter (2024Q3)"),
    Field("value", "number", "The value, in the indicator's unit; empty when suppressed"),
    Field("unit", "string", "Unit of the value (English)"),
    Field("numerator", "number", "Events or people counted, where published; empty when suppressed"),
    Field("denominator", "number", "Population the value is computed on, where published"),
    Field("ci_lower", "number", "Lower limit of the 95% confidence interval, where known"),
    Field("ci_upper", "number", "Upper limit of the 95% confidence interval, where known"),
    Field("illustrative", "boolean", "true: an illustrative (synthetic) value, not official statistics"),
    Field("derived", "boolean", "true: computed from published series (e.g. a rate from counts)"),
    Field("suppressed", "boolean", "true: hidden in the public instance (a small number, or one revealing it)"),
    Field("note", "string", "Remarks on the value (boundaries, suppression, method)"),
    Field("boundary", "string", "Boundary vintage: the territory the value covers (regions changed in 2018 and 2022)"),
    Field("boundary_note", "string", "Set when the value covers a territory other than today's"),
    Field("source_id", "string", "Source id (see sources)"),
    Field("source_title", "string", "Source title"),
    Field("source_url", "string", "Source address"),
    Field("licence", "string", "Licence of the source"),
    Field("source_as_of", "datetime", "When the source was last retrieved successfully (UTC)"),
    Field("retrieved_at", "datetime", "When this value was retrieved (UTC)"),
)
SOURCE_FIELDS = (
    Field("id", "string", "Source id"),
    Field("title", "string", "Title"),
    Field("publisher", "string", "Publisher"),
    Field("url", "string", "Address"),
    Field("licence", "string", "Terms of reuse"),
    Field("kind", "string", "snapshot, api, upload, derived or synthetic"),
    Field("as_of", "datetime", "When the data were last retrieved successfully (UTC)"),
    Field("last_attempt_at", "datetime", "Last refresh attempt, successful or not (UTC)"),
    Field("last_status", "string", "ok or failed"),
    Field("stale", "boolean", "true: the last refresh failed; the data are from the as-of date"),
    Field("last_error", "string", "Why the last refresh failed"),
)


def _columns(df: pd.DataFrame, fields: tuple[Field, ...]) -> pd.DataFrame:
    for f in fields:
        if f.name not in df:
            df[f.name] = None
    return df[[f.name for f in fields]].reset_index(drop=True)


def indicator_table(catalogue: Catalogue, lang: str) -> pd.DataFrame:
    return _columns(pd.DataFrame([{
        "id": i.id, "name": i.label(lang), "name_en": i.name["en"], "name_ru": i.name["ru"], "name_kk": i.name["kk"],
        "domain": i.domain, "unit": i.unit_label(lang), "unit_en": i.unit_label("en"), "polarity": i.polarity,
        "value_type": i.value_type, "multiplier": i.multiplier, "decimals": i.decimals, "frequency": i.frequency,
        "level": i.level, "definition": i.definition_text(lang), "source": i.source, "licence": i.licence,
    } for i in catalogue.values()]), INDICATOR_FIELDS)


def region_table(lang: str) -> pd.DataFrame:
    return _columns(pd.DataFrame([{"code": r.code, "name": r.name(lang), "name_en": r.name_en, "name_ru": r.name_ru,
                                   "name_kk": r.name_kk, "kind": r.kind} for r in regions()]), REGION_FIELDS)


def observation_table(ctx: ReadContext, lang: str, indicator: str | None = None, period: str | None = None,
                      region: str | None = None) -> pd.DataFrame:
    """Observations as this instance's readers see them (``readmodel``), in the API's columns."""
    obs = readmodel.observations(ctx.engine, ctx.policy, indicator, period, region)
    if "suppressed" not in obs:
        obs["suppressed"] = False
    units = {i.id: i.unit_label("en") for i in ctx.catalogue.values()}
    names = {code: region_name(code, lang) for code in {*obs["region"], NATIONAL_CODE}}
    obs = obs.assign(region_name=obs["region"].map(names), unit=obs["indicator_id"].map(units),
                     illustrative=obs["synthetic"].astype(bool), licence=obs["source_licence"])
    return _columns(obs, OBSERVATION_FIELDS)


def source_table(ctx: ReadContext) -> pd.DataFrame:
    srcs = readmodel.sources(ctx.engine, ctx.policy)
    return _columns(srcs.assign(stale=srcs["last_status"].eq("failed")), SOURCE_FIELDS)
