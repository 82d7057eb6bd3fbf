"""The quarterly KPI report is built from a template that escapes every value: a KPI name from an uploaded
framework file is text in the report, never markup."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

from data_sources.seed import init_store
from kpi import actuals_for, ensure_kpi_schema, list_kpis
from kpi.report import quarterly_report_html
from store import make_engine, observations_for

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> & «Скрининг»'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_a_kpi_name_with_markup_is_shown_as_text(tmp_path) -> None:
    engine = ensure_kpi_schema(init_store(make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")))
    kpis = list_kpis(engine)
    hostile = dataclasses.replace(kpis[0], names={**kpis[0].names, "en": HOSTILE})
    kpis = [hostile, *kpis[1:]]
    obs = observations_for(engine, region="KZ")
    acts = {k.id: actuals_for(engine, k, obs, published_only=True) for k in kpis}

    html = quarterly_report_html(kpis, acts, "2025Q4", public=True)

    parsed = _Collector()
    parsed.feed(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert HOSTILE in "".join(parsed.text)  # the reader sees the name exactly as written
    assert parsed.tags.count("h2") == 1 + len({k.pillar for k in kpis})  # the summary, then one per pillar
    assert parsed.tags.count("svg") == len(kpis)  # one trend chart per KPI
