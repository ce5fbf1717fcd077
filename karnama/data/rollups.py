"""Pre-aggregated tables (rollups) of a snapshot, so no dashboard rerun scans record-level rows.

The record-level tables (SE clients, loans, monitoring visits) grow with the data; the dashboard only ever asks
for counts and sums by county, Jalali year/month and a few categories. ``queries/rollups/<name>.sql`` aggregate
the rows once to that grain (a few thousand rows however big the snapshot) and the dashboard queries read the
``agg_*`` tables instead of joining millions of rows to the calendar on every filter change.

A snapshot never changes, so its rollups never go stale: they are written once next to the data directory's
snapshots (``<data dir>/.rollups/<snapshot id>-<key>/``), where the key hashes the snapshot's file checksums,
the rollup SQL and the calendar range; any change to those gives a new key. A missing or unreadable cache is
rebuilt from the snapshot's files (and written back when the directory is writable).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from karnama.core import paths
from karnama.data.snapshots import Snapshot

ROLLUPS_DIR = paths.ROLLUPS_DIR
NAMES: tuple[str, ...] = (
    "agg_se_events",
    "agg_se_funnel",
    "agg_loans",
    "agg_monitoring",
    "agg_coverage",
    "agg_fingerprints",
    "kpi_facts",  # the KPI layer: reads the agg_* tables above, so it comes last
)
CACHE_DIR = ".rollups"
FORMAT = 1  # bump when the cache layout changes


def sql(name: str) -> str:
    """The text of queries/rollups/<name>.sql."""
    return (ROLLUPS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def cache_key(snapshot: Snapshot, calendar_years: tuple[int, int]) -> str:
    """A digest of everything the rollups depend on: the snapshot's files, the rollup SQL, the calendar."""
    h = hashlib.sha256()
    h.update(json.dumps([FORMAT, list(calendar_years)]).encode())
    for table, meta in sorted(snapshot.manifest["tables"].items()):
        h.update(f"{table}:{meta['sha256']}\n".encode())
    for name in NAMES:
        h.update(sql(name).encode())
    return h.hexdigest()[:20]


def cache_path(snapshot: Snapshot, calendar_years: tuple[int, int]) -> Path:
    """Where this snapshot's rollups are kept: under the data directory, never inside the immutable snapshot."""
    return snapshot.path.parent.parent / CACHE_DIR / f"{snapshot.id}-{cache_key(snapshot, calendar_years)}"


def _load(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    # The relational API names the table without building SQL text around it.
    con.from_arrow(table).create(name)


def _read_cache(path: Path) -> dict[str, pa.Table] | None:
    try:
        return {name: pq.read_table(path / f"{name}.parquet") for name in NAMES}
    except (OSError, pa.ArrowException):
        return None


def _write_cache(path: Path, tables: dict[str, pa.Table]) -> None:
    """Write into a temporary directory, then rename: a reader sees all the files or none."""
    tmp = path.parent / f".tmp-{path.name}-{secrets.token_hex(4)}"
    try:
        tmp.mkdir(parents=True)
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet")
            os.chmod(tmp / f"{name}.parquet", 0o640)  # aggregates of the same data: not world-readable either
        os.rename(tmp, path)
    except OSError:  # read-only data directory, or another process got there first: the tables are in memory
        shutil.rmtree(tmp, ignore_errors=True)


def attach(con: duckdb.DuckDBPyConnection, snapshot: Snapshot, calendar_years: tuple[int, int]) -> bool:
    """Create the ``agg_*`` tables in ``con`` (which already has the snapshot's views and ``calendar``).

    Returns True when they came from the cache, False when they were built from the rows."""
    path = cache_path(snapshot, calendar_years)
    cached = _read_cache(path) if path.is_dir() else None
    if cached is not None:
        for name, table in cached.items():
            _load(con, name, table)
        return True
    built = {}
    for name in NAMES:
        con.sql(sql(name)).create(name)
        built[name] = con.table(name).to_arrow_table()
    _write_cache(path, built)
    return False
