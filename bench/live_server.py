"""The app under test for the benchmarks: ``streamlit run dashboard.py`` on a loopback port with its own store and
environment (``Server``), and what its process costs, read from /proc (``proc_cpu_s``, ``proc_rss_mb``).
Used by ``bench/load.py``, ``bench/pages.py`` and ``bench/browser_map.py``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# The checkout whose app is served (``BENCH_APP_ROOT``: measure another commit, e.g. a ``git archive`` of the base,
# with this checkout's clients); this one by default.
APP_ROOT = Path(os.environ.get("BENCH_APP_ROOT") or ROOT)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """``streamlit run dashboard.py`` on a loopback port, with its own environment; stopped by ``stop()``."""

    def __init__(self, port: int, env: dict[str, str], flags: list[str], app_root: Path | None = None) -> None:
        app_root = app_root or APP_ROOT
        cmd = [sys.executable, "-m", "streamlit", "run", str(app_root / "dashboard.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
        for flag in flags:
            key, value = flag.split("=", 1)
            cmd += [f"--{key}", value]
        self.port = port
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(cmd, cwd=app_root, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"server exited: {self.log.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/_stcore/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise TimeoutError("server did not start")

    def wait_idle(self, busy_below: float = 0.05, window_s: float = 1.0, timeout: float = 120) -> float:
        """Wait until the server's start-up work is over (the static files are gzipped once, in the background,
        after start): its CPU over ``window_s`` is below ``busy_below`` of one core. Returns the seconds waited."""
        start = time.time()
        while time.time() - start < timeout:
            before = proc_cpu_s(self.proc.pid)
            time.sleep(window_s)
            if proc_cpu_s(self.proc.pid) - before < busy_below * window_s:
                break
        return time.time() - start

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def bench_env(url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "DENSAULYQ_BENCH_EMPTY_PAGE": "1", "DENSAULYQ_MODE": "public"}
    env.pop("STREAMLIT_SERVER_PORT", None)
    return env
