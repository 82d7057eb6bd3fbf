"""Densaulyq — healthcare resilience in Kazakhstan, region by region. Entry point: ``streamlit run dashboard.py``.

This one file has two roles:

* ``streamlit run dashboard.py`` finds the ``app = st.App(...)`` below, imports this module once at server start
  (``__name__ == "dashboard"``) and serves the ASGI app: Starlette routes (``/healthz``, …) and middleware
  (security headers, closed internal endpoints) around Streamlit.
* For every browser session, Streamlit runs this same file as its script (``__name__ == "__main__"``): the router.

The module-level code of the first role runs before any session, which is what makes a deep link work on a fresh
server: a ``pages/`` folder beside the entry script would otherwise put the server into Streamlit's legacy
multipage mode until the first session had run ``st.navigation``.
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":  # a session's script run
    from ui.router import run_router

    run_router()
else:  # imported once by `streamlit run` (or an ASGI server: `uvicorn dashboard:app`)
    from core.config import load_settings
    from server.app import app_lifespan, app_middleware, app_routes
    from server.uvicorn_compat import patch_uvicorn, patch_websocket_compression
    from ui.nav import instance_addresses, page_addresses
    from ui.streamlit_compat import disable_pages_directory_mode, keep_scripts_compiled_while_quiet

    disable_pages_directory_mode()  # the pages/ folder is ours, not Streamlit's legacy multipage mode
    keep_scripts_compiled_while_quiet()  # no recompiling of every script after the last reader leaves
    patch_uvicorn()  # TCP_NODELAY on the listening socket: no 40 ms stall per small response (server/uvicorn_compat.py)
    patch_websocket_compression()  # zlib level 4 on the websocket: less than half the CPU of level 6, 8 % more bytes
    middleware = app_middleware(page_addresses(), instance_addresses(load_settings()))
    app = st.App(__file__, routes=app_routes(), middleware=middleware, lifespan=app_lifespan)
