"""Chart images for articles: what a journalist downloads carries the chart's title, period, source, licence, the
illustrative badge (only where the data is illustrative) and the Densaulyq credit, drawn into the image; the PNG
is 1200 px wide; the map is drawn (its 20 regions as SVG paths), in English and Kazakh.

The SVG is rendered by the same path as the download (Kaleido driving the Debian Chromium, offline) and its text
nodes are read as XML: what is in them is what a reader of the image sees. Needs /usr/bin/chromium (else skipped,
a failure under CI)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from catalogue import load_catalogue
from charts.choropleth import choropleth_figure, map_frame
from charts.compare import ranking_bar
from charts.image import BADGE, CREDIT, FONT, PNG_WIDTH, image_meta, with_caption
from charts.render import ImageError, browser_path, render
from core.i18n import translate
from data_sources.seed import init_store
from geo import REGION_CODES, map_geojson, region_name
from store import all_sources, make_engine, observations_for, periods_for, with_sources

SVG = "{http://www.w3.org/2000/svg}"
KAZAKH_LETTERS = "әғқңөұүһі"

try:
    browser_path()
except ImageError as missing:
    if os.environ.get("CI"):
        raise
    pytest.skip(str(missing), allow_module_level=True)


def _tr(lang: str):
    def tr(msgid: str, **values: object) -> str:
        return translate(msgid, lang, **values)
    return tr


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    return init_store(make_engine(f"sqlite:///{tmp_path_factory.mktemp('images') / 'store.sqlite'}"))


def _obs(engine, indicator_id: str) -> tuple[pd.DataFrame, str]:
    period = periods_for(engine, indicator_id, regional_only=True)[-1]
    return with_sources(observations_for(engine, indicator_id, period), all_sources(engine)), period


def _map(engine, indicator_id: str, lang: str):
    indicator = load_catalogue()[indicator_id]
    obs, period = _obs(engine, indicator_id)
    frame = map_frame(obs, {c: region_name(c, lang) for c in REGION_CODES})
    fig = choropleth_figure(frame, map_geojson(), indicator, period, lang, _tr(lang))
    meta = image_meta(indicator.label(lang), period, frame[frame["value"].notna()], lang=lang)
    return with_caption(fig, meta, _tr(lang), lang), meta, obs


def _ranking(engine, indicator_id: str, lang: str):
    indicator = load_catalogue()[indicator_id]
    obs, period = _obs(engine, indicator_id)
    fig = ranking_bar(obs, indicator, {c: region_name(c, lang) for c in REGION_CODES}, lang, _tr(lang))
    meta = image_meta(indicator.label(lang), period, obs, lang=lang)
    return with_caption(fig, meta, _tr(lang), lang), meta, obs


def _svg_text(svg: bytes) -> tuple[ET.Element, str]:
    """The SVG's root and all its text nodes, joined by spaces (a wrapped footer line joins back up)."""
    root = ET.fromstring(svg)
    return root, re.sub(r"\s+", " ", " ".join(" ".join(node.itertext()) for node in root.iter(f"{SVG}text")))


def _source_and_licence(obs: pd.DataFrame) -> tuple[str, str]:
    rows = obs[obs["region"] != "KZ"].dropna(subset=["source_title"])
    return str(rows["source_title"].iloc[0]), str(rows["source_licence"].iloc[0])


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_map_svg_draws_the_regions_with_title_period_source_licence_and_credit(engine, lang: str) -> None:
    fig, meta, obs = _map(engine, "life_expectancy_years", lang)  # published BNS figures: no badge
    root, text = _svg_text(render(fig, "svg"))
    title = load_catalogue()["life_expectancy_years"].label(lang)
    source, licence = _source_and_licence(obs)
    assert title in text
    assert f"{translate('Period', lang)}: {meta.period}" in text
    assert source.split(" (")[0] in text
    assert licence in text
    assert translate(CREDIT, lang, date="").split(",")[0] in text
    assert translate(BADGE, lang) not in text
    regions = [p for p in root.iter(f"{SVG}path") if "choroplethlocation" in (p.get("class") or "")]
    assert len(regions) == len(REGION_CODES)
    assert all(len(p.get("d") or "") > 50 for p in regions)  # real outlines, not empty paths
    if lang == "kk":
        assert any(letter in text for letter in KAZAKH_LETTERS)


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_illustrative_chart_carries_the_badge_and_its_sources(engine, lang: str) -> None:
    fig, meta, obs = _ranking(engine, "breast_cancer_screening_coverage_pct", lang)  # illustrative series
    assert meta.illustrative
    _root, text = _svg_text(render(fig, "svg"))
    assert translate(BADGE, lang) in text
    assert load_catalogue()["breast_cancer_screening_coverage_pct"].label(lang) in text
    assert _source_and_licence(obs)[0].split(" (")[0][:40] in text


def test_real_chart_has_no_badge(engine) -> None:
    fig, meta, _obs = _ranking(engine, "physicians_per_10k", "en")
    assert not meta.illustrative
    _root, text = _svg_text(render(fig, "svg"))
    assert translate(BADGE, "en") not in text
    assert "Physicians" in text or load_catalogue()["physicians_per_10k"].label("en") in text


def test_png_is_1200_px_wide_and_not_blank(engine) -> None:
    fig, _meta, _obs = _map(engine, "life_expectancy_years", "kk")
    image = Image.open(io.BytesIO(render(fig, "png")))
    assert image.width == PNG_WIDTH == 1200
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # the classes' fills, text and outlines, not an empty frame


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig not installed")
def test_the_image_font_has_the_kazakh_letters() -> None:
    """The font the image names first is installed with every Kazakh letter (no tofu in the kk images)."""
    charset = " ".join(f"{ord(c):04x}" for c in KAZAKH_LETTERS + KAZAKH_LETTERS.upper())
    families = subprocess.run(["fc-list", f":charset={charset}", "family"], capture_output=True, text=True,
                              check=True).stdout
    assert FONT.split(",")[0] in families


def test_no_browser_is_a_clear_error_and_no_download(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DENSAULYQ_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(ImageError, match="Chromium") as error:
        browser_path()
    assert "never downloads" in str(error.value)


def test_streamlit_placeholder_colours_become_real_colours() -> None:
    """Figures built in the app carry Streamlit's template, whose colours (#000001 …) only Streamlit's browser code
    turns into colours: in an image they would draw every line black."""
    import plotly.graph_objects as go

    fig = go.Figure([go.Scatter(x=[1, 2], y=[3, 4], line={"color": "#000001"}, name="Astana"),
                     go.Scatter(x=[1, 2], y=[4, 5], line={"color": "#000002"}, name="Almaty")])
    meta = image_meta("Life expectancy", "2022", pd.DataFrame({"synthetic": [False]}))
    out = with_caption(fig, meta, _tr("en"), "en")
    colours = [trace.line.color for trace in out.data]
    assert len(set(colours)) == 2 and not any(re.fullmatch(r"#0000\d\d", c) for c in colours)


OFFLINE_RENDER = """
import socket, sys
sys.path.insert(0, sys.argv[1])
import pandas as pd, plotly.graph_objects as go
from charts.image import image_meta, with_caption
from charts.render import render
from core.i18n import translate
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    sys.exit("the sandbox has a network")
except OSError:
    pass
square = {"type": "Polygon", "coordinates": [[[60, 45], [70, 45], [70, 50], [60, 50], [60, 45]]]}
fig = go.Figure(go.Choroplethmap(geojson={"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "KZ-10", "geometry": square}]}, locations=["KZ-10"], z=[1]))
fig.update_layout(map={"style": "white-bg"}, height=400)
meta = image_meta("Offline", "2022", pd.DataFrame({"synthetic": [True]}))
svg = render(with_caption(fig, meta, lambda m, **v: translate(m, "en", **v), "en"), "svg")
assert b"choroplethlocation" in svg and b"ILLUSTRATIVE DATA" in svg
print("ok")
"""


def test_images_render_with_no_network_at_all(tmp_path: Path) -> None:
    """In a network namespace with no interface but loopback (``unshare -rn``), the image still renders: nothing
    in the path (plotly.js, the world outline, fonts, the browser) is fetched from elsewhere."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"]).returncode != 0:
        pytest.skip("unshare -rn (unprivileged network namespaces) is not available here")
    script = tmp_path / "offline.py"
    script.write_text(OFFLINE_RENDER, encoding="utf-8")
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(["unshare", "-rn", sys.executable, str(script), root], capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-2000:]
