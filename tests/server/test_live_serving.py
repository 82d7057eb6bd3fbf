"""What a reader's browser gets from a real server process (``streamlit run dashboard.py``): a compressed
websocket, the static bundle gzipped with the security headers, an embed revalidated with ``304``."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from tests.live_app import running_app


async def _websocket_extensions(url: str) -> list[str]:
    ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit"], origin=url, open_timeout=30) as ws:  # offers deflate
        return [value for key, value in ws.response.headers.raw_items()
                if key.lower() == "sec-websocket-extensions"]


def test_a_live_server_compresses_the_websocket_and_serves_the_bundle_and_embeds_cheaply(tmp_path: Path) -> None:
    with running_app(tmp_path) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert any("permessage-deflate" in value for value in asyncio.run(_websocket_extensions(url)))

        page = client.get("/map")
        bundle = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', page.text)[1]
        script = client.get(f"/{bundle}", headers={"Accept-Encoding": "gzip"})
        assert script.status_code == 200 and script.headers["content-encoding"] == "gzip"
        assert script.headers["x-frame-options"] == "DENY" and script.headers["x-content-type-options"] == "nosniff"
        assert script.headers["cache-control"] == "public, max-age=31536000, immutable"

        embed = client.get("/embed/map")
        assert embed.status_code == 200
        again = client.get("/embed/map", headers={"If-None-Match": embed.headers["etag"]})
        assert again.status_code == 304 and again.headers["etag"] == embed.headers["etag"]
        assert "x-frame-options" not in again.headers  # an embed may be framed, its revalidation too
