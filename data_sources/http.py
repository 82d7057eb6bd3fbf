"""The one HTTP session every connector uses: timeouts, retries with back-off, and an on-disk cache.

* connect/read timeouts on every request (``requests`` has no session-wide timeout, so :class:`HttpClient`
  passes them);
* urllib3 ``Retry`` on 429 and 5xx with exponential back-off, honouring ``Retry-After``;
* requests-cache (SQLite file under ``var/``) so a re-run within the cache lifetime does not hit the API again.

Settings come from ``[http]`` in config.toml; tests use ``backoff_factor = 0`` and no cache.
"""

from __future__ import annotations

from collections.abc import Mapping
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


class HttpClient:
    """GET JSON with the session, its timeouts, and errors turned into :class:`SourceError` with the URL."""

    def __init__(self, settings: HttpSettings | None = None, session: requests.Session | None = None):
        self.settings = settings or HttpSettings()
        self.session = session or make_session(self.settings)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.settings.connect_timeout, self.settings.read_timeout)

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
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
        if response.status_code != 200:
            retried = f" (still failing after {self.settings.retries} retries)" \
                if response.status_code in RETRY_STATUSES else ""
            raise SourceError(f"HTTP {response.status_code} {response.reason or ''} from {response.url}{retried}")
        try:
            return response.json()
        except ValueError:
            snippet = response.text[:80].replace("\n", " ")
            raise SourceError(f"reply is not valid JSON ({snippet!r}…) from {response.url}") from None

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
