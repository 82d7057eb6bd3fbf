"""Lighthouse (mobile, its default profile) over the reader's views: ``python bench/lighthouse.py``.

Needs Node 20 and the pinned Lighthouse (``npm ci --prefix bench``: ``bench/package.json``, 12.2.3; not installed by
CI) and Debian Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``). Starts the app (``bench.live_server``,
public mode, a private store), then runs Lighthouse ``--runs`` times over every URL, interleaved (URL 1, 2, 3, 4,
then again), and prints for each the median of: performance score, first contentful paint, largest contentful
paint, total blocking time, accessibility score and bytes transferred; then the dashboard's LCP as a ratio to
``/view/map``'s. A URL the server does not serve (a 404: the views before they exist) is reported as such and left
out. Targets (issue 22): a ``/view/*`` page performance ≥ 90, LCP ≤ 2.5 s, accessibility 100, ≤ 1 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.live_server import Server, bench_env  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
URLS = ["/view/map", "/view/region/KZ-75", "/embed/map", "/map"]
FIGURES = ("performance", "fcp_s", "lcp_s", "tbt_ms", "accessibility", "kb")


def lighthouse(url: str, timeout_s: float = 300) -> dict[str, float]:
    """One Lighthouse run (mobile profile, performance and accessibility); the figures this bench prints."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    cmd = ["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
           "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout_s, check=True).stdout
    report = json.loads(out)
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError'].get('message')}")
    audits, cats = report["audits"], report["categories"]
    return {"performance": 100 * (cats["performance"]["score"] or 0),
            "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "accessibility": 100 * (cats["accessibility"]["score"] or 0),
            "kb": audits["total-byte-weight"]["numericValue"] / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="a path of the app (repeat); default: the four views")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8831)
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: npm ci --prefix bench")
    paths = args.url or URLS
    with tempfile.TemporaryDirectory(prefix="densaulyq-lighthouse-") as tmp:
        server = Server(args.port, bench_env(f"sqlite:///{Path(tmp) / 'store.sqlite'}"), [])
        try:
            server.wait_ready()
            server.wait_idle()
            base = f"http://127.0.0.1:{args.port}"
            served = []
            for path in paths:
                status = httpx.get(base + path, timeout=60).status_code  # also warms the page's caches
                if status == 404:
                    print(f"{path}: 404, not served by this server (left out)", flush=True)
                else:
                    served.append(path)
            runs: dict[str, list[dict[str, float]]] = {p: [] for p in served}
            for i in range(args.runs):
                for path in served:  # interleaved: a slow moment of the machine hits every URL alike
                    runs[path].append(lighthouse(base + path))
                    print(f"run {i + 1} {path}: " + " ".join(f"{k}={v:.1f}" for k, v in runs[path][-1].items())
                          + f" load={'/'.join(f'{v:.1f}' for v in os.getloadavg())}", flush=True)
        finally:
            server.stop()
    medians = {p: {k: statistics.median(r[k] for r in rs) for k in FIGURES} for p, rs in runs.items()}
    print(f"--- median of {args.runs} (Lighthouse 12.2.3, mobile)")
    for path, m in medians.items():
        print(f"{path}: performance={m['performance']:.0f} fcp_s={m['fcp_s']:.2f} lcp_s={m['lcp_s']:.2f} "
              f"tbt_ms={m['tbt_ms']:.0f} accessibility={m['accessibility']:.0f} kb={m['kb']:.0f}")
    if "/map" in medians and "/view/map" in medians:
        print(f"lcp_ratio_dashboard_to_view_map={medians['/map']['lcp_s'] / medians['/view/map']['lcp_s']:.1f}")
    else:
        print("lcp_ratio_dashboard_to_view_map=n/a (needs /map and /view/map in one run)")


if __name__ == "__main__":
    main()
