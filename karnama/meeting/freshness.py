"""Data freshness per county and table: the Jalali month the data reaches, the months expected but missing, and
the snapshot that last changed the county's rows.

A county is expected to report a monthly table (insurance incentives, licensed-centre employment) for every month of
the as-of year up to the last month that has ended by the snapshot's as-of date, once it reports that table at
all (rows in that year or the year before) and has data of its own (a split-off county from the year after its
split). The months expected but missing are those after the last month its rows reach: a month inside that range
without rows may be a month with nobody to count (a county sends a row with 0 to say so), so it is not called
missing. Date-based tables (loans, visits, SE clients) have no monthly duty: only the month they reach is told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import jdatetime

from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.data.query import run
from karnama.data.snapshots import Snapshot, SnapshotError, SnapshotStore

MONTHLY_TABLES = ("incentives", "centre_employment")
TABLES = ("incentives", "centre_employment", "se_clients", "loans", "monitoring")
_FIRST_YEAR = {c.code: c.first_year for c in COUNTIES}

YearMonth = tuple[int, int]


@dataclass(frozen=True)
class Freshness:
    """One county's data in one table."""

    table: str
    county: str
    reaches: YearMonth | None  # the latest Jalali (year, month) with rows
    missing: tuple[YearMonth, ...]  # expected months without rows (monthly tables only)
    last_changed: str | None  # the snapshot that last changed these rows (None: never had rows)
    last_changed_on: dt.date | None  # that snapshot's creation day (UTC)

    @property
    def expected_missing(self) -> bool:
        return bool(self.missing)

    def as_json(self) -> dict:
        out = asdict(self)
        out["reaches"] = f"{self.reaches[0]}-{self.reaches[1]:02d}" if self.reaches else None
        out["missing"] = [f"{y}-{m:02d}" for y, m in self.missing]
        out["last_changed_on"] = self.last_changed_on.isoformat() if self.last_changed_on else None
        return out


def last_full_month(as_of: dt.date) -> YearMonth:
    """The latest Jalali month that has ended by ``as_of`` (the as-of month itself when as-of is its last day)."""
    j = jdatetime.date.fromgregorian(date=as_of)
    if (j + jdatetime.timedelta(days=1)).month != j.month:
        return j.year, j.month
    return (j.year, j.month - 1) if j.month > 1 else (j.year - 1, 12)


def expected_months(as_of: dt.date) -> list[YearMonth]:
    """Months a monthly table should cover in the as-of year: Farvardin to the last month ended by as-of."""
    year, last = last_full_month(as_of)
    return [(year, m) for m in range(1, last + 1)]


def _months(snapshot: Snapshot, counties: Iterable[str], scope: Iterable[str] | None) -> dict:
    frame = run(snapshot, "data_months", {"counties": list(counties)}, scope)
    out: dict[tuple[str, str], set[YearMonth]] = {}
    for table, county, year, month in frame.itertuples(index=False):
        out.setdefault((table, county), set()).add((int(year), int(month)))
    return out


def _fingerprints(snapshot: Snapshot, counties: Iterable[str], scope: Iterable[str] | None) -> dict:
    frame = run(snapshot, "county_fingerprints", {"counties": list(counties)}, scope)
    return {(t, c): (int(n), f) for t, c, n, f in frame.itertuples(index=False)}


def _chain(store: SnapshotStore, snapshot: Snapshot, limit: int = 200) -> list[Snapshot]:
    """The snapshot and its ancestors (by the manifest's parent), newest first; a damaged one ends the chain."""
    chain = [snapshot]
    seen = {snapshot.id}
    while len(chain) < limit:
        parent = chain[-1].manifest.get("parent")
        if not parent or parent in seen:
            break
        try:
            chain.append(store.open(parent))
        except SnapshotError:
            break
        seen.add(parent)
    return chain


def freshness(
    store: SnapshotStore, snapshot: Snapshot, counties: Iterable[str] = (), scope: Iterable[str] | None = None
) -> list[Freshness]:
    """Freshness of every county-level table for every county in view (``counties`` empty = all, narrowed to
    ``scope``), as of ``snapshot``."""
    counties = tuple(counties)
    months = _months(snapshot, counties, scope)
    chain = _chain(store, snapshot)
    prints = [_fingerprints(s, counties, scope) for s in chain]
    year, _ = last_full_month(snapshot.as_of)
    expected = expected_months(snapshot.as_of)
    codes = sorted({c for _, c in prints[0]} | {c for _, c in months})
    out = []
    for table in TABLES:
        for county in codes:
            have = months.get((table, county), set())
            reaches = max(have) if have else None
            missing: tuple[YearMonth, ...] = ()
            first = _FIRST_YEAR.get(county)
            reports = any(y in (year, year - 1) for y, _ in have)
            if table in MONTHLY_TABLES and reports and (first is None or first <= year):
                missing = tuple(m for m in expected if reaches is None or m > reaches)
            changed = None
            current = prints[0].get((table, county))
            if current is not None:
                changed = chain[-1]
                for newer, older_prints in zip(chain, prints[1:]):
                    if older_prints.get((table, county)) != current:
                        changed = newer
                        break
            out.append(
                Freshness(
                    table,
                    county,
                    reaches,
                    missing,
                    changed.id if changed else None,
                    changed.created_utc.date() if changed else None,
                )
            )
    return out


def not_reported(rows: Iterable[Freshness], as_of: dt.date) -> list[str]:
    """Counties missing the latest expected month of a monthly table they report (the meeting's "not reported
    this month" list), sorted by code."""
    latest = last_full_month(as_of)
    return sorted({r.county for r in rows if r.table in MONTHLY_TABLES and latest in r.missing})


def not_reported_sentence(rows: Iterable[Freshness], as_of: dt.date, names: dict[str, str]) -> str:
    """«شهرستان‌هایی که دادهٔ مهر ۱۴۰۳ را نفرستاده‌اند: …», or that every county has sent it."""
    late = not_reported(rows, as_of)
    year, month = last_full_month(as_of)
    label = fa.month_label(month, year)
    if not late:
        return texts.FRESH_ALL_REPORTED.format(month=label)
    return texts.FRESH_NOT_REPORTED.format(month=label, names="، ".join(names.get(c, c) for c in late))


def reaches_label(row: Freshness, names: dict[str, str]) -> str:
    """«دادهٔ نیشابور تا مرداد ۱۴۰۳», or that there is no data. Always with the year: the note sits under a view of
    any year, where a bare month would read as that year's."""
    name = names.get(row.county, row.county)
    if row.reaches is None:
        return texts.FRESH_NONE.format(county=name)
    year, month = row.reaches
    return texts.FRESH_REACHES.format(county=name, month=fa.month_label(month, year))
