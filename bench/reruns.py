"""Server-side rerun time after a filter change, in-process with Streamlit's AppTest (one size per process).

    python -m bench.reruns --size 10M --target karnama|floor|naive [--runs 20] [--out FILE]

For each page: open it, then ``--runs`` reruns each switching the county filter to a county not chosen before and
switching the year (with the whole province), timing ``AppTest.run()`` — the script run and the messages it
sends, as the server does it. Karnama's figures are taken with its query-result cache emptied before every
measured rerun, so every query of every rerun really runs ("cold"); the same reruns are then repeated on the
filled cache ("warm": a filter combination someone has already looked at since the server started).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

from bench.common import ROOT, data_dir, snapshot_rows, stats, write_json

BENCH = ROOT / "bench"


def _open(target: str, page: str | None):
    from streamlit.testing.v1 import AppTest

    script = {"karnama": ROOT / "app.py", "floor": BENCH / "floor_app.py", "naive": BENCH / "naive_app.py"}[target]
    at = AppTest.from_file(str(script), default_timeout=900)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    if at.exception:
        raise RuntimeError(f"{page or target}: {at.exception[0].message}")
    return at


def _plan(counties: list[str], years: list[int], default_year: int, runs: int) -> list[tuple[str, object]]:
    """The filter changes: ``runs`` distinct counties (year fixed), then ``runs`` year changes (province)."""
    order = counties[:]
    random.Random(7).shuffle(order)
    steps: list[tuple[str, object]] = [("county", order[i % len(order)]) for i in range(runs)]
    steps.append(("reset", None))
    others = [y for y in years if y != default_year] or years
    cycle = [y for pair in zip(others, [default_year] * len(others)) for y in pair]
    steps += [("year", cycle[i % len(cycle)]) for i in range(runs)]
    return steps


def _apply(at, kind: str, value) -> None:
    if kind == "county":
        at.multiselect(key="f_counties").set_value([value])
    elif kind == "year":
        at.selectbox(key="f_year").set_value(value)
    else:
        at.multiselect(key="f_counties").set_value([])


def measure(at, steps, clear) -> tuple[dict[str, list[float]], list[str]]:
    """Apply each step and time the rerun; ``clear`` runs before each timed rerun (outside the timing)."""
    times: dict[str, list[float]] = {"county": [], "year": []}
    errors: list[str] = []
    for kind, value in steps:
        _apply(at, kind, value)
        if kind == "reset":
            at.run()
            continue
        clear()
        start = time.perf_counter()
        at.run()
        times[kind].append(time.perf_counter() - start)
        if at.exception:
            errors.append(f"{kind}={value}: {at.exception[0].message}")
    return times, errors


def summary(times: dict[str, list[float]]) -> dict:
    return {"county": stats(times["county"]), "year": stats(times["year"]),
            "all": stats(times["county"] + times["year"])}


def run(target: str, size: str, runs: int, warmup: int = 2) -> dict:
    data = data_dir(size)
    os.environ["KARNAMA_DATA_DIR"] = str(data)
    sys.path.insert(0, str(ROOT))
    from karnama import catalog, nav, query, ui
    from karnama.counties import COUNTIES
    from karnama.snapshots import SnapshotStore

    snap = SnapshotStore(data).resolve().snapshot
    years = catalog.years(snap)
    default = ui.default_year(snap, years)
    counties = [c.code for c in COUNTIES]
    steps = _plan(counties, years, default, runs)
    pages = [p.path for p in nav.PAGES] if target == "karnama" else [None]
    out: dict = {"target": target, "size": size, "rows": snapshot_rows(data), "runs_per_filter": runs, "pages": {}}
    for page in pages:
        name = Path(page).stem if page else target
        print(f"  {target} {size} {name}", file=sys.stderr, flush=True)
        at = _open(target, page)
        # Warm-up reruns (not timed): the first run of a page imports its modules and fills Streamlit's caches.
        for kind, value in [("county", "MSH"), ("reset", None)][:warmup]:
            _apply(at, kind, value)
            at.run()
        if target == "karnama":
            cold, errors = measure(at, steps, query.clear_results)
            warm, warm_errors = measure(at, steps, lambda: None)
            entry = {**summary(cold)["all"], "cold": summary(cold), "warm": summary(warm),
                     "errors": errors + warm_errors}
        else:
            times, errors = measure(at, steps, lambda: None)
            entry = {**summary(times)["all"], **summary(times), "errors": errors}
        out["pages"][name] = entry
    out["process_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="demo")
    ap.add_argument("--target", choices=("karnama", "floor", "naive"), default="karnama")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = run(args.target, args.size, args.runs)
    if args.out:
        write_json(args.out, result)
    else:
        import json

        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
