"""Concurrent sessions on one app process and on two behind nginx: 10, 30 and 60 websocket sessions.

    python -m bench.sessions --size 10M [--sessions 10,30,60] [--processes 1,2] [--seconds 40] [--out FILE]

The same clients as bench.concurrency (Streamlit's own protocol, spread over the five dashboard pages, a county or
year change every 2-6 s of "think time", a rerun timed from sending the change to ``script_finished``; errors are
exceptions, failed runs, dropped connections and reruns over the timeout). One process is ``streamlit run
serve.py`` reached directly; two processes are deploy/cluster.py's cluster (nginx with TLS in front of two
``streamlit run serve.py``, its own run directory and ports), reached through nginx over wss://. nginx routes by
a routing cookie and a client without one by a random id (deploy/nginx.conf.template), so the sessions, which all
come from 127.0.0.1, spread over both processes; how many landed on each is counted from the processes' own
websocket connections. A single session's reruns (the reference for the 30-session goal) are taken first on the
one process. Everything is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path

from bench.common import (
    ROOT,
    WORK,
    app_server,
    data_dir,
    emit,
    proc_cpu_s,
    proc_memory_mb,
    snapshot_rows,
    stats,
    wait_healthy,
)
from bench.concurrency import PAGES, RERUN_TIMEOUT_S, SINGLE_THINK_S, _session, _single

WARMUP_TIMEOUT_S = 600


def established(pid: int, port: int) -> int:
    """How many established TCP connections process ``pid`` holds on local ``port`` (its websocket sessions)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                f = line.split()
                if f[3] == "01" and int(f[1].rsplit(":", 1)[1], 16) == port and f[9] in inodes:
                    count += 1
    return count


async def _many(url: str, servers: list[tuple[int, int]], sessions: int, seconds: float, think) -> dict:
    """``sessions`` clients for ``seconds`` against ``url``; ``servers`` = (pid, port) of every app process."""
    ready = [asyncio.Event() for _ in range(sessions)]
    go = asyncio.Event()
    until = [float("inf")]
    tasks = [
        asyncio.create_task(_session(url, PAGES[i % len(PAGES)], ready[i], go, until, think, seed=1000 + i))
        for i in range(sessions)
    ]
    warm = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ready)), timeout=WARMUP_TIMEOUT_S)
    warmup_s = time.perf_counter() - warm
    spread = [established(pid, port) for pid, port in servers]
    cpu0, wall0 = [proc_cpu_s(pid) for pid, _ in servers], time.perf_counter()
    until[0] = time.perf_counter() + seconds
    go.set()
    done = await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 10 * RERUN_TIMEOUT_S)
    wall = time.perf_counter() - wall0
    cpu = [proc_cpu_s(pid) - c for (pid, _), c in zip(servers, cpu0)]
    times = [t for s in done for t in s.times]
    errors = [e for s in done for e in s.errors]
    s = stats(times)
    return {
        "sessions": sessions,
        "processes": len(servers),
        "p50_ms": s["p50_ms"],
        "p95_ms": s["p95_ms"],
        "errors": len(errors),
        "n": s["n"],
        "max_ms": s["max_ms"],
        "seconds": seconds,
        "warmup_s": round(warmup_s, 1),
        "sessions_per_process": spread,
        "server_cpu_s": [round(c, 1) for c in cpu],
        "cores_busy": round(sum(cpu) / wall, 2),
        "reruns_per_s": round(len(times) / wall, 1),
        "server_cpu_per_rerun_ms": round(1000 * sum(cpu) / max(len(times), 1)),
        "rss_mb": [proc_memory_mb(pid)["rss_mb"] for pid, _ in servers],
        "error_samples": errors[:5],
    }


def _report(run: dict) -> None:
    print(
        f"  {run['sessions']} sessions on {run['processes']} process(es): p50 {run['p50_ms']} ms, p95 "
        f"{run['p95_ms']} ms, {run['n']} reruns, {run['errors']} errors, {run['cores_busy']} cores busy, "
        f"sessions per process {run['sessions_per_process']}",
        file=sys.stderr,
        flush=True,
    )


def _cluster_module():
    sys.path.insert(0, str(ROOT / "deploy"))
    import cluster

    return cluster


def run(size: str, counts: list[int], processes: list[int], seconds: float, think, single_seconds: float) -> dict:
    data = data_dir(size)
    out: dict = {"size": size, "rows": snapshot_rows(data), "think_s": list(think), "runs": []}
    for n in processes:
        if n == 1:
            with app_server(data, WORK / "logs" / f"sessions-{size}-1.log") as (url, proc, _):
                wait_healthy(url, proc)
                port = int(url.rsplit(":", 1)[1])
                if single_seconds:
                    single = asyncio.run(_single(url, single_seconds, SINGLE_THINK_S))
                    out["single"] = {**stats(single.times), "errors": len(single.errors), "processes": 1}
                    print(f"  single session: p95 {out['single']['p95_ms']} ms", file=sys.stderr, flush=True)
                for count in counts:
                    out["runs"].append(asyncio.run(_many(url, [(proc.pid, port)], count, seconds, think)))
                    _report(out["runs"][-1])
        else:
            cluster = _cluster_module()
            run_dir = WORK / "cluster-run"
            with cluster.Cluster(n, run_dir, data) as c:
                servers = [(p.pid, port) for p, port in zip(c.apps, c.app_ports)]
                for count in counts:
                    out["runs"].append(asyncio.run(_many(c.url, servers, count, seconds, think)))
                    _report(out["runs"][-1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="demo")
    ap.add_argument("--sessions", default="10,30,60", help="comma-separated session counts")
    ap.add_argument("--processes", default="1,2", help="comma-separated app process counts")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--single-seconds", type=float, default=25, help="the single-session reference (0: none)")
    ap.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"))
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = run(
        args.size,
        [int(x) for x in args.sessions.split(",")],
        [int(x) for x in args.processes.split(",")],
        args.seconds,
        tuple(args.think),
        args.single_seconds,
    )
    emit(result, args.out)


if __name__ == "__main__":
    main()
