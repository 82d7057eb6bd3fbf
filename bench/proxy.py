"""The deploy recipe's nginx (``deploy/nginx/densaulyq.conf``) in front of app servers on loopback: its
configuration rewritten for them (``nginx_conf``), started and stopped (``running_proxy``), and its processes
(``process_tree``). Used by ``bench/load.py --replicas`` and ``tests/project/test_deploy.py``."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def nginx_path() -> Path | None:
    """Debian's nginx, or None when it is not installed."""
    found = Path(shutil.which("nginx") or "/usr/sbin/nginx")
    return found if found.exists() else None


def replace_block(text: str, name: str, body: str) -> str:
    """Replace the lines between ``# @NAME-BEGIN@`` and ``# @NAME-END@`` of the deploy recipe's nginx file."""
    begin, end = f"# @{name}-BEGIN@", f"# @{name}-END@"
    head, rest = text.split(begin, 1)
    _unused, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def nginx_conf(workdir: Path, listen: int, ports: list[int]) -> Path:
    """The deploy recipe's nginx configuration with these replicas on loopback and a private prefix."""
    text = (ROOT / "deploy" / "nginx" / "densaulyq.conf").read_text()
    n = len(ports)
    text = replace_block(text, "UPSTREAMS", "\n".join(
        f"upstream replica{i} {{ server 127.0.0.1:{p}; keepalive 16; }}" for i, p in enumerate(ports)))
    text = replace_block(text, "SPLIT", "\n".join(
        [f"    {100 / n:.2f}% replica{i};" for i in range(n - 1)] + [f"    * replica{n - 1};"]))
    text = replace_block(text, "KNOWN", "\n".join(f"    replica{i} replica{i};" for i in range(n)))
    text = replace_block(text, "CACHE", f"proxy_cache_path {workdir}/bundle levels=1:2 keys_zone=densaulyq_bundle:10m "
                                        "max_size=256m inactive=30d use_temp_path=off;")
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{listen};")
    conf = workdir / "nginx.conf"
    workdir.chmod(0o755)  # nginx started as root runs its workers as nobody: they keep the bundle's cache in here
    conf.write_text(f"""pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
daemon off;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fcgi; uwsgi_temp_path {workdir}/uwsgi; scgi_temp_path {workdir}/scgi;
  types {{ text/html html; application/javascript js; text/css css; }}
{text}
}}
""")
    return conf


@contextmanager
def running_proxy(listen: int, ports: list[int], timeout_s: float = 10) -> Iterator[subprocess.Popen]:
    """nginx with the recipe's configuration on ``127.0.0.1:listen`` in front of ``ports``, answering (its
    ``/healthz`` passed through), stopped and its folder removed afterwards. The folder is made under the system's
    temporary folder, not a private one: nginx started as root runs its workers as nobody."""
    nginx = nginx_path()
    if nginx is None:
        raise FileNotFoundError("nginx not found (apt-get install -y nginx-light)")
    work = Path(tempfile.mkdtemp(prefix="densaulyq-nginx-"))
    proxy = subprocess.Popen([str(nginx), "-c", str(nginx_conf(work, listen, ports)), "-p", str(work)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{listen}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proxy.poll() is not None:
                    raise RuntimeError(f"nginx did not answer on port {listen}") from None
                time.sleep(0.1)
        yield proxy
    finally:
        proxy.send_signal(signal.SIGTERM)
        try:
            proxy.wait(10)
        except subprocess.TimeoutExpired:
            proxy.kill()
        shutil.rmtree(work, ignore_errors=True)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its child processes (nginx's master and its workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(c) for c in children.read_text().split())] if children.exists() else [pid]
