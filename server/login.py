"""Log-in and log-out routes of the internal instance (plain Starlette on the ``st.App``).

``GET /auth/login?next=/map`` serves the form with a CSRF token (double submit: a random nonce in an HttpOnly,
SameSite=Strict cookie, its signed copy in the form). ``POST /auth/login`` checks the token (403 without it), counts
the attempt in the store before anything else (429 while the user name or the client address is blocked, and 429
when the store cannot count it), then the password (argon2, at most
``max_concurrent_checks`` at once), and on success sets the signed session cookie and answers 303 to ``next``
(a local path only). ``GET /auth/logout`` revokes the session in the store and clears the cookie.
Failed attempts are logged with user name and address; passwords, tokens and session ids never are.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs, quote, urlsplit

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from auth.service import CSRF_COOKIE, SESSION_COOKIE, AuthConfig, check_slots, client_address, identity_for_cookie
from auth.sessions import revoke_session, start_session
from auth.throttle import address_key, claim_attempt, clear, refund, user_key
from auth.users import authenticate
from core.config import LANGUAGES, Settings, load_settings
from core.i18n import BROWSER_LANGUAGE_COOKIE, negotiate_language
from server.login_page import Texts, login_html

log = logging.getLogger("densaulyq.auth")
CSRF_MAX_AGE_S = 2 * 3600
CHECK_WAIT_S = 10.0  # how long a log-in waits for a free password-check slot before answering 503
NO_STORE = {"Cache-Control": "no-store"}
RECOUNT_WAIT_S = 5  # Retry-After when the store could not count an attempt


def _best_effort(action: Callable[..., object], *args: object) -> None:
    """A throttle update after the password check; a store error there is logged, the answer stands."""
    try:
        action(*args)
    except SQLAlchemyError as exc:
        log.warning("throttle update failed after a log-in check: %s", exc.__class__.__name__)


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site (no scheme, no host, no ``//`` or backslash tricks), else ``/``."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith("/auth/"):
        return "/"
    return value


def _lang(request: Request, settings: Settings) -> str:
    """The form's language: its own ``?lang=``, else the ``?lang=`` of the page asked for (``next``), else the
    browser's (the cookie pages set, then ``Accept-Language``), else the instance's default."""
    lang = request.query_params.get("lang", "")
    if lang in LANGUAGES:
        return lang
    asked = parse_qs(urlsplit(safe_next(request.query_params.get("next"))).query).get("lang", [""])[0]
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(BROWSER_LANGUAGE_COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    return negotiate_language(request.headers.get("accept-language"), settings.default_language)


class LoginRoutes:
    """The routes, with the settings source injectable for tests."""

    def __init__(self, settings: Callable[[], Settings] = load_settings) -> None:
        self._settings = settings

    def routes(self) -> list[BaseRoute]:
        return [Route("/auth/login", self.form, methods=["GET", "HEAD"]),
                Route("/auth/login", self.submit, methods=["POST"]),
                Route("/auth/logout", self.logout, methods=["GET", "POST"])]

    def _context(self):
        from store import open_store

        settings = self._settings()
        cfg = AuthConfig.from_section(settings.section("auth"))
        return settings, cfg, open_store(settings.database_url)

    def _secure(self, request: Request, cfg: AuthConfig) -> bool:
        return cfg.cookie_secure or request.url.scheme == "https"

    async def form(self, request: Request) -> Response:
        settings, cfg, engine = self._context()
        if settings.is_public:
            return PlainTextResponse("Not Found", status_code=404)
        next_path = safe_next(request.query_params.get("next"))
        signer = cfg.signer()
        if await run_in_threadpool(identity_for_cookie, engine, cfg, signer, request.cookies.get(SESSION_COOKIE)):
            return RedirectResponse(next_path, status_code=303)
        return self._form_response(request, settings, cfg, next_path)

    def _form_response(self, request: Request, settings: Settings, cfg: AuthConfig, next_path: str, user: str = "",
                       error: str = "", status: int = 200, headers: dict[str, str] | None = None) -> Response:
        signer = cfg.signer()
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        if not (16 <= len(nonce) <= 100 and nonce.replace("-", "").replace("_", "").isalnum()):
            nonce = secrets.token_urlsafe(24)
        html = login_html(Texts(_lang(request, settings)), signer.sign_csrf(nonce), next_path, user, error)
        response = HTMLResponse(html, status_code=status, headers={**NO_STORE, **(headers or {})})
        response.set_cookie(CSRF_COOKIE, nonce, max_age=CSRF_MAX_AGE_S, path="/auth", httponly=True,
                            samesite="strict", secure=self._secure(request, cfg))
        return response

    async def submit(self, request: Request) -> Response:
        settings, cfg, engine = self._context()
        if settings.is_public:
            return PlainTextResponse("Not Found", status_code=404)
        form = await request.form(max_files=0, max_fields=10)
        signer = cfg.signer()
        nonce = request.cookies.get(CSRF_COOKIE)
        sent = signer.csrf_nonce(str(form.get("csrf_token") or ""), CSRF_MAX_AGE_S)
        if not nonce or sent is None or not secrets.compare_digest(sent, nonce):
            return PlainTextResponse("Forbidden: the log-in form expired or did not come from this site. "
                                     "Reload the log-in page and try again.", status_code=403)
        texts = Texts(_lang(request, settings))
        name = str(form.get("user") or "").strip()[:64]
        password = str(form.get("password") or "")[:1024]
        next_path = safe_next(str(form.get("next") or "/"))
        client = request.client.host if request.client else None
        address = client_address(client, request.headers.get("x-forwarded-for"), cfg.trusted_proxies)
        keys = [user_key(name), address_key(address)]

        try:  # counted before the check: a burst of guesses runs at most `free + 1` password checks
            attempt = await run_in_threadpool(claim_attempt, engine, keys, cfg.throttle)
        except SQLAlchemyError as exc:  # not counted, so not checked: a refusal, never a 500
            log.warning("log-in refused, the attempt could not be counted: user=%r address=%s error=%s", name,
                        address, exc.__class__.__name__)
            return self._form_response(request, settings, cfg, next_path, name, texts.t(
                "The log-in could not be counted just now. Try again in a few seconds."), status=429,
                headers={"Retry-After": str(RECOUNT_WAIT_S)})
        if not attempt.allowed:
            seconds = math.ceil(attempt.wait)
            log.warning("log-in refused while throttled: user=%r address=%s wait=%ss", name, address, seconds)
            return self._form_response(request, settings, cfg, next_path, name, texts.t(
                "Too many failed attempts. Try again in {seconds} seconds.", seconds=seconds), status=429,
                headers={"Retry-After": str(seconds)})

        identity = await run_in_threadpool(self._check, cfg, name, password)
        if identity == "busy":
            await run_in_threadpool(_best_effort, refund, engine, keys, cfg.throttle)  # never checked
            return PlainTextResponse("The server is busy checking other log-ins; try again in a moment.",
                                     status_code=503, headers={"Retry-After": "5"})
        if identity is None:
            log.warning("failed log-in: user=%r address=%s next_delay=%ss", name, address, math.ceil(attempt.delay))
            return self._form_response(request, settings, cfg, next_path, name,
                                       texts.t("Unknown user name or wrong password."), status=401)

        await run_in_threadpool(_best_effort, clear, engine, user_key(name))
        await run_in_threadpool(_best_effort, refund, engine, [address_key(address)], cfg.throttle)
        token = await run_in_threadpool(start_session, engine, identity.user, cfg.session_lifetime)
        log.info("log-in: user=%r address=%s", identity.user, address)
        response = RedirectResponse(next_path, status_code=303, headers=NO_STORE)
        response.set_cookie(SESSION_COOKIE, signer.sign_session(token),
                            max_age=int(cfg.session_lifetime.total_seconds()), path="/", httponly=True,
                            samesite="strict", secure=self._secure(request, cfg))
        response.delete_cookie(CSRF_COOKIE, path="/auth")
        return response

    @staticmethod
    def _check(cfg: AuthConfig, name: str, password: str):
        """The password check, at most ``max_concurrent_checks`` at once (each argon2 check takes 64 MiB)."""
        slots = check_slots(cfg.max_concurrent_checks)
        if not slots.acquire(timeout=CHECK_WAIT_S):
            return "busy"
        try:
            return authenticate(cfg.users_path, name, password)
        finally:
            slots.release()

    async def logout(self, request: Request) -> Response:
        settings, cfg, engine = self._context()
        if settings.is_public:
            return PlainTextResponse("Not Found", status_code=404)
        token = cfg.signer().session_token(request.cookies.get(SESSION_COOKIE), cfg.session_lifetime.total_seconds())
        if token:
            await run_in_threadpool(revoke_session, engine, token)
        target = "/auth/login?next=" + quote(safe_next(request.query_params.get("next")), safe="/")
        response = RedirectResponse(target, status_code=303, headers=NO_STORE)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response
