"""Readers served per second: the embeddable map and the API against a Streamlit session drawing the same map.

``python bench/embed.py [--clients 50] [--seconds 8] [--sessions 6]``

Starts one fresh server of the real app (``streamlit run dashboard.py``, public mode, a private SQLite store) on a
free loopback port, then, on that same server:
1. ``/embed/map`` and ``/api/v1/observations`` (same indicator and period): ``--clients`` concurrent httpx/asyncio
   clients for ``--seconds`` each (bounded by time and by ``--max-requests``), printing requests/s, p50 and p95;
   plus the same for ``/embed/map`` revalidated with ``If-None-Match`` (what a CDN in front sends: 304).
2. The same map drawn by a Streamlit session in headless Chromium: the time from opening ``/map?...`` to the
   map drawn (median of 3 sequential sessions), and ``--sessions`` sessions opened at once (sessions/s).
3. The embed drawn in Chromium (median of 3), for the reader's side of the comparison.
Prints ``readers_per_s_ratio``: embed requests/s over Streamlit sessions/s. Loopback only; needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, MAP_READY_JS  # noqa: E402

INDICATOR, PERIOD = "life_expectancy_years", "2022"
QUERY = f"indicator={INDICATOR}&period={PERIOD}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store_dir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{store_dir / 'store.sqlite'}", "DENSAULYQ_MODE": "public"}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not start within 120 s")


async def load(url: str, clients: int, seconds: float, max_requests: int, headers: dict[str, str] | None = None
               ) -> dict[str, float]:
    """``clients`` loops requesting ``url`` until the time or request budget is spent; latencies in ms."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60.0) as client:
        async def reader() -> None:
            while time.perf_counter() < stop_at and len(latencies) < max_requests:
                start = time.perf_counter()
                reply = await client.get(url, headers=headers)
                latencies.append((time.perf_counter() - start) * 1000)
                statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(reader() for _unused in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": statistics.median(latencies),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))], "statuses": statuses}


def _draw_times(browser, url: str, count: int, concurrent: bool) -> tuple[list[float], float]:
    """Seconds from opening ``url`` in a new browser context to the map drawn; with ``concurrent`` all at once."""
    contexts = [browser.new_context(viewport={"width": 1366, "height": 800}) for _unused in range(count)]
    pages = [c.new_page() for c in contexts]
    times: list[float] = []
    began = time.perf_counter()
    try:
        if concurrent:
            for page in pages:
                page.goto(url, wait_until="commit")
            for page in pages:
                page.wait_for_function(MAP_READY_JS, timeout=180_000, polling=100)
                times.append(time.perf_counter() - began)
        else:
            for page in pages:
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_function(MAP_READY_JS, timeout=180_000, polling=100)
                times.append(time.perf_counter() - start)
    finally:
        for c in contexts:
            c.close()
    return times, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--sessions", type=int, default=6, help="Streamlit sessions opened at once")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(Path(tmp))
        try:
            print(f"server={base} cpus={os.cpu_count()} clients={args.clients} seconds={args.seconds}")
            urllib.request.urlopen(f"{base}/embed/map?{QUERY}").read()  # build once (figure, geometry)
            embed = asyncio.run(load(f"{base}/embed/map?{QUERY}", args.clients, args.seconds, args.max_requests))
            api = asyncio.run(load(f"{base}/api/v1/observations?{QUERY}", args.clients, args.seconds,
                                   args.max_requests))
            etag = httpx.get(f"{base}/embed/map?{QUERY}").headers["etag"]
            revalidate = asyncio.run(load(f"{base}/embed/map?{QUERY}", args.clients, args.seconds,
                                          args.max_requests, {"If-None-Match": etag}))
            for name, r in (("embed_map", embed), ("api_observations", api), ("embed_map_304", revalidate)):
                print(f"{name} requests={r['requests']} rps={r['rps']:.0f} p50_ms={r['p50_ms']:.1f} "
                      f"p95_ms={r['p95_ms']:.1f} statuses={r['statuses']}")

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                _draw_times(browser, f"{base}/map?{QUERY}", 1, concurrent=False)  # warm the server's caches
                sequential, _unused = _draw_times(browser, f"{base}/map?{QUERY}", 3, concurrent=False)
                _unused, together = _draw_times(browser, f"{base}/map?{QUERY}", args.sessions, concurrent=True)
                embed_draw, _unused = _draw_times(browser, f"{base}/embed/map?{QUERY}", 3, concurrent=False)
                browser.close()
            session_s = statistics.median(sequential)
            sessions_per_s = args.sessions / together
            print(f"streamlit_session_map_s={session_s:.2f} (median of 3, open to map drawn)")
            print(f"streamlit_sessions_at_once={args.sessions} all_drawn_s={together:.2f} "
                  f"sessions_per_s={sessions_per_s:.2f}")
            print(f"embed_map_drawn_in_browser_s={statistics.median(embed_draw):.2f} (median of 3)")
            print(f"readers_per_s_ratio={embed['rps'] / sessions_per_s:.0f} "
                  f"(embed requests/s {embed['rps']:.0f} / Streamlit sessions/s {sessions_per_s:.2f})")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
