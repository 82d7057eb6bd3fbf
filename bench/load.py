"""Load benchmark: new reader sessions per second a server sustains, and what one costs. ``python bench/load.py``.

Starts the app (``streamlit run dashboard.py``) on loopback with a private store, then plays readers the way a
browser arrives: GET the page (index.html), its scripts and styles, ``/_stcore/health`` and ``host-config``, then
open the websocket, ask for the page's first run and wait for ``script_finished``. No rendering. Every client is
bounded (time-out per session, fixed number of sessions, fixed duration per step) and stops by itself.

Prints (one ``key=value`` per line, figures first, then a summary):
* ``cpu_ms_per_session_<page>``: server CPU (user+system, from /proc) per new session, sessions one after the
  other on a quiet server, caches warm: the median of ``--rounds`` rounds of ``--per-round`` sessions, with the
  rounds' range (a shared host's speed drifts by a third within an hour); and ``cpu_ratio_<page>_to_empty`` against
  an empty page routed through the same ``dashboard.py`` (measured in the same run, interleaved, round by round);
  ``host_reference_ms``: a fixed piece of Python work timed in the client after every round, and the session's CPU
  as a ratio to it (compare runs on a shared host by that ratio);
* ``rate=<r>/s p50_s p95_s errors``: open-loop arrivals at r new sessions per second for ``--step-seconds``;
  ``sustained_sessions_per_s``: the highest rate whose p95 (arrival to ``script_finished``) is ≤ 2 s, no errors;
* ``mb_per_session``: server RSS growth per open session with ``--hold`` sessions held open at once;
* ``client_cpu_s``: the load client's own CPU (it shares the machine's cores with the server).

``--replicas 2`` runs two app processes on one PostgreSQL database (``DATABASE_URL`` or
``DENSAULYQ_TEST_PG_URL``) behind nginx on loopback (cookie stickiness, ``deploy/nginx/densaulyq.conf``), and
checks that every session's second run (a widget change) lands in the same server session (no state lost) and
that a write through one replica is seen by sessions on the other.
``--baseline DIR`` serves another checkout beside this one and measures both, round by round, with the ratio: on
a shared host whose speed drifts, the only comparison that holds. ``--server-flag`` passes a Streamlit option to the
servers (e.g. ``--server-flag server.fileWatcherType=auto``
to measure the development settings).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.live_server import Server, bench_env, proc_cpu_s, proc_rss_mb  # noqa: E402 - also load.<name>
from bench.proxy import nginx_path, process_tree, running_proxy  # noqa: E402
from bench.reader import REPLAY_CHECKOUTS, SessionResult, one_session, rerun_msg, run_once  # noqa: E402, F401

P95_TARGET_S = 2.0


async def sequential_cpu(base: str, pids: list[int], pages: list[str], rounds: int, per_round: int
                         ) -> dict[str, list[float]]:
    """Server CPU ms per session for each page, one figure per round (``per_round`` sessions one at a time), pages
    interleaved round by round."""
    per_session: dict[str, list[float]] = {p: [] for p in pages}
    for _unused in range(rounds):
        for page in pages:
            before = sum(proc_cpu_s(pid) for pid in pids)
            for _unused in range(per_round):
                res = await one_session(base, page)
                if res.error:
                    raise RuntimeError(f"{page}: {res.error}")
            await asyncio.sleep(0.2)  # let the server finish closing the sessions (counted too; idle costs ~0)
            per_session[page].append(1000 * (sum(proc_cpu_s(pid) for pid in pids) - before) / per_round)
        per_session.setdefault(HOST_REFERENCE, []).append(host_reference_ms())
    return per_session


HOST_REFERENCE = "host-reference"


def host_reference_ms() -> float:
    """CPU ms of a fixed piece of pure-Python work in this process (JSON round trips of a page-sized table): the
    host's speed at the moment, to read the per-session figures against (the cores are shared and their speed
    drifts; the server's figures move with it)."""
    table = {"rows": [{"region": f"KZ-{i}", "value": i * 1.5, "name": "Region name " * 3} for i in range(200)]}
    start = time.process_time()
    for _unused in range(60):
        json.loads(json.dumps(table))
    return 1000 * (time.process_time() - start)


def cpu_figure(values: list[float]) -> str:
    """The median of the rounds, with their range: a round that met a busy moment of the host does not move it."""
    return f"{statistics.median(values):.0f} (rounds {min(values):.0f}–{max(values):.0f})"


async def arrivals(base: str, page: str, rate: float, seconds: float, second_run: bool = False
                   ) -> list[SessionResult]:
    """Open loop: a new reader every 1/rate seconds for ``seconds``; waits for all of them (each bounded)."""
    tasks = []
    n = max(1, round(rate * seconds))
    start = time.perf_counter()
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one_session(base, page, second_run=second_run)))
    return await asyncio.gather(*tasks)


def rate_before(rates: list[float], rate: float) -> float:
    """The step before ``rate`` in the sweep (0 for the first): a sustained rate must hold at every lower step."""
    i = rates.index(rate)
    return rates[i - 1] if i else 0.0


def p95_of(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summarise(results: list[SessionResult]) -> tuple[float, float, int]:
    secs = [r.seconds for r in results]
    return statistics.median(secs), p95_of(secs), sum(1 for r in results if r.error)


async def hold_sessions(base: str, page: str, pid: int, hold: int, timeout_s: float = 180) -> float:
    """RSS growth per open session with ``hold`` sessions open at once, each after its first run (MB)."""
    before = proc_rss_mb(pid)
    release = asyncio.Event()
    ran: list[SessionResult] = []
    tasks = [asyncio.create_task(one_session(base, page, keep_open=release, ran=ran)) for _unused in range(hold)]
    deadline = time.perf_counter() + timeout_s
    while len(ran) < hold and time.perf_counter() < deadline and not all(item.done() for item in tasks):
        await asyncio.sleep(0.5)
    await asyncio.sleep(1)
    after = proc_rss_mb(pid)
    release.set()
    await asyncio.gather(*tasks)
    return (after - before) / max(1, len(ran))


async def single(args: argparse.Namespace, url: str) -> None:
    server = Server(args.port, bench_env(url), args.server_flag)
    baseline = None
    if args.baseline:  # the other checkout's server, with a store of its own
        store = Path(tempfile.mkdtemp(prefix="densaulyq-load-baseline-")) / "store.sqlite"
        baseline = Server(args.port + 1, bench_env(f"sqlite:///{store}"), args.server_flag, app_root=args.baseline)
        REPLAY_CHECKOUTS[baseline.url] = args.baseline
    try:
        for started in (server, baseline):
            if started is not None:
                started.wait_ready()
                started.wait_idle()
        base = server.url
        pid = server.proc.pid
        for warmed in (base, *([baseline.url] if baseline else [])):
            for page in (args.page, "bench-empty"):  # warm the caches: a first-run cost is not a session's
                for _unused in range(3):
                    res = await one_session(warmed, page)
                    if res.error:
                        raise RuntimeError(f"{warmed} {page}: {res.error}")
        visit = await one_session(base, args.page)
        print(f"http_requests_per_visit_{args.page}={visit.requests} (assets: {args.assets}; missing: "
              f"{len(visit.missing)})", flush=True)
        print(f"bytes_http_per_visit_{args.page}={visit.bytes_http} bytes_ws_first_run={visit.bytes_ws} "
              f"bytes_ws_wire_first_run={visit.bytes_ws_wire}", flush=True)
        if baseline is not None:
            await compare_with_baseline(base, pid, baseline, args)
            return
        cpu = await sequential_cpu(base, [pid], [args.page, "bench-empty"], args.rounds, args.per_round)
        print(f"cpu_ms_per_session_{args.page}={cpu_figure(cpu[args.page])}", flush=True)
        print(f"cpu_ms_per_session_empty={cpu_figure(cpu['bench-empty'])}", flush=True)
        ratios = [m / e for m, e in zip(cpu[args.page], cpu["bench-empty"], strict=True) if e]
        print(f"cpu_ratio_{args.page}_to_empty={statistics.median(ratios):.2f}", flush=True)
        reference = [m / r for m, r in zip(cpu[args.page], cpu[HOST_REFERENCE], strict=True) if r]
        print(f"host_reference_ms={cpu_figure(cpu[HOST_REFERENCE])} cpu_ratio_{args.page}_to_host_reference="
              f"{statistics.median(reference):.2f}", flush=True)
        if args.cpu_only:
            return
        sustained = sustained_ws = 0.0
        for rate in args.rates:
            results = await arrivals(base, args.page, rate, args.step_seconds)
            p50, p95, errors = summarise(results)
            ws_p95 = p95_of([r.ws_seconds for r in results])
            print(f"rate={rate:g}/s sessions={len(results)} p50_s={p50:.2f} p95_s={p95:.2f} errors={errors} "
                  f"(websocket part only: p95_s={ws_p95:.2f})", flush=True)
            if errors:
                break
            if p95 <= P95_TARGET_S and sustained == rate_before(args.rates, rate):
                sustained = rate
            if ws_p95 > P95_TARGET_S:
                break
            sustained_ws = rate
            await asyncio.sleep(2)
        print(f"sustained_sessions_per_s={sustained:g} (whole visit: assets + session, p95 <= {P95_TARGET_S:g} s)",
              flush=True)
        print(f"sustained_sessions_per_s_websocket={sustained_ws:g} (session only, p95 <= {P95_TARGET_S:g} s)",
              flush=True)
        print(f"mb_per_session={await hold_sessions(base, args.page, pid, args.hold):.2f} (hold={args.hold})",
              flush=True)
    finally:
        server.stop()
        if baseline is not None:
            baseline.stop()


async def compare_with_baseline(base: str, pid: int, baseline: Server, args: argparse.Namespace) -> None:
    """Server CPU per session of this checkout and of ``--baseline``, round by round: each round measures both
    servers (the order alternating), so both meet the same host speed; the ratio is the median of the rounds'."""
    targets = {"this": (base, pid), "baseline": (baseline.url, baseline.proc.pid)}
    cpu: dict[str, dict[str, list[float]]] = {name: {} for name in targets}
    for number in range(args.rounds):
        for name in (list(targets) if number % 2 == 0 else list(targets)[::-1]):
            url, server_pid = targets[name]
            for page, values in (await sequential_cpu(url, [server_pid], [args.page, "bench-empty"], 1,
                                                      args.per_round)).items():
                cpu[name].setdefault(page, []).extend(values)
    for name in targets:
        suffix = "" if name == "this" else "_baseline"
        print(f"cpu_ms_per_session_{args.page}{suffix}={cpu_figure(cpu[name][args.page])} "
              f"cpu_ms_per_session_empty{suffix}={cpu_figure(cpu[name]['bench-empty'])}", flush=True)
    for page in (args.page, "bench-empty"):
        ratios = [a / b for a, b in zip(cpu["this"][page], cpu["baseline"][page], strict=True) if b]
        print(f"cpu_ratio_{page}_to_baseline={statistics.median(ratios):.2f} (rounds {min(ratios):.2f}–"
              f"{max(ratios):.2f}; baseline: {args.baseline})", flush=True)
    print(f"host_reference_ms={cpu_figure(cpu['this'][HOST_REFERENCE] + cpu['baseline'][HOST_REFERENCE])}",
          flush=True)


async def replica_cpu(base: str, pids: list[int], proxy_pid: int, args: argparse.Namespace) -> None:
    """Server CPU per new session behind the proxy: the replicas' (the bundle answered from nginx's cache after its
    first fetch) and nginx's own, sessions one at a time, with the browser's asset list."""
    proxy_pids = process_tree(proxy_pid)
    proxy_before = sum(proc_cpu_s(pid) for pid in proxy_pids)
    cpu = await sequential_cpu(base, pids, [args.page, "bench-empty"], args.rounds, args.per_round)
    sessions = args.rounds * args.per_round * 2
    proxy_ms = 1000 * (sum(proc_cpu_s(pid) for pid in proxy_pids) - proxy_before) / sessions
    print(f"cpu_ms_per_session_{args.page}_behind_proxy={cpu_figure(cpu[args.page])} (replicas, bundle from the "
          f"proxy's cache) cpu_ms_per_session_empty_behind_proxy={cpu_figure(cpu['bench-empty'])} "
          f"proxy_cpu_ms_per_session={proxy_ms:.1f} (both pages) host_reference_ms={cpu_figure(cpu[HOST_REFERENCE])}",
          flush=True)


async def replicas(args: argparse.Namespace, url: str) -> None:
    from data_sources.seed import open_store

    if nginx_path() is None:
        raise SystemExit("nginx not found (apt-get install -y nginx-light)")
    ports = [args.port + 1 + i for i in range(args.replicas)]
    env = {**bench_env(url), "DENSAULYQ_MIGRATE": "wait"}  # replicas wait for the schema, as in the cluster
    open_store(url)  # migrate and seed once, before the replicas start (the cluster's Job does this)
    servers = [Server(p, env, args.server_flag) for p in ports]
    try:
        for s in servers:
            s.wait_ready()
            s.wait_idle()
        with running_proxy(args.port, ports) as proxy:
            base = f"http://127.0.0.1:{args.port}"
            for _unused in range(4):
                await one_session(base, args.page)
            await replica_cpu(base, [s.proc.pid for s in servers], proxy.pid, args)
            results = await arrivals(base, args.page, args.replica_rate, args.step_seconds, second_run=True)
            p50, p95, errors = summarise(results)
            by_server: dict[str, int] = {}
            for r in results:
                by_server[r.server] = by_server.get(r.server, 0) + 1
            print(f"replicas={args.replicas} rate={args.replica_rate:g}/s sessions={len(results)} p50_s={p50:.2f} "
                  f"p95_s={p95:.2f} errors={errors} sessions_by_replica={by_server}", flush=True)
            for r in results:
                if r.error:
                    print(f"  error: {r.error}")
            # Shared state: a write to the shared database reaches new sessions on every replica within seconds.
            print(f"write_seen_by_replicas: {await write_reaches_every_replica(url, ports)}", flush=True)
    finally:
        for s in servers:
            s.stop()


async def write_reaches_every_replica(url: str, ports: list[int], timeout_s: float = 30) -> str:
    """Change one value of the map's default view in the database (as a refresh would, with a revision row) and
    time until a new session on each replica draws it."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select, update

    from data_sources.seed import open_store
    from store.schema import observation_revisions, observations

    engine = open_store(url)
    first = await one_session(f"http://127.0.0.1:{ports[0]}", "map", want_text=True)
    figure = next(item for item in first.texts if item.startswith("{"))
    import json

    from core.config import load_settings

    doc = json.loads(figure)
    # the map component's payload holds the figure; a class with no region this period is an empty trace
    region = next(trace["customdata"][0][0] for trace in doc.get("figure", doc)["data"] if trace.get("customdata"))
    with engine.begin() as conn:
        row = conn.execute(select(observations).where(  # the map's default view: default indicator, latest period
            observations.c.region == region, observations.c.indicator_id == load_settings().default_indicator,
        ).order_by(observations.c.period.desc())).mappings().first()
        value = row["value"]
        marker = round(float(value) + 0.0123, 4)
        conn.execute(update(observations).where(observations.c.id == row["id"]).values(value=marker))
        conn.execute(insert(observation_revisions).values(
            indicator_id=row["indicator_id"], region=region, period=row["period"], old_value=value, new_value=marker,
            new_source_id=row["source_id"], changed_at=datetime.now(UTC), changed_by="bench/load.py"))
    start = time.perf_counter()
    seen: dict[int, float] = {}
    while len(seen) < len(ports) and time.perf_counter() - start < timeout_s:
        for port in ports:
            if port in seen:
                continue
            res = await one_session(f"http://127.0.0.1:{port}", "map", want_text=True)
            if any(str(marker) in item for item in res.texts):
                seen[port] = time.perf_counter() - start
        await asyncio.sleep(0.3)
    with engine.begin() as conn:  # put the value back (again as a revision), the store is shared
        conn.execute(update(observations).where(observations.c.id == row["id"]).values(value=value))
        conn.execute(insert(observation_revisions).values(
            indicator_id=row["indicator_id"], region=region, period=row["period"], old_value=marker, new_value=value,
            new_source_id=row["source_id"], changed_at=datetime.now(UTC), changed_by="bench/load.py"))
    worst = max(seen.values()) if len(seen) == len(ports) else float("nan")
    return f"{len(seen)}/{len(ports)} replicas drew the new value, the last after {worst:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="map")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--per-round", type=int, default=5)
    parser.add_argument("--rates", type=float, nargs="+", default=[0.5, 1, 2, 4, 6, 8])
    parser.add_argument("--step-seconds", type=float, default=10)
    parser.add_argument("--hold", type=int, default=30)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--replica-rate", type=float, default=2)
    parser.add_argument("--server-flag", action="append", default=[])
    parser.add_argument("--assets", choices=["browser", "html"], default="browser",
                        help="browser: replay bench/browser_urls_<page>.json (what Chromium fetched); html: the "
                             "scripts and styles the page's HTML names (the figures before the recording)")
    parser.add_argument("--cpu-only", action="store_true", help="stop after the CPU per session")
    parser.add_argument("--baseline", type=Path, help="another checkout (git worktree add /tmp/base <commit>): its "
                        "server runs beside this one and the CPU per session of both is measured round by round "
                        "(then stops, as --cpu-only)")
    args = parser.parse_args()
    import bench.reader

    bench.reader.REPLAY = args.assets == "browser"
    cpu0 = time.process_time()
    tmp = tempfile.TemporaryDirectory(prefix="densaulyq-load-")
    if args.replicas > 1:
        url = os.environ.get("DATABASE_URL") or os.environ.get("DENSAULYQ_TEST_PG_URL")
        if not url:
            raise SystemExit("--replicas needs DATABASE_URL or DENSAULYQ_TEST_PG_URL (PostgreSQL)")
        asyncio.run(replicas(args, url))
    else:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp.name) / 'store.sqlite'}"
        asyncio.run(single(args, url))
    print(f"client_cpu_s={time.process_time() - cpu0:.1f}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
