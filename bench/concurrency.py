"""Concurrent sessions: websocket clients on loopback switching filters against one real app server.

    python -m bench.concurrency --size 10M [--sessions 20] [--seconds 60] [--think 2 6] [--out FILE]

Each client speaks Streamlit's own protocol (BackMsg / ForwardMsg protobufs on /_stcore/stream), as the browser
does: it opens a dashboard page (sessions are spread over the five), then, until the time is up, changes the
county or the year (the sidebar widgets, found by their keys in what the server sent) and waits for the rerun to
finish, pausing a random "think time" between changes as a person would. The rerun time is from sending the
change to the server's script_finished message. An error is an exception element, a run that did not finish
successfully, a dropped connection or a rerun over the per-rerun timeout. First a single session does the same
for the single-session reference, on the same server (one page after the other, shorter pauses for more samples).
Everything is bounded: the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
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

PAGES = ("overview", "supported_employment", "incentives", "centres_and_loans", "monitoring")
RERUN_TIMEOUT_S = 60.0
SINGLE_THINK_S = (0.5, 1.5)


@dataclass
class Session:
    """One websocket client and what it has seen."""

    ws: object
    page: str
    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # key -> (widget id, proto)
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _rerun(s: Session, states: list) -> float:
    """Send a rerun with these widget states; wait for script_finished; collect widgets and exceptions."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = s.page
    msg.rerun_script.widget_states.widgets.extend(states)
    start = time.perf_counter()
    await s.ws.send(msg.SerializeToString())
    while True:
        raw = await asyncio.wait_for(s.ws.recv(), timeout=RERUN_TIMEOUT_S)
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            name = element.WhichOneof("type")
            if name == "exception":
                s.errors.append(f"{s.page}: {element.exception.message[:200]}")
            widget = getattr(element, name)
            wid = getattr(widget, "id", "")
            if isinstance(wid, str) and "-f_" in wid:
                s.widgets[wid.rsplit("-", 1)[-1]] = (wid, widget)
        elif kind == "script_finished":
            elapsed = time.perf_counter() - start
            if fwd.script_finished not in (0, 2):  # 0 = finished, 2 = stopped early for a newer rerun
                s.errors.append(f"{s.page}: script finished with status {fwd.script_finished}")
            return elapsed


def _state(s: Session, key: str, value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    wid, proto = s.widgets[key]
    state = WidgetState()
    state.id = wid
    if key == "f_counties":
        state.string_array_value.data[:] = value
    else:
        state.string_value = value
    return state


async def _session(
    url: str,
    page: str,
    ready: asyncio.Event | None,
    go: asyncio.Event | None,
    until: list[float],
    think: tuple[float, float],
    seed: int,
) -> Session:
    import websockets

    rng = random.Random(seed)
    ws_url = url.replace("https://", "wss://").replace("http://", "ws://") + "/_stcore/stream"
    extra = {"ssl": _loopback_tls()} if ws_url.startswith("wss://") else {}
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60, **extra) as ws:
        s = Session(ws, page)
        try:
            await _rerun(s, [])  # the page load
            if ready is not None:
                ready.set()
            if go is not None:
                await go.wait()
            years = list(s.widgets["f_year"][1].options)
            counties = list(s.widgets["f_counties"][1].options)
            chosen_year, chosen = years[min(2, len(years) - 1)], []
            step = 0
            while time.perf_counter() < until[0]:
                await asyncio.sleep(rng.uniform(*think))
                if time.perf_counter() >= until[0]:
                    break
                if step % 2 == 0:
                    chosen = [rng.choice(counties)] if rng.random() < 0.8 else []
                else:
                    chosen_year = rng.choice(years)
                step += 1
                s.times.append(await _rerun(s, [_state(s, "f_year", chosen_year), _state(s, "f_counties", chosen)]))
        except (TimeoutError, OSError, KeyError) as exc:
            s.errors.append(f"{page}: {type(exc).__name__}: {exc}")
        except websockets.ConnectionClosed as exc:
            s.errors.append(f"{page}: connection closed: {exc}")
        return s


def _loopback_tls():
    """TLS to our own nginx on loopback (bench.sessions): its self-signed certificate is not checked."""
    import ssl

    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    return ctx


async def _single(url: str, seconds: float, think: tuple[float, float]) -> Session:
    """One session at a time on each dashboard page in turn (the same mix the concurrent sessions use)."""
    pooled = None
    for i, page in enumerate(PAGES):
        until = [time.perf_counter() + seconds / len(PAGES)]
        s = await _session(url, page, None, None, until, think, seed=1 + i)
        if pooled is None:
            pooled = s
        else:
            pooled.times += s.times
            pooled.errors += s.errors
    return pooled


async def _many(url: str, pid: int, sessions: int, seconds: float, think: tuple[float, float]) -> dict:
    ready = [asyncio.Event() for _ in range(sessions)]
    go = asyncio.Event()
    until = [float("inf")]
    tasks = [
        asyncio.create_task(_session(url, PAGES[i % len(PAGES)], ready[i], go, until, think, seed=100 + i))
        for i in range(sessions)
    ]
    # Warm-up: every session has loaded its page (bounded, in case one cannot connect).
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ready)), timeout=600)
    mem_warm = proc_memory_mb(pid)
    cpu_start, wall_start = proc_cpu_s(pid), time.perf_counter()
    until[0] = time.perf_counter() + seconds
    go.set()
    done = await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 10 * RERUN_TIMEOUT_S)
    cpu, wall = proc_cpu_s(pid) - cpu_start, time.perf_counter() - wall_start
    mem_end = proc_memory_mb(pid)
    times = [t for s in done for t in s.times]
    errors = [e for s in done for e in s.errors]
    return {
        "sessions": sessions,
        "seconds": seconds,
        "reruns": len(times),
        **stats(times),
        "errors": len(errors),
        "error_samples": errors[:5],
        "mem_after_warmup_mb": mem_warm["rss_mb"],
        "mem_end_mb": mem_end["rss_mb"],
        "peak_mb": mem_end["peak_mb"],
        "server_cpu_s": round(cpu, 1),
        "server_cores_busy": round(cpu / wall, 2),
        "server_cpu_per_rerun_ms": round(1000 * cpu / max(len(times), 1)),
        "by_page": {p: stats([t for s in done if s.page == p for t in s.times]) for p in PAGES},
    }


def run(size: str, sessions: int, seconds: float, think: tuple[float, float], single_seconds: float) -> dict:
    data = data_dir(size)
    with app_server(data, WORK / "logs" / f"concurrency-{size}.log") as (url, proc, _):
        wait_healthy(url, proc)
        print(f"  single session on {size} for {single_seconds:.0f} s", file=sys.stderr, flush=True)
        # Alone on the server the pause does not change a rerun's time; a shorter one gives more samples.
        single = asyncio.run(_single(url, single_seconds, SINGLE_THINK_S))
        print(f"  {sessions} sessions on {size} for {seconds:.0f} s", file=sys.stderr, flush=True)
        many = asyncio.run(_many(url, proc.pid, sessions, seconds, think))
    return {
        "size": size,
        "rows": snapshot_rows(data),
        "think_s": list(think),
        "single": {**stats(single.times), "errors": len(single.errors), "think_s": list(SINGLE_THINK_S)},
        **many,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="demo")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--single-seconds", type=float, default=60)
    ap.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"))
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = run(args.size, args.sessions, args.seconds, tuple(args.think), args.single_seconds)
    emit(result, args.out)


if __name__ == "__main__":
    main()
