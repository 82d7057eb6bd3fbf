"""What ``/view/region/{code}`` shows: the region profile of the dashboard (``analytics.profile``), its comparison
with Kazakhstan (``analytics.spine``) and recent trend (``analytics.trends``), read from the read model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

import readmodel
from analytics.benchmark import CATEGORY_LABELS, ILLUSTRATIVE_VERDICT, verdict_label
from analytics.profile import region_profile
from analytics.spine import region_trends, spine_rows
from analytics.trends import DIRECTIONS, Trend
from catalogue import DOMAIN_NAMES, DOMAINS
from core.i18n import translate
from core.periods import sort_key
from core.provenance_text import localize_columns
from geo import region, region_name
from server.context import ReadContext
from server.embed.routes import EMBED_TEXTS
from server.views import texts
from server.views.common import Cell, SourceItem, as_of, cell, flag, notices, sources
from server.views.svg import sparkline


@dataclass(frozen=True)
class ProfileRow:
    indicator_id: str
    indicator: str
    value: Cell
    national: Cell
    unit: str
    period: str
    verdict: str
    trend: str
    rank: str
    illustrative: bool
    spark: Markup
    note: str


@dataclass
class ProfileModel:
    code: str
    name: str
    kind: str
    domains: list[tuple[str, list[ProfileRow]]]
    as_of: str
    sources: list[SourceItem]
    notices: dict[str, str]


def trend_text(trend: Trend | None, lang: str) -> str:
    """"↑ Increasing", with the illustrative notice when its points include any (as ``ui.flags.trend_text``)."""
    if trend is None:
        return "–"
    text = f"{trend.arrow} {translate(DIRECTIONS[trend.direction], lang)}"
    if trend.illustrative and trend.direction in ("increasing", "decreasing", "no_change"):
        text += f" ({translate(ILLUSTRATIVE_VERDICT, lang)})"
    return text


def _suppressed(obs: pd.DataFrame, code: str, indicator_id: str, period: str) -> bool:
    if "suppressed" not in obs:
        return False
    hit = obs[(obs["region"] == code) & (obs["indicator_id"] == indicator_id) & (obs["period"] == period)]
    return bool(hit["suppressed"].fillna(False).astype(bool).any())


def _first_period(obs: pd.DataFrame, row: pd.Series) -> str:
    """Where the row's sparkline starts: after a boundary change (``series_from``), else the first period."""
    if isinstance(row["series_from"], str):
        return row["series_from"]
    periods = obs.loc[obs["indicator_id"] == row["indicator_id"], "period"]
    return min(periods, key=sort_key) if len(periods) else "…"


def _spark(row: pd.Series, label: str, name: str, decimals: int, lang: str, first_period: str) -> Markup:
    values = [None if v is None or pd.isna(v) else float(v) for v in row["trend"]]
    shown = [v for v in values if v is not None]
    if len(shown) < 2:
        return Markup("")
    alt = translate(texts.SPARK_ALT, lang, indicator=label, region=name, first_period=first_period,
                    last_period=row["period"],
                    first=cell(shown[0], decimals, lang).text, last=cell(shown[-1], decimals, lang).text)
    return sparkline(values, alt, dashed=bool(row["trend_illustrative"]))


def region_model(ctx: ReadContext, code: str, lang: str) -> ProfileModel:
    obs = localize_columns(readmodel.observations(ctx.engine, ctx.policy), lang, EMBED_TEXTS)
    catalogue = ctx.catalogue
    profile = region_profile(obs, code, catalogue)
    stats = ctx.settings.section("statistics")
    spine = spine_rows(obs, code, catalogue, rate_method=str(stats.get("rate_method", "byar")))
    verdicts = {} if spine.empty else {
        r["indicator_id"]: translate(verdict_label(r["category"], bool(r["verdict_illustrative"])), lang)
        for _unused, r in spine.iterrows()}
    trends = region_trends(obs, code, catalogue)
    name = region_name(code, lang)
    mine = obs[(obs["region"] == code) & obs["value"].notna()]
    rows: dict[str, list[ProfileRow]] = {}
    for _unused, r in profile.iterrows():
        ind = catalogue[r["indicator_id"]]
        label, d = ind.label(lang), ind.decimals
        suppressed = _suppressed(obs, code, ind.id, r["period"])
        rank = f"{int(r['rank'])}\u00a0/\u00a0{int(r['of'])}" if pd.notna(r["rank"]) else "–"
        rows.setdefault(ind.domain, []).append(ProfileRow(
            indicator_id=ind.id, indicator=label, unit=ind.unit_label(lang), period=str(r["period"]),
            value=cell(r["value"], d, lang, flag(r["synthetic"]), suppressed),
            national=cell(r["national"], d, lang, flag(r["national_illustrative"])),
            verdict=verdicts.get(ind.id, translate(CATEGORY_LABELS["not_compared"], lang)),
            trend=trend_text(trends.get(ind.id), lang), rank=rank, illustrative=flag(r["illustrative"]),
            spark=_spark(r, label, name, d, lang, _first_period(mine, r)),
            note=r["boundary_note"] if isinstance(r["boundary_note"], str) else ""))
    latest = obs[obs["region"] == code]
    if len(profile):
        latest = latest.merge(profile[["indicator_id", "period"]], on=["indicator_id", "period"])
    info = region(code)
    kind = translate("city of republican significance" if info.kind == "city" else "oblast", lang)
    min_count = ctx.policy.min_count if ctx.policy.public else None
    # the badge counts a value illustrative when it, or what it is ranked or judged against, is (as the page)
    shown = pd.DataFrame({"value": profile["value"], "synthetic": profile["illustrative"]}) if len(profile) \
        else latest
    return ProfileModel(
        code=code, name=name, kind=kind,
        domains=[(translate(DOMAIN_NAMES[d], lang), rows[d]) for d in DOMAINS if d in rows],
        as_of=as_of(latest, lang), sources=sources(latest, lang),
        notices=notices(latest, shown, lang, min_count))
