"""A fresh server start makes no outbound connection (issue 20 §16).

With ``server.headless = true`` Streamlit used to look up the machine's external address at every start
(``net_util.get_external_ip``: http(s)://checkip.amazonaws.com) and its internal one (a UDP "connect" to 8.8.8.8)
to print them: a request from a ministry server to the internet, against the README's "needs no network". The
shipped ``.streamlit/config.toml`` sets ``browser.serverAddress``, which makes Streamlit print that one address
instead. The server is started as the Dockerfile starts it (no ``--server.address`` on the command line: a
specific address there would skip the lookup and hide the defect) under an audit hook (``sys.addaudithook`` in a
``sitecustomize`` module) that records every name lookup and socket connect that is not to this machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.live_app import free_port, stop_process, write_config

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 120

AUDIT = '''
import ipaddress, os, sys
_LOG = os.environ["DENSAULYQ_NET_AUDIT_LOG"]

def _local(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in (None, "", "localhost", "localhost.localdomain"):
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified

def _record(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(what + "\\n")

def _hook(event, args):
    if event == "socket.getaddrinfo" and not _local(args[0]):
        _record(f"getaddrinfo {args[0]!r}")
    elif event == "socket.connect" and isinstance(args[1], tuple) and not _local(args[1][0]):
        _record(f"connect {args[1]!r}")

sys.addaudithook(_hook)
'''


def test_a_fresh_server_start_contacts_nothing_outside_this_machine(tmp_path: Path) -> None:
    hook_dir = tmp_path / "audit"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(AUDIT, encoding="utf-8")
    audit_log = tmp_path / "outbound.log"
    log_path = tmp_path / "streamlit.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook_dir), str(ROOT)]),
           "DENSAULYQ_NET_AUDIT_LOG": str(audit_log), "DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
           "DENSAULYQ_MODE": "public", "DENSAULYQ_CONFIG": str(write_config(tmp_path))}
    port = free_port()
    with open(log_path, "wb") as log:
        # As deploy/Dockerfile starts it: all interfaces, headless from the shipped .streamlit/config.toml.
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port",
                                 str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        # The start banner is printed after the addresses it shows were looked up.
        while "You can now view" not in log_path.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        time.sleep(1.0)
    finally:
        stop_process(proc)
    assert audit_log.parent.is_dir()
    outbound = audit_log.read_text(encoding="utf-8").splitlines() if audit_log.exists() else []
    banner = log_path.read_text(errors="replace")
    assert outbound == [], f"the server reached outside this machine at start: {outbound}\n{banner[-1500:]}"
    assert "External URL" not in banner
