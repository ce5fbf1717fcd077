"""Import and export figures for the benchmark report (each part in its own process).

    python -m bench.figures import  [--rows 100000] [--repeat 3] [--out FILE]
    python -m bench.figures exports --size 10M [--repeat 3] [--out FILE]

Import: the 100,000-row loans workbook of bench/import_bench.py (county offices' spellings, Jalali dates as text,
Persian digits) is validated and published (``importer.check`` then ``importer.publish``) into a copy of the demo
data directory; the bare read is the same reader (python-calamine) only reading the sheet's cells, and the
importer's own reader (zip and size checks, then calamine) is reported too. ``--repeat`` rounds (3) alternate the
three, each publish into a fresh copy; the figures are the medians (single timings here swing by a third from one
minute to the next).

Exports: PDF, PowerPoint and Excel of the whole province for the demo's reference year, each made once in the
fresh process (imports, fonts, the snapshot's Db) and then ``--repeat`` times with the query-result cache emptied
first, so every query runs each time; the median of those is the figure.
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import WORK, data_dir, emit, ensure_data, snapshot_rows


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def import_figures(rows: int, repeat: int = 3) -> dict:
    """Validate + publish a ``rows``-row workbook against the bare read of it: ``repeat`` rounds, each timing the
    bare read, the importer's reader and a check + publish into a fresh copy of the demo data directory, so that
    the machine's slow moments fall on both sides alike; the figures are the medians."""
    try:
        from bench import import_bench
        from karnama.importer import Upload, check, publish
        from karnama.importer.readers import Limits, read_upload
        from karnama.importer.report import Findings
    except ImportError as exc:  # the import feature is not there (yet)
        return {"rows": rows, "seconds": None, "bare_read_seconds": None, "error": f"importer missing: {exc}"}
    import python_calamine

    from karnama.data.snapshots import SnapshotStore

    data = import_bench.build(rows)
    runs: dict[str, list[float]] = {"bare": [], "guarded": [], "check": [], "publish": []}
    sheet: list = []
    for _ in range(repeat):
        bare, sheet = _timed(
            lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        )
        runs["bare"].append(bare)
        runs["guarded"].append(_timed(lambda: read_upload("bench.xlsx", data, Limits(), Findings()))[0])
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            root = Path(tmp) / "data"
            shutil.copytree(
                ensure_data("demo"), root, ignore=shutil.ignore_patterns(".staging", ".rollups", "users*", "audit*")
            )
            store = SnapshotStore(root)
            check_s, report = _timed(lambda store=store: check([Upload("bench.xlsx", data)], store))
            if not report.ok:
                return {
                    "rows": rows,
                    "seconds": None,
                    "bare_read_seconds": round(bare, 3),
                    "error": f"the workbook did not validate: {report.errors[:3]}",
                }
            runs["check"].append(check_s)
            runs["publish"].append(_timed(lambda r=report, s=store: publish(r, s, author="bench"))[0])
    median = {k: statistics.median(v) for k, v in runs.items()}
    imports = [c + p for c, p in zip(runs["check"], runs["publish"])]
    seconds, bare = statistics.median(imports), median["bare"]
    return {
        "rows": rows,
        "data_rows": len(sheet) - 1,
        "workbook_mb": round(len(data) / 2**20, 2),
        "seconds": round(seconds, 3),
        "check_seconds": round(median["check"], 3),
        "publish_seconds": round(median["publish"], 3),
        "bare_read_seconds": round(bare, 3),
        "importer_read_seconds": round(median["guarded"], 3),
        "ratio": round(seconds / bare, 2),
        "repeat": repeat,
        "seconds_runs": [round(x, 3) for x in imports],
        "bare_read_runs": [round(x, 3) for x in runs["bare"]],
        "process_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def export_figures(size: str, repeat: int) -> dict:
    """First and median-of-``repeat`` seconds for each export of the whole province."""
    try:
        from karnama.exports import FORMATS, build_export
    except ImportError as exc:
        return {"size": size, "error": f"exports missing: {exc}"}
    from karnama.data import query
    from karnama.data.query import Filters
    from karnama.data.snapshots import SnapshotStore

    data = data_dir(size)
    snap = SnapshotStore(data).resolve().snapshot
    year = (snap.manifest.get("demo_settings") or {}).get("reference_year", 1401)
    province = Filters(year)
    out: dict = {"size": size, "rows": snapshot_rows(data), "year": year}
    for fmt in FORMATS:
        first, blob = _timed(lambda fmt=fmt: build_export(fmt, snap, province))
        runs = []
        for _ in range(repeat):
            query.clear_results()
            runs.append(_timed(lambda fmt=fmt: build_export(fmt, snap, province))[0])
        out[f"{fmt}_s"] = round(statistics.median(runs), 3)
        out[f"{fmt}_first_s"] = round(first, 3)
        out[f"{fmt}_kb"] = round(len(blob) / 1024)
    out["process_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=("import", "exports"))
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--size", default="10M")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.part == "import":
        result = import_figures(args.rows, args.repeat)
    else:
        result = export_figures(args.size, args.repeat)
    emit(result, args.out)


if __name__ == "__main__":
    main()
