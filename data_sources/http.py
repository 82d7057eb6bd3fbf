"""The one HTTP session every connector uses: timeouts, retries with back-off, and an on-disk cache.

* connect/read timeouts on every request (``requests`` has no session-wide timeout, so :class:`HttpClient`
  passes them), and a total deadline per request (``total_timeout``) and per source (:meth:`HttpClient.budget`):
  a server that sends one byte per second never trips a read timeout, so the request runs in a worker thread,
  reads the body in chunks against the deadline, and is abandoned when the deadline passes;
* urllib3 ``Retry`` on 429 and 5xx with exponential back-off, honouring ``Retry-After``;
* requests-cache (SQLite file under ``var/``) so a re-run within the cache lifetime does not hit the API again.

Settings come from ``[http]`` in config.toml; tests use ``backoff_factor = 0`` and no cache.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from core.paths import REPO_ROOT

RETRY_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "Densaulyq/0.1 (+open-source healthcare dashboard; data refresh)"


class SourceError(RuntimeError):
    """A fetch failed (network, HTTP status, or a reply that is not in the expected shape)."""


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0   # one request, retries included, from the first byte sent to the last read
    source_timeout: float = 600.0  # every request of one source in a refresh run
    retries: int = 3
    backoff_factor: float = 1.0
    max_backoff: float = 60.0
    cache: bool = True
    cache_path: str = "var/http_cache"
    cache_expire_s: int = 6 * 3600

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> HttpSettings:
        known = {k: section[k] for k in cls.__dataclass_fields__ if k in section}
        return cls(**known)


def make_session(settings: HttpSettings) -> requests.Session:
    retry = Retry(total=settings.retries, connect=settings.retries, read=settings.retries,
                  status=settings.retries, backoff_factor=settings.backoff_factor,
                  backoff_max=settings.max_backoff, status_forcelist=RETRY_STATUSES,
                  allowed_methods=frozenset({"GET", "HEAD"}), respect_retry_after_header=True,
                  raise_on_status=False)
    if settings.cache:
        cache_file = REPO_ROOT / settings.cache_path
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        session: requests.Session = requests_cache.CachedSession(
            str(cache_file), backend="sqlite", expire_after=settings.cache_expire_s,
            allowable_codes=(200,), stale_if_error=False)
    else:
        session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


class _Expired(Exception):
    """The deadline passed while the body was still arriving."""


@dataclass(frozen=True)
class _Reply:
    status: int
    reason: str
    url: str
    body: bytes


class HttpClient:
    """GET JSON with the session, its timeouts and deadlines, errors turned into :class:`SourceError` with the
    URL (never the reply's text beyond a short quoted snippet)."""

    def __init__(self, settings: HttpSettings | None = None, session: requests.Session | None = None):
        self.settings = settings or HttpSettings()
        self.session = session or make_session(self.settings)
        self._source_deadline: float | None = None

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.settings.connect_timeout, self.settings.read_timeout)

    @contextmanager
    def budget(self, seconds: float | None = None) -> Iterator[None]:
        """Every request inside shares one deadline (``source_timeout`` unless given): one source's refresh."""
        outer = self._source_deadline
        limit = time.monotonic() + (self.settings.source_timeout if seconds is None else seconds)
        self._source_deadline = limit if outer is None else min(outer, limit)
        try:
            yield
        finally:
            self._source_deadline = outer

    def _deadline(self) -> tuple[float, str]:
        own = time.monotonic() + self.settings.total_timeout
        if self._source_deadline is not None and self._source_deadline < own:
            return self._source_deadline, "the source's time budget ran out"
        return own, f"no complete reply within {self.settings.total_timeout:g} s"

    def _fetch(self, url: str, params: Mapping[str, Any] | None, deadline: float) -> _Reply:
        try:
            response = self.session.get(url, params=params, timeout=self.timeout, stream=True)
        except requests.exceptions.Timeout:
            raise SourceError(f"timed out after {self.settings.read_timeout:g} s: {url}") from None
        except requests.exceptions.RetryError as exc:
            raise SourceError(f"gave up after {self.settings.retries} retries ({_reason(exc)}): {url}") from None
        except requests.exceptions.ConnectionError as exc:
            if _timed_out(exc):  # a read timeout after the retries arrives wrapped in a ConnectionError
                raise SourceError(f"timed out after {self.settings.read_timeout:g} s: {url}") from None
            raise SourceError(f"cannot connect ({_reason(exc)}): {url}") from None
        except requests.exceptions.RequestException as exc:
            raise SourceError(f"request failed ({exc.__class__.__name__}): {url}") from None
        try:
            chunks = []
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise _Expired
            return _Reply(response.status_code, response.reason or "", response.url, b"".join(chunks))
        except requests.exceptions.RequestException as exc:
            raise SourceError(f"reply broke off ({exc.__class__.__name__}): {url}") from None
        finally:
            response.close()

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        deadline, why = self._deadline()
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["reply"] = self._fetch(url, params, deadline)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="densaulyq-http", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive() or isinstance(outcome.get("error"), _Expired):
            raise SourceError(f"{why}: {url}")  # a still-dribbling worker is left to die with its socket
        if "error" in outcome:
            raise outcome["error"]
        reply: _Reply = outcome["reply"]
        if reply.status != 200:
            retried = f" (still failing after {self.settings.retries} retries)" \
                if reply.status in RETRY_STATUSES else ""
            raise SourceError(f"HTTP {reply.status} {reply.reason} from {reply.url}{retried}")
        try:
            return json.loads(reply.body)
        except ValueError:
            snippet = reply.body[:80].decode("utf-8", "replace").replace("\n", " ")
            raise SourceError(f"reply is not valid JSON ({snippet!r}…) from {reply.url}") from None

    def close(self) -> None:
        self.session.close()


def _timed_out(exc: Exception) -> bool:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, TimeoutError | ReadTimeoutError) or "Read timed out" in str(exc)


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "too many 429", "too many 500",
                   "too many 5", "Max retries exceeded"):
        if marker in text:
            return marker
    return text.split("\n")[0][:120]
