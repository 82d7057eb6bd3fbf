"""``/view/map``, ``/view/region/{code}``, ``/view/indicator/{id}``, ``/sitemap.xml`` and ``/robots.txt``.

The views go through the open-data wrapper (``server.endpoint.open_data_route``): the internal instance's access
rule, 400/404 for bad or unknown parameters (here as a page in the reader's language), ETag / ``304`` and
``Cache-Control`` as the API, and the body cache. The app's absolute address (for the canonical link, Open Graph and
the sitemap) is a parameter of the response, so two host names never share a cached body.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from core.config import LANGUAGES
from core.i18n import translate
from core.periods import is_period
from geo import REGION_CODES, region_name
from server.context import ReadContext, read_context
from server.embed.routes import CSP, validate_map
from server.endpoint import (
    BadParameter,
    Build,
    NotFound,
    Params,
    Reply,
    Validate,
    choice,
    open_data_route,
    query,
)
from server.middleware import request_path
from server.views import texts
from server.views.maps import indicator_model, indicator_periods, map_model
from server.views.profile import region_model
from server.views.render import labels, render, shell

HTML = "text/html; charset=utf-8"
NO_DATA = "no data for this indicator yet"
# Pages of the dashboard that write or administer: no crawler needs them.
DISALLOWED = ("/api/", "/auth/", "/login", "/import", "/kpi-entry", "/kpi-admin", "/_stcore/")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/"


def _lang(params: Params, ctx: ReadContext) -> str:
    return choice(params, "lang", LANGUAGES, ctx.settings.default_language)


def _api(root: str, **query_params: str) -> tuple[str, str]:
    """(CSV download, JSON) addresses of the read API for the same rows."""
    return (root + "api/v1/observations?" + urlencode({**query_params, "format": "csv"}),
            root + "api/v1/observations?" + urlencode(query_params))


# --- /view/map --------------------------------------------------------------------------------------------------

def _validate_map(request: Request, ctx: ReadContext) -> Params:
    try:
        return validate_map(request, ctx) | {"base": _base(request)}
    except BadParameter as exc:
        if exc.parameter == "period" and "period" not in request.query_params:
            raise NotFound("period", NO_DATA) from exc  # an indicator with no regional data yet: no view
        raise


def _map(ctx: ReadContext, params: Params) -> Reply:
    lang, period = params["lang"], params["period"]
    model = map_model(ctx, params["indicator"], period, lang)
    label = model.indicator.label(lang)
    keys = {"indicator": model.indicator.id, "period": period}
    csv, api = _api("../", **keys, lang=lang)
    page = shell(params["base"], "view/map", keys, lang, f"{label}, {period}",
                 translate(texts.MAP_DESCRIPTION, lang, indicator=label, period=period),
                 "map?" + urlencode({**keys, "lang": lang}), csv=csv, api=api,
                 interactive="../embed/map?" + urlencode({**keys, "lang": lang}))
    body = render("map.html", page, m=model, notes=model.notices, sources=model.sources,
                  txt=labels(lang, period=translate(texts.PERIOD, lang, period=period)))
    return Reply(body, HTML, {"Content-Security-Policy": CSP})


# --- /view/region/{code} ----------------------------------------------------------------------------------------

def _validate_region(request: Request, ctx: ReadContext) -> Params:
    params = query(request, ("lang",))
    code = request.path_params["code"]
    if code not in REGION_CODES:
        raise NotFound("region", code)
    return {"region": code, "lang": _lang(params, ctx), "base": _base(request)}


def _region(ctx: ReadContext, params: Params) -> Reply:
    lang, code = params["lang"], params["region"]
    model = region_model(ctx, code, lang)
    csv, api = _api("../../", region=code, lang=lang)
    page = shell(params["base"], f"view/region/{code}", {}, lang, model.name,
                 translate(texts.REGION_DESCRIPTION, lang, region=model.name),
                 "profile?" + urlencode({"region": code, "lang": lang}), csv=csv, api=api)
    body = render("region.html", page, m=model, notes=model.notices, sources=model.sources)
    return Reply(body, HTML, {"Content-Security-Policy": CSP})


# --- /view/indicator/{id} ---------------------------------------------------------------------------------------

def _validate_indicator(request: Request, ctx: ReadContext) -> Params:
    params = query(request, ("period", "lang"))
    indicator_id = request.path_params["indicator_id"]
    if indicator_id not in ctx.catalogue:
        raise NotFound("indicator", indicator_id)
    periods = indicator_periods(ctx, ctx.catalogue[indicator_id])
    if not periods:
        raise NotFound("period", NO_DATA)
    period = params.get("period") or periods[-1]
    if not is_period(period):
        raise BadParameter("period", f"{period!r} is not a period (a year like 2024 or a quarter like 2024Q3)")
    if period not in periods:
        raise NotFound("period", period)
    return {"indicator": indicator_id, "period": period, "lang": _lang(params, ctx), "base": _base(request)}


def _indicator(ctx: ReadContext, params: Params) -> Reply:
    lang, period = params["lang"], params["period"]
    model = indicator_model(ctx, params["indicator"], period, lang)
    label = model.indicator.label(lang)
    csv, api = _api("../../", indicator=model.indicator.id, lang=lang)
    keys = {"indicator": model.indicator.id, "period": period}
    page = shell(params["base"], f"view/indicator/{model.indicator.id}", {"period": period}, lang,
                 translate(texts.INDICATOR_TITLE, lang, indicator=label),
                 translate(texts.INDICATOR_DESCRIPTION, lang, indicator=label, period=period),
                 ("comparison?" if model.indicator.is_regional else "?") + urlencode({**keys, "lang": lang}),
                 csv=csv, api=api)
    body = render("indicator.html", page, m=model, notes=model.notices, sources=model.sources,
                  txt=labels(lang, period=translate(texts.PERIOD, lang, period=period),
                             ranking=translate(texts.RANKING, lang, period=period)))
    return Reply(body, HTML, {"Content-Security-Policy": CSP})


# --- errors, sitemap, robots -------------------------------------------------------------------------------------

def error_page(request: Request, status: int, message: str) -> Response:
    """A 400 or 404 as a page: what is wrong (the parameter by name), in the reader's language where it asked."""
    asked = request.query_params.get("lang")
    lang = asked if asked in LANGUAGES else read_context().settings.default_language
    path = request_path(request.scope).strip("/")
    title = translate(texts.NOT_FOUND if status == 404 else texts.BAD_REQUEST, lang)
    page = shell(_base(request), path or "view", {}, lang, title, title, "?" + urlencode({"lang": lang}))
    body = render("error.html", page, message=message)
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store",
                                                           "Content-Security-Policy": CSP})


def _view_addresses(ctx: ReadContext, base: str) -> list[str]:
    """Every view with something to show: indicators without data yet are left out."""
    with_data = [ind for ind in ctx.catalogue.values() if indicator_periods(ctx, ind)]
    out = []
    for lang in LANGUAGES:
        for ind in with_data:
            if ind.is_regional:
                out.append(base + "view/map?" + urlencode({"indicator": ind.id, "lang": lang}))
            out.append(base + f"view/indicator/{ind.id}?" + urlencode({"lang": lang}))
        out += [base + f"view/region/{code}?" + urlencode({"lang": lang})
                for code in sorted(REGION_CODES, key=lambda c: region_name(c, "en"))]
    return out


def _validate_sitemap(request: Request, ctx: ReadContext) -> Params:
    query(request, ())
    return {"base": _base(request)}


def _sitemap(ctx: ReadContext, params: Params) -> Reply:
    urls = "".join(f"<url><loc>{xml_escape(url)}</loc></url>\n" for url in _view_addresses(ctx, params["base"]))
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')
    return Reply(body.encode(), "application/xml; charset=utf-8")


def robots(request: Request) -> Response:
    """Crawlers may read the views and embeds of the public instance, never its write and admin paths; the
    internal instance is closed to them."""
    if not read_context().settings.is_public:
        return PlainTextResponse("User-agent: *\nDisallow: /\n", headers={"Cache-Control": "public, max-age=3600"})
    lines = ["User-agent: *", "Allow: /view/", "Allow: /embed/", *(f"Disallow: {p}" for p in DISALLOWED),
             f"Sitemap: {_base(request)}sitemap.xml"]
    return PlainTextResponse("\n".join(lines) + "\n", headers={"Cache-Control": "public, max-age=3600"})


def view_routes() -> list[BaseRoute]:
    def route(validate: Validate, build: Build) -> Callable[[Request], Response]:
        return open_data_route("embed", validate, build, error_page)

    return [
        Route("/view/map", route(_validate_map, _map), methods=["GET", "HEAD"]),
        Route("/view/region/{code}", route(_validate_region, _region), methods=["GET", "HEAD"]),
        Route("/view/indicator/{indicator_id}", route(_validate_indicator, _indicator), methods=["GET", "HEAD"]),
        Route("/sitemap.xml", open_data_route("embed", _validate_sitemap, _sitemap), methods=["GET", "HEAD"]),
        Route("/robots.txt", robots, methods=["GET", "HEAD"]),
    ]
