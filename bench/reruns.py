"""Server-side rerun time after a filter change, in-process with Streamlit's AppTest (one size per process).

    python -m bench.reruns --sizes demo,1M,10M [--target karnama|floor|naive] [--runs 20] [--out FILE]

For each page: open it, then ``--runs`` reruns each switching the county filter to a county not chosen before and
switching the year (with the whole province), timing ``AppTest.run()`` — the script run and the messages it
sends, as the server does it. Karnama's pages are measured at every size in one process, step by step in turn
with the framework floor page (bench/floor_app.py), so all of them see the same machine. Its figures are taken
with the query-result cache emptied before every measured rerun, so every query of every rerun really runs
("cold"); the same reruns are then repeated on the filled cache ("warm": a filter combination someone has already
looked at since the server started).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, data_dir, emit, snapshot_rows, stats

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


@dataclass
class Lane:
    """One AppTest session being measured: a page at a data size (or the floor page), with its filter steps."""

    size: str
    data: Path
    at: object
    steps: list[tuple[str, object]]
    times: dict[str, list[float]] = field(default_factory=lambda: {"county": [], "year": []})
    errors: list[str] = field(default_factory=list)


def measure(lanes: list[Lane], clear) -> None:
    """Step all lanes together, rotating their order at every step, so that noise from anything else running on
    the machine falls on every size (and the floor) alike. ``clear`` runs before each timed rerun, untimed."""
    for i in range(len(lanes[0].steps)):
        for lane in lanes[i % len(lanes) :] + lanes[: i % len(lanes)]:
            kind, value = lane.steps[i]
            os.environ["KARNAMA_DATA_DIR"] = str(lane.data)
            _apply(lane.at, kind, value)
            if kind == "reset":
                lane.at.run()
                continue
            clear()
            start = time.perf_counter()
            lane.at.run()
            lane.times[kind].append(time.perf_counter() - start)
            if lane.at.exception:
                lane.errors.append(f"{kind}={value}: {lane.at.exception[0].message}")


def summary(times: dict[str, list[float]]) -> dict:
    return {
        "county": stats(times["county"]),
        "year": stats(times["year"]),
        "all": stats(times["county"] + times["year"]),
    }


def _lane(target: str, size: str, page: str | None, runs: int, warmup: int = 2) -> Lane:
    from karnama.core.counties import COUNTIES
    from karnama.data import catalog
    from karnama.data.snapshots import SnapshotStore
    from karnama.web import filters as ui

    data = data_dir(size)
    os.environ["KARNAMA_DATA_DIR"] = str(data)
    snap = SnapshotStore(data).resolve().snapshot
    years = catalog.years(snap)
    steps = _plan([c.code for c in COUNTIES], years, ui.default_year(snap, years), runs)
    at = _open(target, page)
    # Warm-up reruns (not timed): the first run of a page imports its modules and fills Streamlit's caches.
    for kind, value in [("county", "MSH"), ("reset", None)][:warmup]:
        _apply(at, kind, value)
        at.run()
    return Lane(size, data, at, steps)


def run(target: str, sizes: list[str], runs: int) -> dict:
    """Karnama: every page at every size, interleaved with the floor page; floor / naive: that page alone."""
    sys.path.insert(0, str(ROOT))
    from karnama.data import query
    from karnama.web import nav

    out: dict = {
        "target": target,
        "runs_per_filter": runs,
        "rows": {s: snapshot_rows(data_dir(s)) for s in sizes},
        "pages": {},
    }
    if target != "karnama":
        for size in sizes:
            print(f"  {target} {size}", file=sys.stderr, flush=True)
            lane = _lane(target, size, None, runs)
            measure([lane], lambda: None)
            out["pages"].setdefault(target, {})[size] = {
                **summary(lane.times)["all"],
                **summary(lane.times),
                "errors": lane.errors,
            }
    else:
        floor: dict[str, list[float]] = {"county": [], "year": []}
        for spec in nav.PAGES:
            name = Path(spec.path).stem
            print(f"  karnama {name} at {', '.join(sizes)} (with the floor page)", file=sys.stderr, flush=True)
            lanes = [_lane("karnama", size, spec.path, runs) for size in sizes]
            lanes.append(_lane("floor", sizes[0], None, runs))
            measure(lanes, query.clear_results)
            cold = {lane.size: (dict(lane.times), list(lane.errors)) for lane in lanes[:-1]}
            for kind in floor:
                floor[kind] += lanes[-1].times[kind]
            for lane in lanes:
                lane.times, lane.errors = {"county": [], "year": []}, []
            measure(lanes[:-1], lambda: None)  # the same reruns again: every query result is now cached
            for lane in lanes[:-1]:
                times, errors = cold[lane.size]
                out["pages"].setdefault(name, {})[lane.size] = {
                    **summary(times)["all"],
                    "cold": summary(times),
                    "warm": summary(lane.times),
                    "errors": errors + lane.errors,
                }
        out["floor"] = {**summary(floor)["all"], **summary(floor)}
    out["process_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="demo", help="comma-separated: demo,1M,10M")
    ap.add_argument("--target", choices=("karnama", "floor", "naive"), default="karnama")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = run(args.target, args.sizes.split(","), args.runs)
    emit(result, args.out)


if __name__ == "__main__":
    main()
