"""The ways out of the dashboard for people who take numbers away: the map's "Share / embed" box and the "API"
section of Data & sources (copyable link, iframe snippet, curl and pandas examples)."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import streamlit as st

from ui.context import language, settings, t


def base_url(page_path: str) -> str:
    """The app's address as the reader's browser sees it (without the page's own path); empty in tests."""
    url = (st.context.url or "").rstrip("/")
    suffix = "/" + page_path.strip("/")
    return url[: -len(suffix)] if url.endswith(suffix) else url


# Sets the height of the frame a Densaulyq embed posts its page height from (server/embed/static/embed.js): the
# frame is then exactly as tall as the view at any width, so the source line and the link back are never cut.
RESIZE_SCRIPT = ('<script>addEventListener("message",function(e){var d=e.data;if(!d||d.type!=="densaulyq-embed-height")'
                 'return;document.querySelectorAll("iframe[data-densaulyq-embed]").forEach(function(f){'
                 'if(f.contentWindow===e.source)f.style.height=Math.ceil(d.height)+"px"})});</script>')


def embed_snippet(src: str, title: str, height: int = 720) -> str:
    """The iframe of an embed and the script that sizes it to its content (``height``: until the embed reports)."""
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{height}" style="border:0" '
            f'loading="lazy" data-densaulyq-embed></iframe>\n{RESIZE_SCRIPT}')


def _view_link(base: str, view: str) -> None:
    """The reader's link first: the server-rendered view of the same numbers (``/view/…``, server/views)."""
    st.caption(t("Link for readers: a light page with the same numbers as a table, fast on a phone and readable "
                 "without JavaScript; it links back here:"))
    st.code(f"{base}/view/{view}", language=None, wrap_lines=True)


def share_box(indicator_id: str, period: str, title: str) -> None:
    """Under the map: the link to the map's view for readers, the link to this page and the iframe snippet of the
    same map (both served without a session)."""
    base = base_url("map")
    query = urlencode({"indicator": indicator_id, "period": period, "lang": language()})
    box = st.expander(t("Share / embed"), icon=":material/share:", key="share_box", on_change="rerun")
    if not box.open:  # drawn only when opened: its code blocks load a 1.5 MB highlighter (0.5 s of a visit's CPU)
        return
    with box:
        _view_link(base, f"map?{query}")
        st.caption(t("Link to this view (it opens the same indicator and period in any browser):"))
        st.code(f"{base}/map?{query}", language=None, wrap_lines=True)
        st.caption(t("Embed this map in an article or a web page. It shows the same figure with its legend, sources, "
                     "as-of date and a link back here, reads well on a phone, and is served as a plain cached page, "
                     "so many readers at once cost this server little:"))
        st.code(embed_snippet(f"{base}/embed/map?{query}", title), language="html", wrap_lines=True)


def trend_share_box(options: dict[str, str], region: str) -> None:
    """Under the region profile: the region's view for readers (``/view/region/…``), then the iframe snippet of one
    indicator's trend in the region beside Kazakhstan (``/embed/trend``); ``options``: indicator id → its label."""
    base = base_url("profile")
    box = st.expander(t("Share / embed"), icon=":material/share:", key="trend_share_box", on_change="rerun")
    if not box.open:
        return
    with box:
        _view_link(base, f"region/{region}?" + urlencode({"lang": language()}))
        if not options:
            return
        indicator_id = st.selectbox(t("Indicator"), list(options), format_func=options.get, key="trend_embed")
        st.caption(t("Embed this indicator's trend in the region beside Kazakhstan in an article or a web page, with "
                     "its sources, as-of date and a link back here:"))
        query = urlencode({"indicator": indicator_id, "region": region, "lang": language()})
        st.code(embed_snippet(f"{base}/embed/trend?{query}", options[indicator_id]), language="html",
                wrap_lines=True)


def view_share_box(page_path: str, view: str, key: str) -> None:
    """A page whose view has no embed (Compare: ``/view/indicator/…``): the link for readers and this page's."""
    base = base_url(page_path)
    box = st.expander(t("Share"), icon=":material/share:", key=key, on_change="rerun")
    if box.open:
        with box:
            _view_link(base, view)


def api_section(indicator_id: str) -> None:
    """How to read the same data from a script: the read API, the data package and the OpenAPI document."""
    base = base_url("data") or "http://localhost:8501"
    st.markdown(t("Every table of this dashboard can be read without it: the read API answers JSON (or CSV with "
                  "`format=csv`), and the data package holds the whole store with its field types, units, licences "
                  "and sources. Responses carry an ETag: send it back in `If-None-Match` to get `304 Not Modified`."))
    if settings().is_public:
        st.caption(t("This public instance serves exactly what its pages show: small numbers are suppressed "
                     "(`suppressed=true`) and illustrative values are flagged (`illustrative=true`)."))
    else:
        st.caption(t("This internal instance answers API requests only with your log-in cookie."))
    csv_url = f"{base}/api/v1/observations?indicator={indicator_id}&format=csv"
    st.markdown("**curl**")
    st.code(f'curl -s "{csv_url}" -o {indicator_id}.csv\n'
            f'curl -s "{base}/api/v1/observations?indicator={indicator_id}&region=KZ-75"\n'
            f'curl -s "{base}/api/v1/indicators?lang=ru"\n'
            f'curl -sO "{base}/api/v1/datapackage.zip"', language="bash", wrap_lines=True)
    st.markdown("**pandas**")
    st.code("import pandas as pd\n\n"
            f'observations = pd.read_csv("{csv_url}")\n'
            f'indicators = pd.read_csv("{base}/api/v1/indicators?format=csv")\n'
            "official = observations[~observations['illustrative']]  # drop illustrative values",
            language="python", wrap_lines=True)
    package, boundaries = t("Data package"), t("Regions (GeoJSON)")
    st.markdown(f"[OpenAPI]({base}/api/v1/openapi.json) · [{package}]({base}/api/v1/datapackage.zip) · "
                f"[{boundaries}]({base}/api/v1/regions.geojson)")
