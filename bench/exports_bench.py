"""Benchmark: the time each export takes for the whole province (prints figures; not a test).

    python bench/exports_bench.py [--year 1401] [--repeat 3] [--data-dir DIR]

For each format it times ``build_export`` (queries + rendering) in one warm process: the first run (imports,
font registration, the DuckDB views of the snapshot) and the best of ``--repeat`` runs after it; for the PDF
also the share spent drawing charts with matplotlib. A county-scoped export is timed for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from karnama.core.paths import default_data_dir  # noqa: E402
from karnama.data.query import Filters  # noqa: E402
from karnama.data.snapshots import SnapshotStore  # noqa: E402
from karnama.exports import FORMATS, build_export, content, static_charts  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=1401)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    snap = SnapshotStore(args.data_dir or default_data_dir()).resolve().snapshot
    rows = sum(snap.rows(t) for t in snap.manifest["tables"])
    print(f"snapshot {snap.id} ({rows:,} rows), year {args.year}, whole province")
    province = Filters(args.year)

    t, _ = timed(lambda: content.build(snap, province))
    print(f"  brief model (all queries, first run)   {t:6.2f} s")
    t, _ = timed(lambda: content.build(snap, province))
    print(f"  brief model (warm)                     {t:6.2f} s")

    print(f"  {'format':6} {'first':>8} {'best of ' + str(args.repeat):>12} {'size':>10}")
    for fmt in FORMATS:
        first, data = timed(lambda fmt=fmt: build_export(fmt, snap, province))
        best = min(timed(lambda fmt=fmt: build_export(fmt, snap, province))[0] for _ in range(args.repeat))
        print(f"  {fmt:6} {first:7.2f}s {best:11.2f}s {len(data) / 1024:8.0f} KB")

    brief = content.build(snap, province)
    charts = [c for topic in brief.topics for c in topic.charts]
    t, _ = timed(lambda: [static_charts.render(c, 180, 100) for c in charts])
    print(f"  pdf: of which {len(charts)} matplotlib charts (SVG) {t:5.2f} s")

    county = Filters(args.year, ("NEY",))
    t = min(timed(lambda: build_export("pdf", snap, county))[0] for _ in range(args.repeat))
    print(f"  pdf for one county (NEY, best)         {t:6.2f} s")


if __name__ == "__main__":
    main()
