"""Server-side page run times and the size of the map GeoJSON: ``python bench/pages.py [--runs 5]``.

Prints one line per page registered in the current mode (``DENSAULYQ_MODE``), ``<page> cold_ms=<n> warm_ms=<n>``:
cold = the page's first run in a fresh process state (every Streamlit and in-process cache cleared; module imports
excluded), warm = a re-run of the same session with caches warm; each the median of ``--runs`` AppTest runs.
Then ``map_geojson_bytes=<n>`` (compact JSON sent to the browser) and ``map_geojson_ratio=<n>`` (vs the
full-resolution file, re-serialised compactly), and ``map_figure_bytes=<n>`` (the map page's whole Plotly
figure as sent to the browser, for comparison). Targets: warm < 150 ms per page; map GeoJSON < 200 KB.
Runs on a private copy of the store (a temp SQLite file) unless ``DATABASE_URL`` is set.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROJECT_PACKAGES = ("core", "geo", "catalogue", "store", "analytics", "charts", "kpi", "data_sources", "ui")


def clear_caches() -> None:
    """Forget everything a fresh server process would not have: Streamlit caches and our lru_caches."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in PROJECT_PACKAGES:
            continue
        for value in list(vars(module).values()):
            if callable(value) and hasattr(value, "cache_clear") and getattr(value, "__module__", "") == name:
                value.cache_clear()
    gc.collect()


def time_page(path: str, runs: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    def app_on(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.switch_page(page)
        return at

    def timed_run(at: AppTest) -> float:
        start = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - start) * 1000
        if at.exception:
            raise RuntimeError(f"{path} raised: {at.exception[0].message}")
        return elapsed

    cold, warm = [], []
    for _run in range(runs):
        clear_caches()
        at = app_on(path)
        cold.append(timed_run(at))
        warm.append(timed_run(at))
    return statistics.median(cold), statistics.median(warm)


def geojson_figures() -> tuple[int, float]:
    from core.config import load_settings
    from geo.boundaries import BOUNDARIES_FILE, geojson_bytes, map_geojson

    cfg = load_settings().section("map")
    simplified = map_geojson(float(cfg.get("simplify_tolerance", 0.01)), int(cfg.get("coordinate_precision", 3)))
    sent = geojson_bytes(simplified)
    full = geojson_bytes(json.loads(BOUNDARIES_FILE.read_text()))
    return sent, sent / full


def map_figure_bytes() -> int:
    """Bytes of the map page's Plotly figure as Streamlit sends it (GeoJSON of every trace included)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/regional_map.py")
    at.run()
    return len(at.get("plotly_chart")[0].proto.spec.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="densaulyq-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp.name) / 'store.sqlite'}")
    from streamlit import logger as streamlit_logger

    from core.config import load_settings
    from store import open_store
    from ui.nav import registered_specs

    streamlit_logger.set_log_level("error")  # AppTest's bare-mode warnings would drown the figures
    settings = load_settings()
    open_store(settings.database_url)  # seeding the store is a one-off first-start cost, not a page's
    for spec in registered_specs(settings):
        cold, warm = time_page(spec.path, args.runs)
        print(f"{spec.url_path} cold_ms={cold:.0f} warm_ms={warm:.0f}", flush=True)
    sent, ratio = geojson_figures()
    print(f"map_geojson_bytes={sent}")
    print(f"map_geojson_ratio={ratio:.3f}")
    print(f"map_figure_bytes={map_figure_bytes()}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
