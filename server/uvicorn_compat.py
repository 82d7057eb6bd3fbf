"""Uvicorn's private internals, in one place: ``TCP_NODELAY`` on the server's listening socket (small responses
without the 40 ms stall), and the websocket's compression level (``patch_websocket_compression`` below).

Streamlit binds the listening socket itself (``socket.socket(family)``, protocol number 0) and hands it to
``uvicorn.Server.run(sockets=…)``, and asyncio only turns Nagle's algorithm off for sockets whose protocol number is
``IPPROTO_TCP``. Uvicorn writes a response's head and
body as two writes, so on a kept-alive connection the body of every small response waited for the client's delayed
ACK: ≈ 44 ms per static file, about 60 of them on a first visit (measured with ``bench/load.py``). Accepted
connections inherit the option from the listening socket on Linux and the BSDs.

Private uvicorn internals used here (``ui/streamlit_compat.py`` holds Streamlit's and pandas'; ``server`` may
not import ``ui``, so each layer has its own compat module): ``uvicorn.server.Server.startup(self, sockets=None)``
is wrapped (and the websocket's deflate factory replaced, below). For the socket, stands in for: nothing public;
uvicorn's ``Config`` has no socket option, and Streamlit creates the socket and the ``Server`` itself, so neither
``uvicorn.run`` nor a custom socket can be passed.
``tests/project/test_streamlit_compat.py`` checks the signature on every upgrade.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any


def set_nodelay(sock: socket.socket) -> socket.socket:
    """Turn Nagle's algorithm off on a TCP socket (any other socket is returned unchanged)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        with contextlib.suppress(OSError):  # not supported here: the server works, only slower on small responses
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def with_nodelay(startup: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Wrap ``uvicorn.Server.startup(self, sockets=None)`` so that the sockets it serves have ``TCP_NODELAY``
    (the app module is imported before ``startup`` runs, so patching at import time is early enough)."""
    if getattr(startup, "densaulyq_nodelay", False):
        return startup

    @wraps(startup)
    async def wrapped(self: Any, sockets: list[socket.socket] | None = None, *args: Any, **kwargs: Any) -> None:
        for sock in sockets or ():
            set_nodelay(sock)
        await startup(self, sockets, *args, **kwargs)

    wrapped.densaulyq_nodelay = True  # type: ignore[attr-defined]
    return wrapped


def patch_uvicorn() -> bool:
    """Give every socket uvicorn serves ``TCP_NODELAY``; False when uvicorn is not importable."""
    try:
        from uvicorn.server import Server
    except ImportError:
        return False
    Server.startup = with_nodelay(Server.startup)  # type: ignore[method-assign]
    return True


WEBSOCKET_COMPRESSION_LEVEL = 4  # zlib level of permessage-deflate (uvicorn leaves zlib's default, 6)


def with_compression_level(factory: type, level: int) -> type:
    """A subclass of websockets' ``ServerPerMessageDeflateFactory`` whose ``compress_settings`` carry ``level``."""
    if getattr(factory, "densaulyq_level", None) is not None:
        factory = factory.__mro__[1]

    class LeveledFactory(factory):  # type: ignore[misc, valid-type]
        densaulyq_level = level

        def __init__(self, *args: Any, compress_settings: dict[str, Any] | None = None, **kwargs: Any) -> None:
            super().__init__(*args, compress_settings={**(compress_settings or {}), "level": level}, **kwargs)

    LeveledFactory.__name__ = LeveledFactory.__qualname__ = factory.__name__
    return LeveledFactory


def patch_websocket_compression(level: int = WEBSOCKET_COMPRESSION_LEVEL) -> bool:
    """Compress the websocket at zlib level ``level`` instead of 6: a new map session's first run (~180 KB, most of
    it the map figure's JSON) took ~5 ms of server CPU to deflate at level 6 and ~2 ms at level 4, for 8 % more bytes
    on the wire (46 → 50 KB for the figure). Internal, replaced: the name ``ServerPerMessageDeflateFactory`` in
    ``uvicorn.protocols.websockets.websockets_sansio_impl`` (the websocket implementation Streamlit's server runs),
    which uvicorn constructs with ``compress_settings={"memLevel": 5}`` and no level. Stands in for: nothing public
    (uvicorn's ``ws_per_message_deflate`` is on/off only). False when that module is not importable."""
    try:
        from uvicorn.protocols.websockets import websockets_sansio_impl as impl
    except ImportError:
        return False
    impl.ServerPerMessageDeflateFactory = with_compression_level(impl.ServerPerMessageDeflateFactory, level)
    return True
