"""Record what a real browser fetches for one visit of a page: ``python bench/record_browser_urls.py [--page map]``.

Starts the app (``bench.live_server.Server``, a private store), opens the page in headless Debian Chromium (a fresh
profile: nothing cached), waits until the page has drawn and the network is quiet, and writes every request to the
app's own origin (method and path, fonts and lazily loaded chunks included; the websocket is recorded as such) and
the number of HTTP connections the browser fetched them over (six: it keeps them for the requests that follow the
websocket) to ``bench/browser_urls_<page>.json``. ``bench/load.py`` replays that list for every reader, so its
figures are what a reader costs.

Content hashes are normalised: ``static/js/index.CpLk2wZP.js`` is stored as ``static/js/index.{hash}.js`` (and the
hash of the installed file is found again when the list is replayed, ``resolve``). After a Streamlit upgrade the
replay says which entries no longer resolve; record again then.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.live_server import Server, bench_env  # noqa: E402
from scripts.screenshot import MAP_READY_JS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
HASHED = re.compile(r"^(?P<stem>.+?)\.(?P<hash>[A-Za-z0-9_-]{8,})\.(?P<ext>js|css|woff2?|ttf|svg|png|map)$")
PRODUCT_HASHED = re.compile(r"^(?P<stem>.+?)-(?P<hash>[0-9a-f]{12})\.(?P<ext>min\.js|js|css|geojson)$")  # embed/assets
HASH = "{hash}"


def listed(page: str, checkout: Path = ROOT) -> Path:
    """The recording of ``page`` in ``checkout`` (this one by default; another for ``load.py --baseline``)."""
    return checkout / "bench" / f"browser_urls_{page}.json"


def normalise(path: str) -> str:
    """``static/js/index.CpLk2wZP.js`` → ``static/js/index.{hash}.js``; a path without a hash stays as it is."""
    folder, _sep, name = path.rpartition("/")
    product = PRODUCT_HASHED.match(name) if folder.startswith("embed/assets") else None
    if product:
        return f"{folder}/{product['stem']}-{HASH}.{product['ext']}"
    match = HASHED.match(name)
    if not match or not any(c.isdigit() or c.isupper() for c in match["hash"]):
        return path
    return f"{folder}/{match['stem']}.{HASH}.{match['ext']}" if folder else f"{match['stem']}.{HASH}.{match['ext']}"


def static_root() -> Path:
    from server.static_gzip import streamlit_static_root

    return streamlit_static_root()


def resolve(entry: dict[str, str], root: Path | None = None) -> str | None:
    """The path to request for a recorded entry: as recorded when the installed app still has that file (or the
    path has no hash), else the one installed file its normalised path names (a new hash of the same chunk), else
    None (the list needs recording again)."""
    path, recorded = entry["path"], entry.get("recorded", entry["path"])
    if HASH not in path:
        return path
    folder, _sep, name = path.rpartition("/")
    if folder.startswith("embed/assets"):  # the map bundle and the map's boundaries, named by their content
        from charts.map_geometry import geometry_asset
        from core.config import load_settings
        from geo import map_simplification
        from share.map_bundle import map_bundle_name

        boundaries = geometry_asset(*map_simplification(load_settings().section("map")))
        names = [map_bundle_name(), boundaries[0]]
        return next((f"{folder}/{n}" for n in names if normalise(f"{folder}/{n}") == path), None)
    root = root or static_root()
    if (root / recorded).is_file():
        return recorded
    found = [f for f in sorted((root / folder).glob(name.replace(HASH, "*")))
             if normalise(f"{folder}/{f.name}") == path]
    return f"{folder}/{found[0].name}" if len(found) == 1 else None


def record(base: str, page: str, settle_s: float) -> tuple[list[dict[str, str]], int]:
    """(every request to the app's origin, in order; how many HTTP connections the browser used for them)."""
    from playwright.sync_api import sync_playwright

    seen: list[dict[str, str]] = []
    connections: set[int] = set()  # the browser's connection ids of the responses from the network
    origin = urlsplit(base).netloc

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.netloc != origin:
            return
        path = parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
        seen.append({"method": request.method, "path": normalise(path), "recorded": path,
                     "kind": request.resource_type})

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            pg = context.new_page()
            cdp = context.new_cdp_session(pg)
            cdp.send("Network.enable")
            cdp.on("Network.responseReceived", lambda event: connections.add(int(event["response"].get(
                "connectionId") or 0)) if urlsplit(event["response"]["url"]).netloc == origin else None)
            pg.on("request", on_request)
            pg.on("websocket", lambda ws: seen.append({"method": "WS", "path": urlsplit(ws.url).path.lstrip("/"),
                                                       "recorded": urlsplit(ws.url).path.lstrip("/"),
                                                       "kind": "websocket"}))
            pg.goto(f"{base}/{page}", wait_until="networkidle", timeout=120_000)
            pg.wait_for_selector("[data-testid='stApp']", timeout=60_000)
            if page == "map":
                pg.wait_for_function(MAP_READY_JS, timeout=90_000, polling=250)  # the map has drawn its regions
            pg.wait_for_load_state("networkidle", timeout=60_000)
            time.sleep(settle_s)  # lazily loaded chunks and fonts after the last element arrived
        finally:
            browser.close()
    return seen, len(connections - {0})  # 0: answered without a connection (the memory cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="map")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--settle", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="densaulyq-record-") as tmp:
        env = bench_env(f"sqlite:///{Path(tmp) / 'store.sqlite'}")
        server = Server(args.port, env, [])
        try:
            server.wait_ready()
            server.wait_idle()
            requests, connections = record(f"http://127.0.0.1:{args.port}", args.page, args.settle)
        finally:
            server.stop()
    import streamlit

    out = {"page": args.page, "recorded_with": {"streamlit": streamlit.__version__, "browser": "Debian chromium"},
           "connections": connections, "requests": requests}
    listed(args.page).write_text(json.dumps(out, indent=1) + "\n")
    unresolved = [r["path"] for r in requests if r["method"] == "GET" and resolve(r) is None]
    print(f"requests={len(requests)} connections={connections} written={listed(args.page).relative_to(ROOT)} "
          f"unresolved={unresolved}")


if __name__ == "__main__":
    main()
