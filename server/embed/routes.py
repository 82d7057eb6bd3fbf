"""``/embed/map``, ``/embed/trend`` and the static files they load (plotly.js from the installed plotly package)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import orjson
import pandas as pd
import plotly
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs_version
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

import readmodel
from analytics.timeline import fixed_classes_and_span
from charts.choropleth import fixed_class_choropleth, map_frame
from charts.compare import trend_lines
from charts.map_geometry import GEOMETRY_MEDIA_TYPE, geometry_asset, geometry_path, with_geometry_url
from core.config import LANGUAGES
from core.i18n import translate
from core.periods import is_period
from core.provenance_text import localize_columns
from geo import NATIONAL_CODE, REGION_CODES, map_geojson, map_simplification, region_name
from server.caching import CachedBody
from server.context import ReadContext, read_context
from server.embed.assets import STATIC_DIR, asset_version
from server.embed.page import EmbedView, render
from server.endpoint import BadParameter, NotFound, Params, Reply, choice, open_data_route, query
from share import texts
from share.map_bundle import ASSETS, map_bundle_bytes, map_bundle_name

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
NATIONAL_COLOUR, REGION_COLOUR = "#7b8794", "#1f6f8b"
YEAR_S = 365 * 24 * 3600
# No host but this one: scripts and styles from here, MapLibre's workers from blob: URLs it makes itself.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "worker-src blob:; child-src blob:; connect-src 'self' data: blob:; font-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")


def _translator(lang: str):
    def translated(msgid: str, **values: object) -> str:
        return translate(msgid, lang, **values)

    return translated


def _lang(params: Params, ctx: ReadContext) -> str:
    return choice(params, "lang", LANGUAGES, ctx.settings.default_language)


def _indicator(params: Params, ctx: ReadContext, default: str) -> str:
    value = params.get("indicator", default)
    if not value.replace("_", "").isalnum():
        raise BadParameter("indicator", f"{value!r} is not an indicator id")
    if value not in ctx.catalogue:
        raise NotFound("indicator", value)
    if not ctx.catalogue[value].is_regional:
        raise BadParameter("indicator", f"{value!r} is a national indicator: it has no regional map")
    return value


def validate_map(request: Request, ctx: ReadContext) -> Params:
    params = query(request, ("indicator", "period", "lang"))
    indicator = _indicator(params, ctx, ctx.settings.default_indicator)
    periods = readmodel.periods(ctx.engine, indicator, regional_only=True)
    period = params.get("period") or (periods[-1] if periods else "")
    if not is_period(period):
        raise BadParameter("period", f"{period!r} is not a period (a year like 2024 or a quarter like 2024Q3)")
    if period not in periods:
        raise NotFound("period", period)
    return {"indicator": indicator, "period": period, "lang": _lang(params, ctx)}


EMBED_TEXTS = ("source_title", "source_licence", "note", "boundary_note")  # shown in the reader's language


def map_parts(ctx: ReadContext, indicator_id: str, period: str, lang: str
              ) -> tuple[pd.DataFrame, pd.DataFrame, go.Figure]:
    """(observations, the 20 regions' frame, the figure) of one indicator and period: the map embed's and the map
    view's (server/views) one figure."""
    indicator = ctx.catalogue[indicator_id]
    obs = localize_columns(readmodel.observations(ctx.engine, ctx.policy, indicator.id, period), lang, EMBED_TEXTS)
    frame = map_frame(obs, {code: region_name(code, lang) for code in REGION_CODES})
    cfg = ctx.settings.section("map")
    geojson = map_geojson(*_simplification(ctx))
    # the dashboard's classes: fixed over every period of the indicator, so a period is coloured alike everywhere
    fixed, span = fixed_classes_and_span(readmodel.observations(ctx.engine, ctx.policy, indicator.id),
                                         indicator.polarity, str(cfg.get("scheme", "quantiles")),
                                         int(cfg.get("classes", 5)))
    fig, frame = fixed_class_choropleth(frame, fixed, span, geojson, indicator, period, lang, _translator(lang))
    return obs, frame, fig


def _map(ctx: ReadContext, params: Params) -> Reply:
    lang, indicator = params["lang"], ctx.catalogue[params["indicator"]]
    obs, frame, fig = map_parts(ctx, indicator.id, params["period"], lang)
    back = "../map?" + urlencode({"indicator": indicator.id, "period": params["period"], "lang": lang})
    view = EmbedView(title=f"{indicator.label(lang)}, {params['period']}",
                     alt=translate(texts.MAP_ALT, lang, indicator=indicator.label(lang), period=params["period"]),
                     back=back, figure_json=_figure_json(ctx, fig), rows=obs, drawn=frame,
                     period_text=params["period"],
                     lang=lang)
    return _page(ctx, view, map_bundle_name())


def _simplification(ctx: ReadContext) -> tuple[float, int]:
    return map_simplification(ctx.settings.section("map"))


def _figure_json(ctx: ReadContext, fig: go.Figure) -> str:
    """The map's JSON with its boundaries as the URL of the cached static file (``charts.map_geometry``)."""
    url = geometry_path(*_simplification(ctx), from_embed=True)
    return orjson.dumps(with_geometry_url(orjson.loads(fig.to_json()), url)).decode()  # plotly's encoder first


def _validate_trend(request: Request, ctx: ReadContext) -> Params:
    params = query(request, ("indicator", "region", "lang"))
    indicator = _indicator(params, ctx, ctx.settings.default_indicator)
    region = params.get("region", "")
    if not region:
        raise BadParameter("region", "required (an ISO 3166-2:KZ code, e.g. KZ-75)")
    if region not in REGION_CODES:
        if not (region.startswith("KZ-") and region[3:].isdigit() and len(region) == 5):
            raise BadParameter("region", f"{region!r} is not an ISO 3166-2:KZ code (e.g. KZ-75)")
        raise NotFound("region", region)
    return {"indicator": indicator, "region": region, "lang": _lang(params, ctx)}


def _trend(ctx: ReadContext, params: Params) -> Reply:
    lang, indicator, region = params["lang"], ctx.catalogue[params["indicator"]], params["region"]
    obs = localize_columns(readmodel.observations(ctx.engine, ctx.policy, indicator.id), lang, EMBED_TEXTS)
    shown = obs[obs["region"].isin([region, NATIONAL_CODE])]
    names = {code: region_name(code, lang) for code in (*REGION_CODES, NATIONAL_CODE)}
    fig = trend_lines(shown, [region], indicator, names, lang, _translator(lang))
    national = region_name(NATIONAL_CODE, lang)
    fig.update_layout(template="plotly_white")  # outside Streamlit no theme colours the lines
    for trace in fig.data:
        colour = NATIONAL_COLOUR if str(trace.name).startswith(national) else REGION_COLOUR
        trace.update(line={"color": colour}, marker={"color": colour})
    periods = sorted(shown["period"].unique())
    period_text = f"{periods[0]}–{periods[-1]}" if len(periods) > 1 else (periods[0] if periods else "—")
    title = translate(texts.TREND_TITLE, lang, indicator=indicator.label(lang), region=names[region],
                      country=national)
    back = "../profile?" + urlencode({"region": region, "lang": lang})
    return _page(ctx, EmbedView(title=title, alt=title, back=back, figure_json=fig.to_json(), rows=shown, drawn=shown,
                                period_text=period_text, lang=lang))


def _page(ctx: ReadContext, view: EmbedView, plotly_script: str | None = None) -> Reply:
    """``plotly_script``: the map-only build for maps, plotly.js itself (the default) for anything else."""
    body = render(view, ASSETS, plotly_script or f"plotly-{get_plotlyjs_version()}.min.js", asset_version(),
                  ctx.policy.min_count if ctx.policy.public else None)
    return Reply(body, "text/html; charset=utf-8", {"Content-Security-Policy": CSP})


@lru_cache(maxsize=1)
def _plotly_js() -> CachedBody:
    """plotly.js (4.6 MB) compressed once (1.4 MB), not by the gzip middleware on every first visit."""
    return CachedBody.of(PLOTLY_JS.read_bytes(), "text/javascript; charset=utf-8", {})


@lru_cache(maxsize=1)
def _plotly_map_js() -> CachedBody:
    """The map-only plotly.js (2.9 MB), compressed once (0.9 MB)."""
    return CachedBody.of(map_bundle_bytes(), "text/javascript; charset=utf-8", {})


@lru_cache(maxsize=4)
def _geometry_body(tolerance: float, precision: int) -> tuple[str, CachedBody]:
    name, body = geometry_asset(tolerance, precision)
    return name, CachedBody.of(body, GEOMETRY_MEDIA_TYPE, {})


def _geometry(ctx: ReadContext, name: str, request: Request, headers: dict[str, str]) -> Response:
    """The map's boundaries under their content name (another name: a 404, never other boundaries)."""
    current, body = _geometry_body(*_simplification(ctx))
    if name != current:
        return PlainTextResponse("Not Found", status_code=404)
    return body.response(request, headers)


def asset(request: Request) -> Response:
    """plotly.js (its version in the name), the map-only build (its hash in the name) and this package's own
    CSS/JS, cacheable for a year."""
    name = request.path_params["name"]
    headers = {"Cache-Control": f"public, max-age={YEAR_S}, immutable"}
    if name == f"plotly-{get_plotlyjs_version()}.min.js":
        return _plotly_js().response(request, headers)
    if name == map_bundle_name():
        return _plotly_map_js().response(request, headers)
    if name.startswith("regions-") and name.endswith(".geojson"):
        return _geometry(read_context(), name, request, headers)
    if name in ("embed.js", "embed.css"):
        media = "text/javascript; charset=utf-8" if name.endswith(".js") else "text/css; charset=utf-8"
        return FileResponse(STATIC_DIR / name, media_type=media, headers=headers)
    return PlainTextResponse("Not Found", status_code=404)


def embed_routes() -> list[BaseRoute]:
    return [
        Route("/embed/map", open_data_route("embed", validate_map, _map), methods=["GET", "HEAD"]),
        Route("/embed/trend", open_data_route("embed", _validate_trend, _trend), methods=["GET", "HEAD"]),
        Route(f"/embed/{ASSETS}/{{name}}", asset, methods=["GET", "HEAD"]),
    ]
