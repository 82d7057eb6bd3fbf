"""A period is coloured alike wherever a reader meets it: the dashboard's map, the map embed and the map view all
class the regions with breaks fixed over every period of the indicator (``charts.choropleth.fixed_class_choropleth``).
Before, the embed and the view classed each period on its own, so a region could be dark on the dashboard and pale in
the newspaper's embed of the same period."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.apptest_helpers import public_app_on

INDICATORS = ["life_expectancy_years", "breast_cancer_screening_coverage_pct"]


def _drawn(figure: dict) -> tuple[dict[str, str], list[str]]:
    """Each region's fill colour and the legend's entries, read off the figure's traces (one trace per class)."""
    colours: dict[str, str] = {}
    for trace in figure["data"]:
        colours |= {code: trace["colorscale"][0][1] for code in trace["locations"]}
    return colours, [trace["name"] for trace in figure["data"]]


@pytest.fixture()
def public_store(monkeypatch: pytest.MonkeyPatch, seeded_db_url: str) -> Iterator[str]:
    with public_app_on(seeded_db_url, monkeypatch) as url:
        yield url


@pytest.mark.parametrize("indicator_id", INDICATORS)
def test_the_embed_and_the_view_colour_every_region_as_the_dashboards_map(public_store, indicator_id: str) -> None:
    import readmodel
    from server.context import read_context
    from server.embed.routes import map_parts
    from server.views.maps import map_model
    from ui.map_view import map_view

    ctx = read_context()
    indicator = ctx.catalogue[indicator_id]
    periods = readmodel.periods(ctx.engine, indicator_id, regional_only=True)
    assert len(periods) > 1  # classes fixed over periods differ from one period's own only with several
    for period in (periods[0], periods[-1]):
        dashboard, _frame, _obs = map_view(indicator, period, "value", 0.95, "byar", "en")
        _obs, _frame, embed = map_parts(ctx, indicator_id, period, "en")
        assert _drawn(embed.to_dict()) == _drawn(dashboard.to_dict()), period
        assert "Classes fixed across" in str(embed.layout.legend.title.text)
        view = map_model(ctx, indicator_id, period, "en")  # the server-drawn SVG takes the embed's colours
        assert {row.code: row.colour for row in view.rows if row.colour} == {
            code: colour for code, colour in _drawn(embed.to_dict())[0].items()}, period
