"""Check an upload against the active snapshot (nothing written), then publish it as a new snapshot.

``check`` reads every file, validates every cell, and works out what publishing would do to each table; it
never writes. ``publish`` is the only write: the previous snapshot with the uploaded rows upserted by each
table's natural key (or whole tables replaced), published atomically by :class:`SnapshotStore`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import jdatetime
import pyarrow as pa
import pyarrow.compute as pc

from karnama.access import audit
from karnama.core import texts
from karnama.core.counties import COUNTIES
from karnama.core.schema import TABLES
from karnama.data import query
from karnama.data.snapshots import Snapshot, SnapshotError, SnapshotStore
from karnama.importer import checks, consistency
from karnama.importer.merge import upsert
from karnama.importer.readers import Limits, gc_paused, read_upload
from karnama.importer.report import Counts, Findings, HasProblems, Problem
from karnama.importer.validate import Parsed, check_duplicates, identify, validate_sheet

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


class ImportRefused(Exception):
    """Publishing is not possible (errors remain, or the data changed since the check). Persian message."""


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the user gave it, and its bytes."""

    name: str
    data: bytes


@dataclass
class Report(HasProblems):
    """Everything a check found, and the tables publishing would write."""

    base_id: str | None
    replace: bool
    sources: list[str]
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    tables: dict[str, pa.Table] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Publishable: no error and at least one table with rows."""
        return not self.errors and bool(self.tables)

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "base_snapshot": self.base_id,
            "mode": "replace" if self.replace else "upsert",
            "files": self.sources,
            "errors": [p.as_json() for p in self.errors],
            "warnings": [p.as_json() for p in self.warnings],
            "tables": {t: c.as_json() for t, c in self.counts.items()},
            "seconds": round(self.seconds, 3),
        }


def _base(store: SnapshotStore) -> Snapshot | None:
    try:
        return store.resolve().snapshot
    except SnapshotError:
        return None


def _counties_table() -> pa.Table:
    spec = TABLES["counties"]
    rows = [(c.code, c.name_fa, c.name_en, c.seat_en, c.lat, c.lon, c.parent_code, c.established_jy) for c in COUNTIES]
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(spec.column_names)}).cast(spec.arrow_schema)


def base_tables(store: SnapshotStore, snap: Snapshot | None) -> dict[str, pa.Table]:
    """Every table of the base snapshot (the bundled county list and empty tables when there is none)."""
    if snap is None:
        out = {name: spec.arrow_schema.empty_table() for name, spec in TABLES.items()}
        out["counties"] = _counties_table()
        return out
    return {name: store.read_table(snap, name) for name in TABLES}


def check(
    uploads: Sequence[Upload],
    store: SnapshotStore,
    *,
    replace: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
) -> Report:
    """Read and validate the uploads and plan the publish. Writes nothing. ``today`` (Tehran's date by default)
    is the latest date data may hold."""
    with gc_paused():
        return _check(uploads, store, replace=replace, limits=limits, today=today)


def _check(
    uploads: Sequence[Upload],
    store: SnapshotStore,
    *,
    replace: bool,
    limits: Limits | None,
    today: dt.date | None,
) -> Report:
    started = time.perf_counter()
    today = today or today_tehran()
    limits = limits or Limits()
    snap = _base(store)
    report = Report(snap.id if snap else None, replace, [u.name for u in uploads])
    findings = Findings()
    if not uploads:
        findings.error(texts.IMP_NO_FILES)
    base = base_tables(store, snap)
    county_rows = base["counties"].to_pylist()
    names = {r["code"]: r["name_fa"] for r in county_rows}
    lookup: dict[str, str] = {}
    for r in county_rows:
        for spelling in (r["code"], r["name_fa"], r["name_en"]):
            lookup[spelling] = r["code"]
    first_years = {r["code"]: r["established_jy"] + 1 for r in county_rows if r["established_jy"]}

    parsed: dict[str, Parsed] = {}
    header_only = []
    rows_left = limits.max_rows  # one cap for all files of an upload: it bounds the check's memory
    for upload in uploads:
        sheets = read_upload(upload.name, upload.data, dataclasses.replace(limits, rows_left=rows_left), findings)
        rows_left = max(0, rows_left - sum(len(raw.rows) for raw in sheets))
        for raw in sheets:
            table = identify(raw, findings)
            if table is None:
                continue
            result = validate_sheet(raw, TABLES[table], lookup, findings)
            if result is None:
                continue
            if not raw.rows:
                header_only.append(raw)
            elif table in parsed:
                parsed[table].extend(result)
            else:
                parsed[table] = result
    # A template sheet left empty is normal next to filled ones; an upload with no data rows at all is an error.
    report_empty = findings.warning if parsed or findings.errors else findings.error
    for raw in header_only:
        report_empty(texts.IMP_NO_ROWS, source=raw.source, sheet=raw.sheet, row=raw.header_row)
    if uploads and not parsed and not findings.errors:
        findings.error(texts.IMP_NOTHING_FOUND)

    for name, rows in parsed.items():
        rows = parsed[name] = check_duplicates(rows, findings)
        if not len(rows):
            continue
        consistency.date_order(rows, findings)
        consistency.future(rows, today, findings)
        try:
            uploaded = rows.arrow()
        except (pa.ArrowException, OverflowError, ValueError) as exc:  # every cell was checked: a bug, not a crash
            findings.error(texts.IMP_CHECK_FAILED.format(kind=type(exc).__name__), table=name)
            continue
        spec = TABLES[name]
        merged, counts = upsert(base[name], uploaded, spec.key, replace=replace)
        report.counts[name] = counts
        report.tables[name] = merged
        if name in checks.MONTHLY_TABLES:
            checks.monthly_gaps(name, uploaded, merged, names, findings, spec.label_fa)
        checks.split_counties(name, uploaded, first_years, names, findings, spec.label_fa)
    if "monitoring" in parsed and len(parsed["monitoring"]):
        consistency.visits(parsed["monitoring"], report.tables.get("loans", base["loans"]), findings)
    report.problems = findings.problems
    report.seconds = time.perf_counter() - started
    return report


def today_tehran() -> dt.date:
    return dt.datetime.now(TEHRAN).date()


def data_end(tables: dict[str, pa.Table]) -> dt.date | None:
    """The last day the tables describe: their latest date, or the last day of their latest Jalali month."""
    ends = []
    for name, table in tables.items():
        spec = TABLES[name]
        if table.num_rows == 0:
            continue
        for col in spec.columns:
            if pa.types.is_date(col.type):
                latest = pc.max(table[col.name]).as_py()
                if latest:
                    ends.append(latest)
        if {"year", "month"} <= set(spec.column_names) and name != "targets":
            ym = pc.max(
                pc.add(pc.multiply(table["year"].cast(pa.int32()), 100), table["month"].cast(pa.int32()))
            ).as_py()
            if ym:
                y, m = divmod(ym, 100)
                nxt = jdatetime.date(y + (m == 12), m % 12 + 1, 1).togregorian()
                ends.append(nxt - dt.timedelta(days=1))
    return max(ends) if ends else None


def publish(
    report: Report,
    store: SnapshotStore,
    *,
    author: str | None = None,
    as_of: dt.date | None = None,
    fault: Callable[[str], None] | None = None,
) -> Snapshot:
    """Publish a checked upload as the new active snapshot. Refused while errors remain or if the active
    snapshot changed since the check (someone else published or rolled back)."""
    if report.errors:
        raise ImportRefused(texts.IMP_REFUSED_ERRORS)
    if not report.tables:
        raise ImportRefused(texts.IMP_NOTHING_FOUND)
    snap = _base(store)
    if (snap.id if snap else None) != report.base_id:
        raise ImportRefused(texts.IMP_STALE)
    store.clean_staging()  # what a killed import left behind (never a publish still running)
    tables = base_tables(store, snap)
    tables.update(report.tables)
    if as_of is None:
        end = data_end(report.tables)
        candidates = [d for d in (snap.as_of if snap else None, min(end, today_tehran()) if end else None) if d]
        as_of = max(candidates) if candidates else today_tehran()
    extra = {
        "import": {
            "mode": "replace" if report.replace else "upsert",
            "files": report.sources,
            "tables": {t: c.as_json() for t, c in report.counts.items()},
            "warnings": len(report.warnings),
        },
        # the audit chain's head now: a later cut of the log's tail shows against it (audit.check_heads)
        **audit.manifest_head(store.root),
    }
    # An import brings real rows: the result is never the demo, even when merged onto it (the demo flag only
    # labels data as made up; it must not keep real rows under that banner).
    snap = store.publish(
        tables,
        source="import: " + ", ".join(report.sources),
        as_of=as_of,
        parent=report.base_id,
        author=author,
        demo=False,
        extra=extra,
        fault=fault,
    )
    # Pre-aggregate now, so the first dashboard visit after a large import does not pay for it. The snapshot is
    # already published and verified; a failure here only means the app builds the rollups on first open.
    try:
        query.prepare(snap)
    except Exception:
        pass
    return snap
