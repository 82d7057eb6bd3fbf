"""Throughput of the read-model routes: ``python bench/serving.py [--url /embed/map?...] [--url /view/map?...]``.

Starts the app (``bench.live_server.Server``, public mode, a private seeded store) and a static-file server
(Starlette ``StaticFiles`` under uvicorn, one process, serving the route's own body as a file), then drives each
with ``wrk`` (50 connections, 2 threads; ``apt-get install -y wrk``) and prints, per URL:

* ``rps_200`` (no ``If-None-Match``, gzip accepted) and ``rps_304`` (a matching ``If-None-Match``), with the
  targets ≥ 200 and ≥ 500 requests/s per process;
* ``ms_cpu_200`` / ``ms_cpu_304``: the app process's CPU per request (from /proc) and their ratio (target ≤ 0.3);
* ``static_rps`` and ``ratio_to_static`` for both (the static server on the same machine, in the same run);
* after ``blow_up`` (the store's observations copied 9 times into earlier years: a 10× store), ``rps_200_10x`` and
  ``rps_304_10x`` and their ratios to the seeded store (target ≥ 0.8).

The machine's load average is printed with every figure: the cores are shared, and wrk itself takes CPU.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.live_server import Server, bench_env, proc_cpu_s  # noqa: E402

DEFAULT_URLS = ["/embed/map?indicator=physicians_per_10k"]
CONNECTIONS, THREADS = 50, 2
TARGETS = {"rps_200": 200.0, "rps_304": 500.0, "cost_ratio": 0.3, "store_10x": 0.8}


def load() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def wrk(url: str, seconds: float, headers: dict[str, str]) -> tuple[float, int, int]:
    """(requests/s, requests, non-2xx/3xx responses) from one ``wrk`` run."""
    cmd = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "10s"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    total = int(re.search(r"(\d+) requests in", out)[1])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, total, int(bad[1]) if bad else 0


def measured(pid: int, url: str, seconds: float, headers: dict[str, str]) -> tuple[float, float]:
    """(requests/s, server CPU ms per request) of one wrk run against the process ``pid``."""
    before = proc_cpu_s(pid)
    rps, total, bad = wrk(url, seconds, headers)
    cpu = proc_cpu_s(pid) - before
    if bad:
        raise RuntimeError(f"{url}: {bad} of {total} responses were errors")
    return rps, 1000 * cpu / max(1, total)


class StaticServer:
    """uvicorn + Starlette ``StaticFiles`` over ``folder`` on ``port`` (the baseline)."""

    def __init__(self, folder: Path, port: int) -> None:
        code = ("import sys, uvicorn; from starlette.applications import Starlette; "
                "from starlette.staticfiles import StaticFiles; from starlette.routing import Mount; "
                "app = Starlette(routes=[Mount('/', StaticFiles(directory=sys.argv[1]))]); "
                "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='error')")
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(folder), str(port)])
        self.port = port
        for _unused in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def blow_up(url: str, factor: int = 10) -> int:
    """Copy every observation ``factor - 1`` times under indicator ids the catalogue does not know
    (``<id>__copy<k>``: never shown, never asked for; a period outside 1900–2099 would not do, the read model
    refuses it): a store ``factor`` times as large in every table scan and index, the served rows unchanged. Returns
    the number of rows afterwards. A bench helper writing through SQL directly (no revision history: nothing here
    is a product write)."""
    from sqlalchemy import func, select, text

    from data_sources.seed import open_store
    from store.schema import observations

    engine = open_store(url)
    cols = [c.name for c in observations.columns if c.name not in ("id", "indicator_id")]
    names = ", ".join(cols)
    with engine.begin() as conn:
        for k in range(1, factor):
            conn.execute(text(f"INSERT INTO observations (indicator_id, {names}) SELECT indicator_id || :suffix, "
                              f"{names} FROM observations WHERE indicator_id NOT LIKE '%\\_\\_copy%' ESCAPE '\\'"),
                         {"suffix": f"__copy{k}"})
        return int(conn.execute(select(func.count()).select_from(observations)).scalar())


def build_cost(pid: int, base: str, path: str, count: int = 60) -> float:
    """Server CPU ms of a ``200`` whose body is not built yet: up to ``count`` distinct requests of the route (its
    ``indicator`` varied over the catalogue's regional indicators, and ``lang``), each asked once, one at a time."""
    from catalogue import load_catalogue
    from core.config import LANGUAGES

    route, _sep, query = path.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if p)
    catalogue = load_catalogue()
    indicators = [i for i in catalogue if catalogue[i].is_regional] if "indicator" in params else [""]
    urls = []
    for indicator in indicators:
        for lang in LANGUAGES:
            varied = {**params, "lang": lang} | ({"indicator": indicator} if indicator else {})
            urls.append(f"{base}{route}?" + "&".join(f"{k}={v}" for k, v in varied.items()))
    with httpx.Client(headers={"Accept-Encoding": "gzip"}, timeout=60) as client:
        before = proc_cpu_s(pid)
        for url in urls[:count]:
            client.get(url)  # an indicator without regional data answers 404 after the same lookups: counted too
        return 1000 * (proc_cpu_s(pid) - before) / max(1, len(urls[:count]))


def run_url(server: Server, base: str, path: str, seconds: float, static_base: str, folder: Path, store_url: str,
            suffix: str = "") -> dict[str, float]:
    gz = {"Accept-Encoding": "gzip"}
    first = httpx.get(base + path, headers=gz)
    first.raise_for_status()
    etag = first.headers["etag"]
    name = f"body{abs(hash(path))}.html"
    (folder / name).write_bytes(gzip.compress(first.content, compresslevel=6, mtime=0))  # as many bytes as the app
    pid = server.proc.pid
    out: dict[str, float] = {}
    out["rps_200"], out["ms_cpu_200"] = measured(pid, base + path, seconds, gz)
    out["rps_304"], out["ms_cpu_304"] = measured(pid, base + path, seconds, gz | {"If-None-Match": etag})
    out["ms_cpu_200_build"] = build_cost(pid, base, path)
    if not suffix:
        static = httpx.get(f"{static_base}/{name}")
        out["static_rps_200"] = wrk(f"{static_base}/{name}", seconds, gz)[0]
        out["static_rps_304"] = wrk(f"{static_base}/{name}", seconds, gz | {"If-None-Match": static.headers["etag"]})[0]
    for key, value in out.items():
        print(f"{key}{suffix}={value:.2f} url={path} load={load()}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="a path of the app (repeat); default: /embed/map")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--factor", type=int, default=10, help="how many times the store is blown up")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found (apt-get install -y wrk)")
    paths = args.url or DEFAULT_URLS
    with tempfile.TemporaryDirectory(prefix="densaulyq-serving-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        folder = Path(tmp) / "static"
        folder.mkdir()
        static = StaticServer(folder, args.port + 1)
        results: dict[str, dict[str, float]] = {}
        try:
            server = Server(args.port, bench_env(url), [])
            try:
                server.wait_ready()
                server.wait_idle()
                base = f"http://127.0.0.1:{args.port}"
                for path in paths:
                    results[path] = run_url(server, base, path, args.seconds, f"http://127.0.0.1:{static.port}",
                                            folder, url)
            finally:
                server.stop()
            rows = blow_up(url, args.factor)
            print(f"store_rows_{args.factor}x={rows}", flush=True)
            server = Server(args.port, bench_env(url), [])
            try:
                server.wait_ready()
                server.wait_idle()
                for path in paths:
                    results[path] |= {f"{k}_{args.factor}x": v for k, v in run_url(
                        server, base, path, args.seconds, "", folder, url, f"_{args.factor}x").items()}
            finally:
                server.stop()
        finally:
            static.stop()
    for path, r in results.items():
        x = f"_{args.factor}x"
        print(f"--- {path}")
        print(f"rps_200={r['rps_200']:.0f} (target >= {TARGETS['rps_200']:g}) rps_304={r['rps_304']:.0f} "
              f"(target >= {TARGETS['rps_304']:g})")
        print(f"ratio_to_static_200={r['rps_200'] / r['static_rps_200']:.2f} "
              f"ratio_to_static_304={r['rps_304'] / r['static_rps_304']:.2f}")
        print(f"cost_304_to_200_built={r['ms_cpu_304'] / r['ms_cpu_200_build']:.2f} (target <= "
              f"{TARGETS['cost_ratio']:g}); cost_304_to_200_from_body_cache={r['ms_cpu_304'] / r['ms_cpu_200']:.2f}")
        print(f"store{x}_ratio_200={r['rps_200' + x] / r['rps_200']:.2f} store{x}_ratio_304="
              f"{r['rps_304' + x] / r['rps_304']:.2f} (target >= {TARGETS['store_10x']:g})")


if __name__ == "__main__":
    main()
