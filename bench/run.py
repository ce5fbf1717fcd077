"""Speed and scale benchmark: every figure in one run on one machine; writes bench/results/latest.json.

    python -m bench.run [--parts reruns,naive,server,concurrency,import,exports] [--quick] [--regen]

Generates (once, under $KARNAMA_BENCH_DIR or /tmp/karnama_bench) the demo snapshot and 1M / 10M-row scale
snapshots with ``python -m karnama demo --rows N``, then runs each part in its own process (so one part's memory
or caches never flatter another's) and prints a JSON report and a short table. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.common import RESULTS, ROOT, SIZES, WORK, ensure_data, machine, write_json

PARTS = ("reruns", "naive", "server", "concurrency", "import", "exports")


def _part(args: list[str], timeout: float) -> dict:
    """Run ``python -m bench.<part> ... --out FILE`` and return its JSON (or the error)."""
    out = (
        WORK
        / "parts"
        / (args[0].replace("bench.", "") + "-" + "-".join(a for a in args[1:] if not a.startswith("-")) + ".json")
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", *args, "--out", str(out)]
    print("$ " + " ".join(cmd[1:]), file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in proc.stderr.splitlines():
        if line.startswith("  "):
            print(line, file=sys.stderr)
    if proc.returncode != 0 or not out.exists():
        return {"error": (proc.stderr or proc.stdout).strip()[-1500:]}
    result = json.loads(out.read_text())
    result["wall_s"] = round(time.perf_counter() - start, 1)
    return result


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None


def collect(parts: tuple[str, ...], quick: bool) -> dict:
    runs = "5" if quick else "20"
    report: dict = {
        "generated_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.run",
        "git_commit": _git_commit(),
        "machine": machine(),
        "sizes_rows": {},
        "floor": None,
        "pages": {},
        "naive": {},
        "karnama": {},
        "cold_start_s": None,
        "import": None,
        "exports": None,
        "concurrency": None,
    }
    sizes = ("demo", "1M") if quick else tuple(SIZES)
    big = sizes[-1]
    if "reruns" in parts:
        res = _part(["bench.reruns", "--target", "karnama", "--sizes", ",".join(sizes), "--runs", runs], 7200)
        if "pages" in res:
            report["sizes_rows"] = res["rows"]
            report["floor"] = res["floor"]
            report["pages"] = res["pages"]
            report["karnama"] = {"harness_peak_mb": res.get("process_peak_mb")}
        else:
            report["pages"] = {"_error": res.get("error")}
    if "naive" in parts:
        for size in ("demo", big):
            res = _part(["bench.reruns", "--target", "naive", "--sizes", size, "--runs", runs], 3600)
            entry = _get(res, "pages", "naive", size)
            if entry:
                report["naive"][size] = {
                    "p50_ms": entry["p50_ms"],
                    "p95_ms": entry["p95_ms"],
                    "peak_mb": res.get("process_peak_mb"),
                    "county": entry["county"],
                    "year": entry["year"],
                    "errors": entry["errors"],
                }
            else:
                report["naive"][size] = {"p50_ms": None, "p95_ms": None, "peak_mb": None, "error": res.get("error")}
    if "server" in parts:
        for size in ("demo", big):
            res = _part(["bench.server", "--size", size, "--repeat", "1" if quick else "3"], 1800)
            report.setdefault("cold_start", {})[size] = res
            if size == big:
                report["cold_start_s"] = res.get("cold_start_s")
                mem = res.get("memory_after_pages_mb") or {}
                report["karnama"].setdefault(big, {}).update(
                    peak_mb=mem.get("peak_mb"),
                    rss_after_pages_mb=mem.get("rss_mb"),
                    rss_after_start_mb=(res.get("memory_after_start_mb") or {}).get("rss_mb"),
                )
    if "concurrency" in parts:
        args = ["bench.concurrency", "--size", big]
        if quick:
            args += ["--sessions", "5", "--seconds", "15", "--single-seconds", "10"]
        report["concurrency"] = _part(args, 1800)
    if "import" in parts:
        report["import"] = _part(["bench.figures", "import"], 1800)
    if "exports" in parts:
        report["exports"] = _part(["bench.figures", "exports", "--size", big], 1800)
    report["goals"] = goals(report, big)
    return report


def _get(d: dict | None, *path):
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _goal(name: str, measured, target, ok: bool | None, limited_by: str = "") -> dict:
    return {
        "goal": name,
        "measured": measured,
        "target": target,
        "pass": ok,
        **({"limited_by": limited_by} if ok is False or ok is None else {}),
    }


def _ratio(a, b) -> float | None:
    return round(a / b, 2) if a is not None and b else None


# What limits a figure when it misses its goal: from profiling the runs (see README "Speed and scale").
LIMITS = {
    "floor": "rendering, not data: the floor page sends a handful of messages, a dashboard page 65-85 (sidebar, KPI "
    "cards, plotly figures built and serialised per rerun, styled tables); its warm reruns (every query a "
    "cache hit) alone exceed 3x the floor, and reruns cost the same at the demo size as at 10M rows.",
    "scale": "noise on a shared 2-core machine: queries read pre-aggregated tables, so the work per rerun does "
    "not grow with the rows; compare the demo and 10M p50s.",
    "naive_speed": "the naive baseline's per-interaction pandas work; see naive.<size>.",
    "naive_memory": "the Streamlit server's own baseline memory (~200 MB of Python, Streamlit, pandas, plotly, "
    "DuckDB) dominates Karnama's figure at every size.",
    "concurrency_p95": "two CPU cores shared by 20 sessions: reruns queue behind each other (Python's GIL and "
    "Streamlit's per-session script threads), so the p95 includes waiting, not slower queries.",
    "concurrency_errors": "see concurrency.error_samples.",
    "concurrency_memory": "query-result and Streamlit caches filling up with new filter combinations; both are "
    "bounded.",
    "import": "the importer's reader (zip-bomb and size checks before calamine) and per-cell validation and "
    "normalisation in Python; see import.importer_read_seconds and import.check_seconds.",
}


def goals(r: dict, big: str) -> list[dict]:
    out = []
    floor95 = _get(r, "floor", "p95_ms")
    for page, sizes in sorted(r["pages"].items()):
        if page.startswith("_"):
            continue
        p_big, p_demo = _get(sizes, big, "p95_ms"), _get(sizes, "demo", "p95_ms")
        ratio = _ratio(p_big, p_demo)
        out.append(
            _goal(
                f"{page}: p95 rerun at {big} <= 1.5 x p95 at demo size",
                ratio,
                1.5,
                None if ratio is None else ratio <= 1.5,
                LIMITS["scale"],
            )
        )
        ratio = _ratio(p_big, floor95)
        out.append(
            _goal(
                f"{page}: p95 rerun at {big} <= 3 x the framework floor p95",
                ratio,
                3.0,
                None if ratio is None else ratio <= 3.0,
                LIMITS["floor"],
            )
        )
    naive95, karn95 = _get(r, "naive", big, "p95_ms"), _get(r, "pages", "overview", big, "p95_ms")
    speedup = _ratio(naive95, karn95)
    out.append(
        _goal(
            f"overview vs naive pandas at {big}: >= 10 x faster per interaction (p95)",
            speedup,
            10.0,
            None if speedup is None else speedup >= 10,
            LIMITS["naive_speed"],
        )
    )
    naive_mb, karn_mb = _get(r, "naive", big, "peak_mb"), _get(r, "karnama", big, "peak_mb")
    share = _ratio(karn_mb, naive_mb)
    out.append(
        _goal(
            f"Karnama server peak memory at {big} <= 1/4 of the naive baseline's",
            share,
            0.25,
            None if share is None else share <= 0.25,
            LIMITS["naive_memory"],
        )
    )
    c = r.get("concurrency") or {}
    errors = c.get("errors")
    out.append(
        _goal(
            f"{c.get('sessions', 20)} concurrent sessions: zero errors",
            errors,
            0,
            None if errors is None else errors == 0,
            LIMITS["concurrency_errors"],
        )
    )
    ratio = _ratio(c.get("p95_ms"), _get(c, "single", "p95_ms"))
    out.append(
        _goal(
            "concurrent p95 <= 3 x single-session p95",
            ratio,
            3.0,
            None if ratio is None else ratio <= 3.0,
            LIMITS["concurrency_p95"],
        )
    )
    growth = _ratio(c.get("mem_end_mb"), c.get("mem_after_warmup_mb"))
    out.append(
        _goal(
            "server memory at the end within 10% of memory after warm-up",
            growth,
            1.10,
            None if growth is None else growth <= 1.10,
            LIMITS["concurrency_memory"],
        )
    )
    imp = r.get("import") or {}
    ratio = _ratio(imp.get("seconds"), imp.get("bare_read_seconds"))
    out.append(
        _goal(
            f"import of {imp.get('rows', 100000)} rows <= 2 x the bare read",
            ratio,
            2.0,
            None if ratio is None else ratio <= 2.0,
            LIMITS["import"],
        )
    )
    return out


def table(r: dict) -> str:
    """A short human-readable summary."""
    lines = []
    floor = r.get("floor") or {}
    lines.append(f"machine: {r['machine']['cores']} cores, {r['machine']['memory_gb']} GB — {r['machine']['cpu']}")
    lines.append(f"framework floor: p50 {floor.get('p50_ms')} ms, p95 {floor.get('p95_ms')} ms")
    sizes = [s for s in SIZES if any(s in v for k, v in r["pages"].items() if not k.startswith("_"))]
    lines.append(f"{'page (rerun ms, cold cache)':30}" + "".join(f"{s + ' p50/p95':>18}" for s in sizes))
    for page, entry in r["pages"].items():
        if page.startswith("_"):
            continue
        lines.append(
            f"{page:30}"
            + "".join(f"{str(_get(entry, s, 'p50_ms')) + ' / ' + str(_get(entry, s, 'p95_ms')):>18}" for s in sizes)
        )
    for size, n in r["naive"].items():
        lines.append(
            f"naive pandas {size}: p50 {n.get('p50_ms')} ms, p95 {n.get('p95_ms')} ms, peak {n.get('peak_mb')} MB"
        )
    for size, k in r["karnama"].items():
        if isinstance(k, dict) and k.get("peak_mb"):
            lines.append(f"karnama server {size}: peak {k['peak_mb']} MB after every page")
    lines.append(f"cold start: {r.get('cold_start_s')} s")
    c = r.get("concurrency") or {}
    lines.append(
        f"concurrency: {c.get('sessions')} sessions, {c.get('reruns')} reruns, errors {c.get('errors')}, "
        f"p95 {c.get('p95_ms')} ms (single {_get(c, 'single', 'p95_ms')} ms), memory "
        f"{c.get('mem_after_warmup_mb')} -> {c.get('mem_end_mb')} MB"
    )
    i = r.get("import") or {}
    lines.append(f"import {i.get('rows')} rows: {i.get('seconds')} s (bare read {i.get('bare_read_seconds')} s)")
    e = r.get("exports") or {}
    lines.append(f"exports: pdf {e.get('pdf_s')} s, pptx {e.get('pptx_s')} s, xlsx {e.get('xlsx_s')} s")
    lines.append("goals:")
    for g in r.get("goals", []):
        mark = {True: "PASS", False: "MISS", None: "n/a "}[g["pass"]]
        lines.append(f"  {mark} {g['goal']}: {g['measured']} (target {g['target']})")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset of " + ",".join(PARTS))
    ap.add_argument("--quick", action="store_true", help="a smoke run: demo and 1M, fewer runs (not for the report)")
    ap.add_argument("--regen", action="store_true", help="regenerate the snapshots")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="default: bench/results/latest.json (--quick: the work directory's quick.json)",
    )
    args = ap.parse_args()
    parts = tuple(p for p in args.parts.split(",") if p)
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown parts: {sorted(unknown)}")
    for size in ("demo", "1M") if args.quick else SIZES:
        ensure_data(size, regen=args.regen)
    report = collect(parts, args.quick)
    out = args.out or (WORK / "quick.json" if args.quick else RESULTS / "latest.json")
    write_json(out, report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print(table(report))
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
