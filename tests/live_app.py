"""Shared by the browser tests: a fresh server of the real app (``streamlit run dashboard.py``) and Debian's Chromium.

``running_app(tmp, mode=...)`` starts a new server process on its own SQLite store and users file in ``tmp`` and
stops it afterwards; ``launch_chromium()`` is the one way the tests start the browser.
"""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 90_000  # a page's load, a chart's drawing, one step of a browser test
_handed_out: set[int] = set()


def _worker_index() -> int:
    """0 for a serial run, N for xdist's worker gwN (``pytest -n 2`` in .ci/run)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker[2:].isdigit() else 0


def free_port() -> int:
    """A free port below the OS's ephemeral range (which hands out the same port again after a close), never one this
    process already handed out (servers start in parallel) and, under xdist, never one another worker can take:
    worker gwN draws only ports with ``port % 16 == N % 16``."""
    lane = _worker_index() % 16
    draw = random.Random()
    for _unused in range(500):
        port = draw.randrange(20_000, 32_000) // 16 * 16 + lane
        if port in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port for the app under test")


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def write_config(tmp: Path, **auth: object) -> Path:
    """A copy of config.toml whose users file and secret key live in ``tmp`` (plus extra ``[auth]`` keys)."""
    tmp.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('users_file = "var/users.json"', f'users_file = "{tmp / "users.json"}"')
    text = text.replace('secret_key_file = "var/secret_key"', f'secret_key_file = "{tmp / "secret_key"}"')
    for key, value in auth.items():
        line = f"{key} = {value!r}".replace("'", '"')
        text, found = re.subn(rf"(?m)^{key} = .*$", line, text)
        if not found:
            text = text.replace("\n[auth.roles]\n", f"\n{line}\n\n[auth.roles]\n")
    path = tmp / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


class AppServer:
    """One fresh server process of the real app on its own store (and config, users file, secret) in ``tmp``."""

    def __init__(self, tmp: Path, mode: str = "public", env: Mapping[str, str] | None = None) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        config = tmp / "config.toml" if (tmp / "config.toml").exists() else write_config(tmp)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "streamlit.log"
        full_env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'store.sqlite'}", "DENSAULYQ_MODE": mode,
                    "DENSAULYQ_CONFIG": str(config), **(env or {})}
        full_env.pop("DENSAULYQ_SECRET_KEY", None)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> str:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _serving(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the app did not start on {self.url}:\n"
                            f"{self.log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        return self.url

    def stop(self) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen) -> None:
    """End a server process started by a test: terminate, wait up to 15 s, then kill."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def running_app(tmp: Path, mode: str = "public", env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A fresh server of the real app (``streamlit run dashboard.py``), ready, stopped afterwards."""
    server = AppServer(tmp, mode, env)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


@contextmanager
def launch_chromium(extra_args: tuple[str, ...] = ()) -> Iterator[object]:
    """Debian's headless Chromium through playwright; skipped on a workstation without it, a failure under CI.
    ``extra_args``: more command-line switches, e.g. ``--accept-lang=kk-KZ,kk`` for a browser set to Kazakh."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (Debian package `chromium`: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args],
                                         headless=True)
        try:
            yield browser
        finally:
            browser.close()
