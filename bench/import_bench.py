"""Benchmark: validate and publish a 100,000-row workbook (prints figures; not a test).

    python bench/import_bench.py [--rows 100000] [--data-dir DIR] [--compare-readers]

Builds a workbook the way county offices fill the template (Persian county names in several spellings, Jalali
dates as text, amounts with Persian digits and separators), copies the data directory (the bundled demo by
default) to a temporary one, then times ``check`` (read + validate + plan) and ``publish``.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402

from karnama.core import fa  # noqa: E402
from karnama.core.counties import COUNTIES  # noqa: E402
from karnama.core.paths import default_data_dir  # noqa: E402
from karnama.core.schema import TABLES  # noqa: E402
from karnama.data.snapshots import SnapshotStore  # noqa: E402
from karnama.importer import Upload, check, publish  # noqa: E402
from karnama.importer.readers import Limits, read_upload  # noqa: E402
from karnama.importer.report import Findings  # noqa: E402


def build(rows: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    names = (
        [c.name_fa for c in COUNTIES]
        + ["شهرستان " + c.name_fa.replace("ی", "ي") for c in COUNTIES]
        + [c.code for c in COUNTIES]
    )
    kinds = ["ایجاد", "توسعه", "تثبیت", "creation"]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(TABLES["loans"].label_fa)
    ws.write_row(0, 0, [c.label_fa for c in TABLES["loans"].columns])
    for i in range(rows):
        y, m, d = rng.choice((1401, 1402, 1403)), rng.randint(1, 12), rng.randint(1, 29)
        date = f"{y}/{m:02d}/{d:02d}" if i % 2 else fa.digits(f"{y}-{m}-{d}")
        amount = rng.randrange(100, 5000) * 1_000_000
        ws.write_row(
            i + 1,
            0,
            [
                f"B-{i:07d}",
                rng.choice(names),
                date,
                fa.num(amount) if i % 3 == 0 else amount,
                rng.randint(1, 5),
                rng.choice(kinds),
            ],
        )
    wb.close()
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--data-dir", default=str(default_data_dir()))
    ap.add_argument("--compare-readers", action="store_true", help="also time openpyxl on the same workbook")
    args = ap.parse_args()

    t = time.perf_counter()
    data = build(args.rows)
    print(
        f"workbook: {args.rows:,} rows x 6 columns, {len(data) / 2**20:.1f} MB (built in {time.perf_counter() - t:.1f} s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(args.data_dir, root, ignore=shutil.ignore_patterns(".staging", "users*", "audit*"))
        store = SnapshotStore(root)
        base = store.resolve().snapshot
        print(f"base snapshot: {base.id} ({sum(base.rows(n) for n in TABLES):,} rows)")

        t = time.perf_counter()
        sheets = read_upload("bench.xlsx", data, Limits(), Findings())
        read_s = time.perf_counter() - t
        print(f"read (zip checks + calamine): {read_s:.2f} s, {sum(len(s.rows) for s in sheets):,} rows")

        if args.compare_readers:
            import openpyxl

            t = time.perf_counter()
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
            print(f"for comparison, openpyxl read-only: {time.perf_counter() - t:.2f} s, {n - 1:,} rows")

        t = time.perf_counter()
        report = check([Upload("bench.xlsx", data)], store)
        check_s = time.perf_counter() - t
        assert report.ok, report.problems[:5]
        c = report.counts["loans"]
        print(
            f"check (read + validate + plan): {check_s:.2f} s — {c.added:,} added, {c.replaced:,} replaced, "
            f"{c.unchanged:,} unchanged, {len(report.warnings)} warnings"
        )

        t = time.perf_counter()
        snap = publish(report, store, author="bench")
        publish_s = time.perf_counter() - t
        print(f"publish (write, fsync, verify, rename, activate): {publish_s:.2f} s -> {snap.id}")

        t = time.perf_counter()
        again = check([Upload("bench.xlsx", data)], store)
        print(
            f"re-check of the same file against the new snapshot: {time.perf_counter() - t:.2f} s — "
            f"{again.counts['loans'].unchanged:,} unchanged"
        )
        print(f"total validate + publish: {check_s + publish_s:.2f} s")
        print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
