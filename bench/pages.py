"""Server-side page run times and the size of the map GeoJSON: ``python bench/pages.py [--runs 5]``.

First, on a live server (``streamlit run dashboard.py``, production settings, private store): the server CPU of a
warm rerun of each page and its ratio to the empty page (``server <page> rerun_cpu_ms=<n> ratio=<r>``); targets
every page ≤ 10×, map and Overview ≤ 5×. Then, in-process with AppTest, one line per page registered in the
current mode (``DENSAULYQ_MODE``), ``<page> cold_ms=<n> warm_ms=<n> warm_ratio=<r>``: cold = the page's first
run in a fresh process state (every Streamlit and in-process cache cleared; module imports excluded), warm = a
re-run of the same session with caches warm; each the process CPU time (other load on the machine does not
count), median of ``--runs`` AppTest runs; ``warm_ratio`` = warm / the same for an empty page routed through
``dashboard.py`` (``bench/empty_page.py``). AppTest adds a constant cost per run, so its ratios read low.
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
        start = time.process_time()  # CPU of the whole process (the script thread included): robust to a busy box
        at.run()
        elapsed = (time.process_time() - start) * 1000
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
    from geo.boundaries import BOUNDARIES_FILE, geojson_bytes, map_geojson, map_simplification

    cfg = load_settings().section("map")
    simplified = map_geojson(*map_simplification(cfg))
    sent = geojson_bytes(simplified)
    full = geojson_bytes(json.loads(BOUNDARIES_FILE.read_text()))
    return sent, sent / full


def map_figure_bytes() -> int:
    """Bytes of the map page's Plotly figure as Streamlit sends it (GeoJSON of every trace included; the map
    component's payload: the figure with its config and texts)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/regional_map.py")
    at.run()
    return len(at.get("bidi_component")[0].proto.bytes)


def server_reruns(paths: list[str], reruns: int, aliases: dict[str, str], flags: list[str], port: int = 8781,
                  rounds: int = 3) -> dict[str, float]:
    """Server CPU ms per warm rerun of each page in a real ``streamlit run dashboard.py`` (production settings):
    one websocket session per page, a first run, then ``reruns`` reruns of the same page; CPU from /proc; the median
    of ``rounds`` interleaved rounds."""
    import asyncio
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    load = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = load  # its dataclasses need their module registered
    spec.loader.exec_module(load)
    server = load.Server(port, load.bench_env(os.environ["DATABASE_URL"]), flags)
    base = f"http://127.0.0.1:{port}"

    async def measure(path: str, reruns: int) -> float:
        page = aliases.get(path, path)  # the default page is served at "/"
        from websockets.asyncio.client import connect

        async with connect(base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                           origin=base, max_size=None) as ws:
            res = load.SessionResult(0.0)
            for _unused in range(2):  # first run, then one more so every cache of the page is warm
                await load.run_once(ws, load.rerun_msg(page, "", base), res, False)
            start = load.proc_cpu_s(server.proc.pid)
            for _unused in range(reruns):
                await load.run_once(ws, load.rerun_msg(page, "", base), res, False)
            if res.error:
                raise RuntimeError(f"{page}: {res.error}")
            return 1000 * (load.proc_cpu_s(server.proc.pid) - start) / reruns

    try:
        server.wait_ready()
        server.wait_idle()
        samples: dict[str, list[float]] = {path: [] for path in paths}
        for _round in range(rounds):  # interleaved rounds: a busy moment of the machine spreads over every page
            for path in paths:  # CPU from /proc counts in 10 ms ticks: the cheap empty page gets 5x the reruns
                samples[path].append(asyncio.run(measure(path, reruns * 5 if path == "bench-empty" else reruns)))
        return {path: statistics.median(values) for path, values in samples.items()}
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reruns", type=int, default=20, help="warm reruns per page on the live server")
    parser.add_argument("--server-only", action="store_true", help="only the live-server rerun ratios")
    parser.add_argument("--server-flag", action="append", default=[], help="a Streamlit option, key=value")
    args = parser.parse_args()

    os.environ["DENSAULYQ_BENCH_EMPTY_PAGE"] = "1"
    tmp = tempfile.TemporaryDirectory(prefix="densaulyq-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp.name) / 'store.sqlite'}")
    import logging

    from streamlit import logger as streamlit_logger

    from core.config import load_settings
    from data_sources.seed import open_store
    from ui.nav import registered_specs

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    streamlit_logger.set_log_level("error")  # AppTest's bare-mode warnings would drown the figures
    settings = load_settings()
    open_store(settings.database_url)  # seeding the store is a one-off first-start cost, not a page's
    specs = registered_specs(settings)
    targets = {"map": 5, "home": 5}
    cpu = server_reruns([s.url_path for s in specs], args.reruns, {s.url_path: "" for s in specs if s.default},
                        args.server_flag)
    print(f"server empty_page rerun_cpu_ms={cpu['bench-empty']:.1f}", flush=True)
    for spec in specs:
        if spec.url_path == "bench-empty":
            continue
        ratio = cpu[spec.url_path] / cpu["bench-empty"]
        target = targets.get(spec.url_path, 10)
        print(f"server {spec.url_path} rerun_cpu_ms={cpu[spec.url_path]:.1f} ratio={ratio:.1f} target<={target} "
              f"{'ok' if ratio <= target else 'OVER'}", flush=True)
    if args.server_only:
        return
    empty = next(s for s in specs if s.url_path == "bench-empty")
    _unused, empty_warm = time_page(empty.path, max(args.runs, 9))
    print(f"empty_page warm_ms={empty_warm:.1f}", flush=True)
    for spec in specs:
        if spec is empty:
            continue
        cold, warm = time_page(spec.path, args.runs)
        target = targets.get(spec.url_path, 10)
        print(f"{spec.url_path} cold_ms={cold:.0f} warm_ms={warm:.0f} warm_ratio={warm / empty_warm:.1f} "
              f"target<={target} {'ok' if warm / empty_warm <= target else 'OVER'}", flush=True)
    sent, ratio = geojson_figures()
    print(f"map_geojson_bytes={sent}")
    print(f"map_geojson_ratio={ratio:.3f}")
    print(f"map_figure_bytes={map_figure_bytes()}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
