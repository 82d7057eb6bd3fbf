"""The regional map figure: all 20 regions with the store's values, polarity-aware classes, an honest legend,
the OpenStreetMap credit, and grey "No data" regions."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics.classes import NO_DATA_COLOUR
from catalogue import load_catalogue
from charts.choropleth import choropleth_figure, map_frame
from core.config import load_settings
from core.i18n import translate
from data_sources.seed import init_store
from geo import REGION_CODES, map_geojson, region_name
from store import all_sources, make_engine, observations_for, periods_for, with_sources


def t(msgid: str, **values: object) -> str:
    return translate(msgid, "en", **values)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    return init_store(make_engine(f"sqlite:///{tmp_path_factory.mktemp('map') / 'store.sqlite'}"))


def _latest(engine, indicator_id: str) -> str:
    return periods_for(engine, indicator_id, regional_only=True)[-1]


def _figure(engine, indicator_id: str, period: str, scheme: str = "quantiles"):
    indicator = load_catalogue()[indicator_id]
    obs = with_sources(observations_for(engine, indicator_id, period), all_sources(engine))
    names = {code: region_name(code) for code in REGION_CODES}
    return choropleth_figure(map_frame(obs, names), map_geojson(), indicator, period, "en", t, scheme=scheme, k=5)


def _darkness(colour: str) -> float:
    """1 - relative luminance of a #rrggbb colour (higher = darker)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 1 - (0.2126 * r + 0.7152 * g + 0.0722 * b)


def _drawn(fig) -> dict[str, tuple[float | None, str, str]]:
    """region -> (value from customdata, fill colour, legend label) over all traces."""
    drawn = {}
    for trace in fig.data:
        colour = trace.colorscale[0][1]
        for region, value in trace.customdata:
            assert region not in drawn, f"{region} drawn twice"
            drawn[region] = (None if pd.isna(value) else float(value), colour, trace.name)
    return drawn


def _cases() -> list[tuple[str, str | None]]:
    default = load_settings(env={}).default_indicator
    return [(default, None), ("physicians_per_10k", "2022"), ("cancer_mortality_per_100k", None),
            ("breast_cancer_screening_coverage_pct", "2025Q4"), ("population_total", "2023"),
            ("ct_units_per_million", None)]


@pytest.mark.parametrize(("indicator_id", "period"), _cases())
def test_map_draws_the_twenty_regions_with_the_values_in_the_store(engine, indicator_id: str,
                                                                    period: str | None) -> None:
    period = period or _latest(engine, indicator_id)
    drawn = _drawn(_figure(engine, indicator_id, period))
    assert set(drawn) == set(REGION_CODES)
    stored = observations_for(engine, indicator_id, period)
    stored = stored[stored.region != "KZ"].set_index("region")["value"]
    assert len(stored) > 0
    for code in REGION_CODES:
        value, colour, label = drawn[code]
        if code in stored.index:
            assert value == pytest.approx(stored[code]), code
        else:
            assert value is None and colour == NO_DATA_COLOUR and label == "No data", code


@pytest.mark.parametrize(("indicator_id", "period"), _cases())
def test_darker_always_means_worse(engine, indicator_id: str, period: str | None) -> None:
    period = period or _latest(engine, indicator_id)
    polarity = load_catalogue()[indicator_id].polarity
    drawn = {c: v for c, v in _drawn(_figure(engine, indicator_id, period)).items() if v[0] is not None}
    values = pd.Series({c: v[0] for c, v in drawn.items()})
    darkest = max(_darkness(colour) for _label, colour, _count in drawn.values())
    worst = values.idxmin() if polarity == "higher_is_better" else values.idxmax()
    best = values.idxmax() if polarity == "higher_is_better" else values.idxmin()
    assert _darkness(drawn[worst][1]) == darkest
    assert _darkness(drawn[best][1]) < darkest


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks"])
def test_legend_states_the_breaks_and_the_unit(engine, scheme: str) -> None:
    indicator = load_catalogue()["life_expectancy_years"]
    period = _latest(engine, indicator.id)
    fig = _figure(engine, indicator.id, period, scheme)
    unit = indicator.unit_label("en")
    classed = [tr for tr in fig.data if tr.name != "No data"]
    assert len(classed) >= 3
    for trace in classed:
        assert trace.showlegend and trace.name.endswith(f" {unit}")
        low, high = (float(x.replace(",", "")) for x in re.findall(r"[\d,]+\.\d+", trace.name)[:2])
        for _code, value in trace.customdata:
            # the label is rounded to the indicator's decimals
            assert low - 0.05 <= value <= high + 0.05, (trace.name, value)
    assert unit in fig.layout.legend.title.text and period in fig.layout.legend.title.text


def test_osm_attribution_is_on_the_map(engine) -> None:
    fig = _figure(engine, "life_expectancy_years", _latest(engine, "life_expectancy_years"))
    texts = [a.text for a in fig.layout.annotations]
    assert any("OpenStreetMap" in text and "ODbL" in text for text in texts)


def test_regions_without_data_are_grey_and_labelled(engine) -> None:
    fig = _figure(engine, "physicians_per_10k", "2022")
    grey = [tr for tr in fig.data if tr.name == "No data"]
    assert len(grey) == 1
    assert grey[0].colorscale[0][1] == NO_DATA_COLOUR == grey[0].colorscale[1][1]
    # the 2022 physician counts predate Abai, Jetisu and Ulytau (created mid-2022)
    stored = set(observations_for(engine, "physicians_per_10k", "2022")["region"])
    assert {"KZ-10", "KZ-33", "KZ-62"} <= {row[0] for row in grey[0].customdata} == set(REGION_CODES) - stored
    assert all("No data" in text for text in grey[0].text)


def test_hover_names_region_value_period_source_and_illustrative_note(engine) -> None:
    fig = _figure(engine, "breast_cancer_screening_coverage_pct", "2025Q4")
    hover = {code: text for trace in fig.data for (code, _v), text in zip(trace.customdata, trace.text, strict=True)}
    assert "West Kazakhstan" in hover["KZ-27"] and "96.2" in hover["KZ-27"] and "2025Q4" in hover["KZ-27"]
    assert "mgorod" in hover["KZ-27"] and "Illustrative" not in hover["KZ-27"]
    assert "Illustrative value" in hover["KZ-11"]
