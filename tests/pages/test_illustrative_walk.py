"""Every page that shows observations, in both instance modes, default state and a few URL states, and every
download it offers: a number that depends on an illustrative observation carries the flag, and only such a number.

Two fixture stores built from the embedded snapshot with every row marked real, except:
* ``all_real``: nothing — no table row, download row, badge, chart label or metric may say "illustrative";
* ``one_synthetic``: a single input (Akmola's breast screening coverage, 2025Q4) — each derived kind that rests on
  it (its map row and trend, the rank of every region on that indicator, its verdict, its funnel point, the
  resilience index that scales every region against it) is flagged, and nothing that does not rest on it is.

The KPI pages are not walked: their illustrative status comes from the KPI framework file, not from observations.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from core.access import Identity
from tests.figures import page_figures

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = ("breast_cancer_screening_coverage_pct", "KZ-11", "2025Q4")
BREAST = {"indicator": "breast_cancer_screening_coverage_pct", "period": "2025Q4"}
STATES: dict[str, list[dict[str, str]]] = {  # the default state of each page, and the states that show the input
    "pages/overview.py": [{}],
    "pages/regional_map.py": [BREAST, {**BREAST, "mapmode": "benchmark"},
                              {"indicator": "hospital_organisations_count", "period": "2022"}],
    "pages/region_profile.py": [{"region": "KZ-11"}],
    "pages/compare.py": [{**BREAST, "regions": "KZ-11"}],
    "pages/sources_and_data.py": [{"indicator": "breast_cancer_screening_coverage_pct"}],
    "pages/funnel.py": [{}],
    "pages/resilience_index.py": [{}],
    "pages/capacity_gaps.py": [{}, {"reference": "regional_median"}],
}
# The internal instance reads the same model without suppression: one state per kind of derived number there.
INTERNAL = {("pages/regional_map.py", 1), ("pages/region_profile.py", 0), ("pages/resilience_index.py", 0),
            ("pages/capacity_gaps.py", 1)}
# What only a flagged number shows (static help texts may mention illustrative data; these phrases may not).
MARKERS = ("Illustrative — demonstrates the method", "Illustrative value, not official statistics",
           "Includes illustrative values", "rest on illustrative values", "includes illustrative values",
           "· illustrative", "(illustrative)", "Illustrative data", '"Illustrative"')


def _store(path: Path, synthetic: tuple[str, str, str] | None) -> str:
    from data_sources.snapshot import build_snapshot
    from store import make_engine
    from store.migrate import upgrade
    from store.schema import meta, observations, sources

    src, obs = build_snapshot()
    obs = obs.assign(synthetic=False)
    if synthetic is not None:
        key = (obs["indicator_id"] == synthetic[0]) & (obs["region"] == synthetic[1]) & (obs["period"] == synthetic[2])
        assert key.sum() == 1
        obs.loc[key, "synthetic"] = True
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(insert(sources), src.astype(object).where(src.notna(), None).to_dict("records"))
        conn.execute(insert(observations), obs.astype(object).where(obs.notna(), None).to_dict("records"))
        conn.execute(insert(meta), [{"key": "snapshot_loaded", "value": "test fixture"}])
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("flags")
    return {"all_real": _store(folder / "real.sqlite", None),
            "one_synthetic": _store(folder / "one.sqlite", SYNTHETIC)}


@dataclass
class Seen:
    tables: list[pd.DataFrame] = field(default_factory=list)
    downloads: list[pd.DataFrame] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def flag_columns(self, df: pd.DataFrame) -> list[str]:
        """Flag columns by their header (tables and downloads) or field name (tables with a column_config)."""
        return [c for c in df.columns if (str(c).startswith("Illustrative") and c != "Illustrative share")
                or c in ("illustrative", "synthetic")]

    def flagged_rows(self, df: pd.DataFrame) -> int:
        cols = self.flag_columns(df)
        return int(df[cols].fillna(False).astype(bool).any(axis=1).sum()) if cols else 0

    def markers(self) -> list[str]:
        return [m for m in MARKERS for text in self.texts if m in text]


@pytest.fixture()
def walk(monkeypatch: pytest.MonkeyPatch, stores: dict[str, str]) -> Iterator:
    import ui.context
    import ui.downloads

    captured: list[pd.DataFrame] = []
    real_csv = ui.downloads.to_csv_bytes

    def csv_spy(df: pd.DataFrame, *lang: str) -> bytes:
        captured.append(df.copy())
        return real_csv(df, *lang)

    monkeypatch.setattr(ui.downloads, "to_csv_bytes", csv_spy)
    # Downloads are built when clicked (deferred); AppTest cannot click through, so build them at once here.
    monkeypatch.setattr(ui.downloads, "deferred", lambda build, *args: build(*args))
    monkeypatch.delenv("DENSAULYQ_CONFIG", raising=False)
    monkeypatch.delenv("DENSAULYQ_LANGUAGE", raising=False)

    def run(store: str, mode: str, page: str, query: dict[str, str]) -> Seen:
        monkeypatch.setenv("DATABASE_URL", stores[store])
        if os.environ.get("DENSAULYQ_MODE") != mode:  # the read policy is a cached resource of the mode
            streamlit.cache_resource.clear()
        monkeypatch.setenv("DENSAULYQ_MODE", mode)
        ui.context.settings.clear()
        captured.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        if mode == "internal":
            at.session_state["identity"] = Identity("vera", "viewer")
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page != "pages/overview.py":
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        seen = Seen(tables=[d.value for d in [*at.dataframe, *at.table]], downloads=list(captured))
        seen.texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [
            str(m.label) for m in at.metric] + [  # figures as text, non-ASCII kept (the JSON escapes "—" and "·")
            json.dumps(figure, ensure_ascii=False) for figure in page_figures(at)]
        return seen

    yield run
    ui.context.settings.clear()
    streamlit.cache_resource.clear()


CASES = [pytest.param(mode, page, query, id=f"{mode}-{page.split('/')[1][:-3]}-{n}")
         for page, queries in STATES.items() for n, query in enumerate(queries)
         for mode in ("public", "internal") if mode == "public" or (page, n) in INTERNAL]


@pytest.mark.parametrize(("mode", "page", "query"), CASES)
def test_an_all_real_store_flags_nothing_anywhere(walk, mode: str, page: str, query: dict[str, str]) -> None:
    seen = walk("all_real", mode, page, query)
    assert not seen.markers(), seen.markers()
    for df in [*seen.tables, *seen.downloads]:
        assert seen.flagged_rows(df) == 0, df.columns.tolist()
    if page not in ("pages/overview.py", "pages/compare.py"):  # pages with tables of numbers keep the flag column
        assert any(seen.flag_columns(df) for df in [*seen.tables, *seen.downloads]), page


def _one(walk, mode: str, page: str, query: dict[str, str] | None = None) -> Seen:
    return walk("one_synthetic", mode, page, query or {})


def test_one_synthetic_input_flags_each_derived_kind_and_nothing_else(walk) -> None:
    mode = "public"
    # Map: exactly the synthetic row, in the table and in its download; its trend reads as illustrative.
    seen = _one(walk, mode, "pages/regional_map.py", BREAST)
    table = seen.tables[0]
    assert seen.flagged_rows(table) == 1
    assert table.loc[table["Code"] == "KZ-11", seen.flag_columns(table)].to_numpy().all()
    assert "demonstrates the method" in table.set_index("Code").loc["KZ-11", "Recent change"]
    assert not table.set_index("Code").drop(index="KZ-11")["Recent change"].str.contains("method").any()
    assert [seen.flagged_rows(d) for d in seen.downloads] == [1]
    # Verdicts: only Akmola's is illustrative (the national value is real).
    seen = _one(walk, mode, "pages/regional_map.py", {**BREAST, "mapmode": "benchmark"})
    verdicts = seen.tables[0].set_index("Code")["Compared with Kazakhstan"]
    assert verdicts["KZ-11"] == "Illustrative — demonstrates the method"
    assert not verdicts.drop(index="KZ-11").str.contains("Illustrative").any()
    # Profile of another region: its rank on that indicator is among an illustrative peer; other rows are not.
    seen = _one(walk, mode, "pages/region_profile.py", {"region": "KZ-39"})
    rows = pd.concat(seen.tables[:4], ignore_index=True)  # the four domain tables; "[n]": the source's note
    rows = rows.set_index(rows["Indicator"].str.replace(r" \[\d+\]$", "", regex=True))
    assert rows.loc["Breast cancer screening coverage", "Illustrative"] == "✓"  # its rank is among illustrative peers
    assert not rows.drop(index="Breast cancer screening coverage")["Illustrative"].astype(bool).any()
    # Spine chart of Akmola: its verdict reads as illustrative.
    seen = _one(walk, mode, "pages/region_profile.py", {"region": "KZ-11"})
    assert any("Illustrative — demonstrates the method" in text for text in seen.texts)
    # Compare: the ranking says it includes an illustrative value.
    seen = _one(walk, mode, "pages/compare.py", {**BREAST, "regions": "KZ-11"})
    assert any("This ranking includes illustrative values" in text for text in seen.texts)
    # Funnel: one illustrative point.
    seen = _one(walk, mode, "pages/funnel.py")
    assert seen.flagged_rows(seen.tables[0]) == 1
    # Resilience: every region is scaled against Akmola; only Akmola's own index rests on it by weight.
    seen = _one(walk, mode, "pages/resilience_index.py")
    assert any(text.startswith(":material/science: Every row of this table is illustrative") for text in seen.texts)
    ranking = seen.downloads[0].set_index("Code")
    assert seen.flagged_rows(seen.downloads[0]) == len(ranking) == 20
    assert ranking.loc["KZ-11", "Illustrative share"] > 0
    assert (ranking.drop(index="KZ-11")["Illustrative share"] == 0).all()
    # The internal instance flags the same way.
    seen = _one(walk, "internal", "pages/regional_map.py", BREAST)
    assert seen.flagged_rows(seen.tables[0]) == 1 and [seen.flagged_rows(d) for d in seen.downloads] == [1]
    # Pages that do not rest on it flag nothing.
    for page in ("pages/overview.py", "pages/capacity_gaps.py"):
        seen = _one(walk, mode, page)
        assert not seen.markers(), (page, seen.markers())
        assert all(seen.flagged_rows(df) == 0 for df in [*seen.tables, *seen.downloads]), page
