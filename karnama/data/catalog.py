"""Counties and years of a snapshot, and resolving what a user typed (a code or a Persian/English name)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from karnama.core.normalize import name_key
from karnama.data.query import run, session_scope
from karnama.data.snapshots import Snapshot


@dataclass(frozen=True)
class CountyRow:
    code: str
    name_fa: str
    name_en: str
    lat: float
    lon: float


def counties(snapshot: Snapshot) -> list[CountyRow]:
    """Every county of the snapshot, by Persian name."""
    return list(_counties(snapshot, session_scope()))


@lru_cache(maxsize=64)
def _counties(snapshot: Snapshot, scope: frozenset[str] | None) -> tuple[CountyRow, ...]:
    # Once per snapshot (by id and path; a snapshot never changes) and bound scope (the query narrows the list to
    # a county account's counties): every rerun asks several times.
    frame = run(snapshot, "counties", {"counties": []})
    return tuple(CountyRow(r.code, r.name_fa, r.name_en, r.lat, r.lon) for r in frame.itertuples())


def county_names(snapshot: Snapshot) -> dict[str, str]:
    """Code -> Persian name."""
    return {c.code: c.name_fa for c in counties(snapshot)}


def years(snapshot: Snapshot) -> list[int]:
    """Jalali years that hold data, newest first."""
    return [int(y) for y in run(snapshot, "years", {"counties": []})["year"]]


def resolve_county(snapshot: Snapshot, text: str) -> str | None:
    """The county code for a code, a Persian name (any common spelling) or an English name; None if unknown."""
    key = name_key(text)
    for c in counties(snapshot):
        if key in (c.code.lower(), name_key(c.name_fa), name_key(c.name_en)):
            return c.code
    return None


def year_has_data(
    snapshot: Snapshot, year: int, counties: tuple[str, ...] = (), scope: frozenset[str] | None = None
) -> bool:
    """Whether a Jalali year holds any data for the counties (the years years.sql would list for them).

    One query per snapshot and scope (every county's years, cached) answers every later choice of counties,
    instead of a query per new choice."""
    frame = run(snapshot, "county_years", {"counties": []}, scope)
    rows = frame[frame["year"] == year]["county_code"]
    wanted = set(counties)
    return any(code is None or pd.isna(code) or not wanted or code in wanted for code in rows)
