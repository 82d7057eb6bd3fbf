"""The views' HTML: Jinja2 templates (autoescaped) around a page shell that every view shares: language, title,
description, canonical address, Open Graph and Twitter card tags, the language switch and the way back to the
dashboard. Every text goes through ``core.i18n.translate``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.config import LANGUAGES
from core.i18n import N_, translate
from geo import ATTRIBUTION
from server.views import texts

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}  # each in its own language
OG_LOCALES = {"en": "en_GB", "ru": "ru_RU", "kk": "kk_KZ"}
# Labels the templates use: the view's own texts and the dashboard's column names (already translated).
LABELS = {
    "site": texts.SITE, "numbers": texts.THE_NUMBERS, "legend": texts.LEGEND, "regions_help": texts.REGIONS_TABLE_HELP,
    "national_trend": texts.NATIONAL_TREND, "ranking_help": texts.RANKING_HELP, "profile_help": texts.PROFILE_HELP,
    "sources_licence": texts.SOURCES_LICENCE, "downloads": texts.DOWNLOADS, "csv": texts.CSV_DOWNLOAD,
    "api": texts.API_LINK, "explore": texts.EXPLORE, "ranking_link": texts.RANKING_LINK, "map_link": texts.MAP_LINK,
    "language": texts.LANGUAGE, "illustrative_cell": texts.ILLUSTRATIVE_CELL, "interactive": texts.INTERACTIVE_MAP,
    "attribution": ATTRIBUTION, "error_help": texts.ERROR_HELP, "home": texts.HOME,
    "region": N_("Region"), "value": N_("Value"), "rank": N_("Rank"), "kazakhstan": N_("Kazakhstan"),
    "indicator": N_("Indicator"),
    "unit": N_("Unit"), "period_col": N_("Period"), "trend": N_("Trend"), "compared": N_("Compared with Kazakhstan"),
    "boundaries": N_("Boundaries"),
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def labels(lang: str, **extra: str) -> dict[str, str]:
    return {key: translate(msgid, lang) for key, msgid in LABELS.items()} | extra


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str  # relative to the page
    absolute: str
    current: bool


@dataclass(frozen=True)
class PageShell:
    lang: str
    title: str
    description: str
    canonical: str  # absolute: the page in this language
    languages: list[LanguageLink]
    root: str  # relative path from the page to the app's root ("../" from /view/map)
    explore: str  # the dashboard's page of the same view, relative
    csv: str = ""
    api: str = ""
    interactive: str = ""  # the interactive map of the same view (the embed), relative

    @property
    def og_locale(self) -> str:
        return OG_LOCALES[self.lang]

    @property
    def home(self) -> str:
        return self.root + f"?{urlencode({'lang': self.lang})}"


def shell(base: str, path: str, query: dict[str, str], lang: str, title: str, description: str, explore: str,
          **links: str) -> PageShell:
    """``base``: the app's absolute address ending in "/"; ``path``: the view's path below it (``view/map``);
    ``query``: its parameters but the language; ``explore``: the dashboard's address below the root."""
    root = "../" * path.count("/")
    leaf = path.rsplit("/", 1)[-1]

    def address(code: str) -> str:
        return "?" + urlencode({**query, "lang": code})

    languages = [LanguageLink(code, LANGUAGE_NAMES[code], leaf + address(code), base + path + address(code),
                              code == lang) for code in LANGUAGES]
    return PageShell(lang=lang, title=title, description=description, canonical=base + path + address(lang),
                     languages=languages, root=root, explore=root + explore, **links)


def render(template: str, page: PageShell, **context: object) -> bytes:
    notes = context.pop("notes", {"illustrative": "", "suppressed": "", "illustrative_help": ""})
    txt = context.pop("txt", labels(page.lang))
    return environment().get_template(template).render(page=page, txt=txt, notes=notes, sources=context.pop(
        "sources", []), **context).encode()
