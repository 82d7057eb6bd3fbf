"""One wrapper for every open-data route (``/api/v1/…`` and ``/embed/…``): access in the internal instance,
parameter checks (400 naming the parameter, 404 for unknown ids), ETag / ``304`` and the body cache.

A route is a ``validate`` (request → canonical parameters) and a ``build`` (parameters → :class:`Reply`); both run
in Starlette's thread pool (store reads are synchronous).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from server.auth_gate import is_logged_in
from server.caching import BODIES, CachedBody, not_modified
from server.context import ReadContext, read_context

Kind = Literal["api", "embed"]
Params = dict[str, str]


class BadParameter(Exception):
    """HTTP 400: a query parameter is malformed, unknown or repeated."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter, self.message = parameter, message


class NotFound(Exception):
    """HTTP 404: a well-formed id names nothing (an indicator, a region)."""

    def __init__(self, parameter: str, value: str) -> None:
        super().__init__(f"{parameter}: unknown {value!r}")
        self.parameter, self.value = parameter, value


@dataclass
class Reply:
    """What a route builds: a whole body (cached by ETag) or chunks streamed as they are made."""

    body: bytes | Iterator[bytes]
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


Validate = Callable[[Request, ReadContext], Params]
Build = Callable[[ReadContext, Params], Reply]
ErrorPage = Callable[[Request, int, str], Response]  # (request, status, message) -> a page for people (server/views)


def _error(kind: Kind, status: int, payload: Mapping[str, str]) -> Response:
    headers = {"Cache-Control": "no-store"}
    if kind == "api":
        return JSONResponse(dict(payload), status_code=status, headers=headers)
    text = html.escape(payload.get("message", payload["error"]))
    body = f"<!doctype html><meta charset=utf-8><title>{status}</title><p>{text}</p>"
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


def refusal(ctx: ReadContext, request: Request, kind: Kind) -> Response | None:
    """Internal instance: open data only with the log-in cookie, or not at all (``[open_data] internal = "off"``)."""
    if ctx.settings.is_public:
        return None
    if str(ctx.open_data.get("internal", "login")) == "off":
        return _error(kind, 404, {"error": "not_found", "message": "Not served by this instance."})
    if not is_logged_in(request):
        return _error(kind, 401, {"error": "login_required",
                                  "message": "This is the internal instance: log in first (the log-in cookie)."})
    return None


def open_data_route(kind: Kind, validate: Validate, build: Build,
                    error_page: ErrorPage | None = None) -> Callable[[Request], Response]:
    """``error_page``: how a 400 or 404 reads for people (the views' page in the reader's language); else
    :func:`_error`'s JSON or one-line HTML."""
    def fail(request: Request, status: int, payload: Mapping[str, str]) -> Response:
        if error_page is not None:
            return error_page(request, status, payload["message"])
        return _error(kind, status, payload)

    def endpoint(request: Request) -> Response:
        ctx = read_context()
        refused = refusal(ctx, request, kind)
        if refused is not None:
            return refused
        # Before any SQL (the period lookup, the data version): a revalidation costs a hash, not a query.
        # The host is part of the key: a view's canonical link and Open Graph tags name it.
        etag, headers, unchanged = not_modified(ctx, request, str(request.base_url))
        if kind == "api" and ctx.settings.is_public:
            headers["Access-Control-Allow-Origin"] = "*"  # scripts and notebooks on other sites may read it
        if unchanged is not None:
            unchanged.headers.update(headers)
            return unchanged
        cached = BODIES.get(etag)
        if cached is not None:
            return cached.response(request, headers)
        try:
            params = validate(request, ctx)
        except BadParameter as exc:
            return fail(request, 400, {"error": "bad_parameter", "parameter": exc.parameter, "message": str(exc)})
        except NotFound as exc:
            return fail(request, 404, {"error": "not_found", "parameter": exc.parameter, "message": str(exc)})
        reply = build(ctx, params)
        if isinstance(reply.body, bytes):
            built = CachedBody.of(reply.body, reply.media_type, reply.headers)
            BODIES.put(etag, built)
            return built.response(request, headers)
        return StreamingResponse(reply.body, media_type=reply.media_type, headers=headers | reply.headers)

    return endpoint


# --- parameter checks ------------------------------------------------------------------------------------------

MAX_PARAM_LENGTH = 200


def query(request: Request, allowed: Iterable[str]) -> Params:
    """The query as a dict; 400 for a parameter the route does not know, one given twice, or an absurd length."""
    allowed = set(allowed)
    out: Params = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed:
            raise BadParameter(key, f"unknown parameter (this route takes: {', '.join(sorted(allowed))})")
        if key in out:
            raise BadParameter(key, "given more than once")
        if len(value) > MAX_PARAM_LENGTH:
            raise BadParameter(key, f"longer than {MAX_PARAM_LENGTH} characters")
        out[key] = value
    return out


def choice(params: Params, name: str, options: Iterable[str], default: str) -> str:
    value = params.get(name, default)
    options = tuple(options)
    if value not in options:
        raise BadParameter(name, f"must be one of {', '.join(options)}, not {value!r}")
    return value


def json_bytes(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
