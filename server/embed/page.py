"""The HTML of an embeddable view: a heading, the badges, the figure (drawn by ``embed.js`` with the locally
served plotly.js), the source line with its as-of date, and a link back to the full view. No other host."""

from __future__ import annotations

import html
from dataclasses import dataclass
from string import Template

import pandas as pd

from core.i18n import format_date, format_percent, translate
from share import texts

_PAGE = Template("""<!doctype html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<link rel="stylesheet" href="$assets/embed.css?v=$asset_version">
</head>
<body>
<header>
<h1>$title</h1>
<p class="meta">$subtitle</p>
$badges
</header>
<main><div id="figure" role="img" aria-label="$alt"></div></main>
<footer>
<p class="source">$source</p>
<p><a href="$back" target="_blank" rel="noopener">$back_text ↗</a></p>
</footer>
<script type="application/json" id="figure-data">$figure</script>
<script src="$assets/$plotly_script"></script>
<script src="$assets/embed.js?v=$asset_version"></script>
</body>
</html>
""")


@dataclass(frozen=True)
class EmbedView:
    title: str
    alt: str
    back: str  # the full view, relative to /embed/
    figure_json: str
    rows: pd.DataFrame  # the observations behind the view (sources, as-of date, suppression)
    drawn: pd.DataFrame  # the values drawn (the share of illustrative ones)
    period_text: str
    lang: str


def _source_line(rows: pd.DataFrame, lang: str) -> str:
    rows = rows[rows["source_id"].notna()] if "source_id" in rows else rows
    if rows.empty or "source_title" not in rows:
        return ""
    parts = []
    for _unused, src in rows.drop_duplicates("source_id").head(3).iterrows():
        as_of = format_date(pd.to_datetime(src.get("source_as_of")), lang) if pd.notna(src.get("source_as_of")) else "?"
        parts.append(translate(texts.SOURCE_ITEM, lang, title=str(src["source_title"]), date=as_of,
                               licence=src["source_licence"]))
    more = rows["source_id"].nunique() - len(parts)
    return translate(texts.SOURCE, lang) + ": " + "; ".join(parts) + (
        f"; +{more} " + translate(texts.MORE, lang) if more > 0 else "")


def as_of(rows: pd.DataFrame, lang: str = "en") -> str:
    """The latest as-of date of the rows, written the reader's way (as the app writes dates)."""
    dates = pd.to_datetime(rows.get("source_as_of", pd.Series(dtype="datetime64[ns]")), errors="coerce").dropna()
    return format_date(dates.max(), lang) if len(dates) else "?"


def _badges(rows: pd.DataFrame, drawn: pd.DataFrame, lang: str, min_count: int | None) -> str:
    out = []
    shown = drawn[drawn["value"].notna()]
    if "synthetic" in shown and shown["synthetic"].astype(bool).any():
        share = shown["synthetic"].astype(bool).mean()
        out.append(f'<p class="badge illustrative" title="{html.escape(translate(texts.ILLUSTRATIVE_HELP, lang))}">'
                   f'⚠ {html.escape(translate(texts.ILLUSTRATIVE, lang))} · {format_percent(share, lang, 0)}</p>')
    if min_count is not None and "suppressed" in rows and rows["suppressed"].fillna(False).astype(bool).any():
        out.append(f'<p class="note">{html.escape(translate(texts.SUPPRESSED, lang, n=min_count))}</p>')
    return "\n".join(out)


def render(view: EmbedView, assets: str, plotly_script: str, asset_version: str, min_count: int | None) -> bytes:
    """The page; ``plotly_script`` the plotly.js file under ``assets``; ``min_count`` the public suppression
    threshold (None in the internal instance)."""
    # JSON inside <script>: "<" escaped so no "</script>" in any text can end the element.
    figure = view.figure_json.replace("<", "\\u003c")
    subtitle = translate(texts.PERIOD_AS_OF, view.lang, period=view.period_text, date=as_of(view.rows, view.lang))
    return _PAGE.substitute(
        lang=html.escape(view.lang), title=html.escape(view.title), subtitle=html.escape(subtitle),
        badges=_badges(view.rows, view.drawn, view.lang, min_count), alt=html.escape(view.alt), assets=assets,
        asset_version=asset_version, plotly_script=plotly_script, figure=figure,
        source=html.escape(_source_line(view.rows, view.lang)), back=html.escape(view.back),
        back_text=html.escape(translate(texts.FULL_VIEW, view.lang)),
    ).encode()
