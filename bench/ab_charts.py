"""A/B of two checkouts served side by side (issue 16, docs/plot-basic.md): fresh loads and filter changes alternated.

    python -m bench.ab_charts --base /path/to/main-clone --lite . --data-root $KARNAMA_BENCH_DIR \
        --sizes demo,10M --loads 15 --changes 16 --out /tmp/ab.json

Each size: one server per checkout (ports 8781/8782, the data directory shared read-only), every page opened once
(untimed), then ``--loads`` rounds of fresh loads (base and lite alternated, the order flipped every round), then
per page ``--changes`` filter changes (year and county alternately) in blocks of 4, alternated, with the server CPU
per change of each. Uses bench.browser's fresh_load / _act / change_year / change_county (this checkout's, whose
drawn-state check knows both st.plotly_chart and karnama.web.plot charts).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from bench.browser import SETTLE_S, _act, change_county, change_year, fresh_load
from bench.common import CHROMIUM, CHROMIUM_ARGS, proc_cpu_s, stats, stop, wait_healthy

PAGES = ["overview", "monitoring"]
BLOCK = 4


@contextlib.contextmanager
def serve(root: Path, data: Path, port: int, log: Path):
    """``streamlit run <root>/serve.py`` on ``port`` serving ``data``; yields (url, process)."""
    env = {**os.environ, "KARNAMA_DATA_DIR": str(data), "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(root / "serve.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc
    finally:
        stop(proc)


def _summary(ms: list[float]) -> dict:
    s = stats([m / 1000 for m in ms])
    return {"p50": s["p50_ms"], "p95": s["p95_ms"], "n": s["n"]}


def measure(browser, roots: dict[str, Path], data: Path, loads: int, changes: int, logs: Path) -> dict:
    """One size: fresh-load and filter-change figures per page and variant, and the errors."""
    with contextlib.ExitStack() as stack:
        servers = {
            v: stack.enter_context(serve(r, data, 8781 + i, logs / f"ab-{v}.log"))
            for i, (v, r) in enumerate(roots.items())
        }
        urls = {v: u for v, (u, _) in servers.items()}
        pids = {v: p.pid for v, (_, p) in servers.items()}
        for v in urls:
            for name in PAGES:
                fresh_load(browser, f"{urls[v]}/{name}")[1].close()
        variants = list(urls)
        load = {v: {n: [] for n in PAGES} for v in urls}
        errors: list[str] = []
        for i in range(loads):
            for name in PAGES if i % 2 == 0 else PAGES[::-1]:
                for v in variants if i % 2 == 0 else variants[::-1]:
                    try:
                        ms, ctx, _page = fresh_load(browser, f"{urls[v]}/{name}")
                        load[v][name].append(ms)
                        ctx.close()
                    except Exception as exc:  # a benchmark reports what failed and goes on
                        errors.append(f"{v} {name} load: {exc}"[:300])
        change = {v: {n: {"year": [], "county": []} for n in PAGES} for v in urls}
        cpu = {v: {n: [0.0, 0] for n in PAGES} for v in urls}
        for name in PAGES:
            open_pages = {v: fresh_load(browser, f"{urls[v]}/{name}")[1:] for v in urls}
            rngs = {v: random.Random(11) for v in urls}
            for b in range(changes // BLOCK):
                for v in variants if b % 2 == 0 else variants[::-1]:
                    page = open_pages[v][1]
                    page.wait_for_timeout(SETTLE_S * 1000)
                    c0, done = proc_cpu_s(pids[v]), 0
                    for k in range(BLOCK):
                        kind = "year" if (b * BLOCK + k) % 2 == 0 else "county"
                        fn = change_year if kind == "year" else change_county
                        try:
                            change[v][name][kind].append(
                                _act(page, lambda fn=fn, page=page, rng=rngs[v]: fn(page, rng))
                            )
                            done += 1
                        except Exception as exc:
                            errors.append(f"{v} {name} {kind}: {exc}"[:300])
                    page.wait_for_timeout(SETTLE_S * 1000)
                    cpu[v][name][0] += proc_cpu_s(pids[v]) - c0
                    cpu[v][name][1] += done
            for ctx, _page in open_pages.values():
                ctx.close()
    out: dict = {"errors": errors}
    for v in urls:
        for name in PAGES:
            ch = change[v][name]
            out.setdefault(name, {})[v] = {
                "load": _summary(load[v][name]),
                "filter": _summary(ch["year"] + ch["county"]),
                "year": _summary(ch["year"]),
                "county": _summary(ch["county"]),
                "cpu_per_change_ms": round(1000 * cpu[v][name][0] / cpu[v][name][1], 1) if cpu[v][name][1] else None,
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--lite", type=Path, default=Path("."))
    ap.add_argument("--data-root", type=Path, required=True, help="holds <size>/ data directories")
    ap.add_argument("--sizes", default="demo,10M")
    ap.add_argument("--loads", type=int, default=15)
    ap.add_argument("--changes", type=int, default=16)
    ap.add_argument("--logs", type=Path, default=Path("/tmp"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    roots = {"base": args.base.resolve(), "lite": args.lite.resolve()}
    result = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for size in args.sizes.split(","):
                result[size] = measure(browser, roots, args.data_root / size, args.loads, args.changes, args.logs)
                print(json.dumps({size: result[size]}, ensure_ascii=False), file=sys.stderr, flush=True)
        finally:
            browser.close()
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
