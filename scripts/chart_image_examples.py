"""Renew the example chart images in ``docs/``: ``python scripts/chart_image_examples.py``.

The map (life expectancy, published figures) and the compare ranking of an illustrative indicator (breast cancer
screening coverage, with its badge), in English and Kazakh, made exactly as the download buttons make them
(``charts.image`` + ``charts.render``), from a fresh store seeded with the embedded data.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalogue import load_catalogue  # noqa: E402
from charts.choropleth import choropleth_figure, map_frame  # noqa: E402
from charts.compare import ranking_bar  # noqa: E402
from charts.image import image_meta, with_caption  # noqa: E402
from charts.render import render  # noqa: E402
from core.i18n import translate  # noqa: E402
from data_sources.seed import init_store  # noqa: E402
from geo import REGION_CODES, map_geojson, region_name  # noqa: E402
from store import all_sources, make_engine, observations_for, periods_for, with_sources  # noqa: E402


def main() -> None:
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        engine = init_store(make_engine(f"sqlite:///{Path(tmp) / 'store.sqlite'}"))
        for lang in ("en", "kk"):
            def tr(msgid: str, _lang: str = lang, **values: object) -> str:
                return translate(msgid, _lang, **values)

            names = {c: region_name(c, lang) for c in REGION_CODES}
            suffix = "" if lang == "en" else f"-{lang}"
            for name, indicator_id in (("map", "life_expectancy_years"),
                                       ("ranking", "breast_cancer_screening_coverage_pct")):
                indicator = catalogue[indicator_id]
                period = periods_for(engine, indicator_id, regional_only=True)[-1]
                obs = with_sources(observations_for(engine, indicator_id, period), all_sources(engine))
                if name == "map":
                    frame = map_frame(obs, names)
                    fig = choropleth_figure(frame, map_geojson(), indicator, period, lang, tr)
                    rows = frame[frame["value"].notna()]
                else:
                    fig, rows = ranking_bar(obs, indicator, names, lang, tr), obs
                meta = image_meta(indicator.label(lang), period, rows, lang=lang)
                out = ROOT / "docs" / f"chart-image-{name}{suffix}.png"
                out.write_bytes(render(with_caption(fig, meta, tr, lang), "png"))
                print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
