"""Application settings from ``config.toml`` with environment overrides.

One code base serves both the public read-only instance and the internal one: ``DENSAULYQ_MODE`` picks,
``DATABASE_URL`` points the store at PostgreSQL (or another SQLite file).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from core.paths import CONFIG_FILE, REPO_ROOT

Mode = Literal["public", "internal"]
MODES: tuple[str, ...] = ("public", "internal")
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")


class ConfigError(ValueError):
    """The configuration names a value the product cannot use."""


@dataclass(frozen=True)
class Settings:
    mode: Mode
    default_language: str
    default_indicator: str
    database_url: str
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_public(self) -> bool:
        return self.mode == "public"

    def section(self, name: str) -> Mapping[str, Any]:
        """Any other table of config.toml (``[map]``, ``[kpi]``, ``[sources]`` …), empty when absent."""
        value = self.raw.get(name, {})
        return value if isinstance(value, Mapping) else {}


def _sqlite_url_relative_to_repo(url: str) -> str:
    """``sqlite:///var/x.sqlite`` is read relative to the repo root, so the app works from any cwd."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        path = REPO_ROOT / url[len(prefix):]
        return prefix + str(path)
    return url


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    path = Path(env.get("DENSAULYQ_CONFIG", "")) if path is None and env.get("DENSAULYQ_CONFIG") else path
    path = path or CONFIG_FILE
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    app = raw.get("app", {})
    mode = env.get("DENSAULYQ_MODE") or app.get("mode", "public")
    if mode not in MODES:
        raise ConfigError(
            f"mode must be one of {', '.join(MODES)}, not {mode!r} (config.toml [app].mode or DENSAULYQ_MODE)")
    language = env.get("DENSAULYQ_LANGUAGE") or app.get("default_language", "en")
    if language not in LANGUAGES:
        raise ConfigError(f"default_language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    url = env.get("DATABASE_URL") or raw.get("store", {}).get("url", "sqlite:///var/densaulyq.sqlite")
    return Settings(
        mode=mode,  # type: ignore[arg-type]
        default_language=language,
        default_indicator=app.get("default_indicator", "life_expectancy_years"),
        database_url=_sqlite_url_relative_to_repo(url),
        raw=raw,
    )
