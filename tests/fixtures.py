"""A small hand-made snapshot whose KPI values can be worked out by hand (see the comments)."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pyarrow as pa

from karnama.core.counties import COUNTIES
from karnama.core.schema import TABLES


def j(y: int, m: int, d: int) -> dt.date:
    return jdatetime.date(y, m, d).togregorian()


def _table(name: str, rows: list[tuple]) -> pa.Table:
    spec = TABLES[name]
    cols = {c: [r[i] for r in rows] for i, c in enumerate(spec.column_names)}
    return pa.table(cols).cast(spec.arrow_schema) if rows else spec.arrow_schema.empty_table()


AS_OF = j(1402, 6, 31)  # exactly half of 1402 (186 of 365 days... see test) has elapsed


def tables() -> dict[str, pa.Table]:
    counties = _table(
        "counties",
        [(c.code, c.name_fa, c.name_en, c.seat_en, c.lat, c.lon, c.parent_code, c.established_jy) for c in COUNTIES],
    )
    targets = _table(
        "targets",
        [
            (1402, "MSH", "se_stabilised", 4.0),
            (1402, "NEY", "se_stabilised", 2.0),
            (1402, None, "centre_employment", 10.0),
        ],
    )
    se = _table(
        "se_clients",
        [
            # MSH: two stabilised in 1402, one in 1401; NEY: one placed in 1402, not stabilised
            ("c1", "MSH", "SE-A", j(1401, 1, 10), 5, j(1401, 5, 1), j(1402, 2, 1), "physical", "male"),
            ("c2", "MSH", "SE-A", j(1401, 3, 10), 5, j(1401, 9, 1), j(1402, 6, 30), "visual", "female"),
            ("c3", "MSH", "SE-A", j(1400, 3, 10), 5, j(1400, 9, 1), j(1401, 1, 5), "hearing", "female"),
            ("c4", "NEY", "SE-B", j(1401, 12, 1), 4, j(1402, 3, 1), None, "intellectual", "male"),
            ("c5", "NEY", "SE-B", j(1402, 4, 1), 2, None, None, "autism", "male"),
        ],
    )
    incentives = _table(
        "incentives",
        [
            ("MSH", 1402, 1, "employer_share", "stabilisation", 5, 5_000_000),
            ("MSH", 1402, 2, "employer_share", "stabilisation", 3, 3_000_000),
            ("NEY", 1402, 1, "self_employment", "creation", 2, 1_000_000),
            ("NEY", 1401, 7, "efficiency_subsidy", "stabilisation", 4, 2_000_000),
            ("MSH", 1401, 7, "employer_share", "stabilisation", 4, 4_000_000),
        ],
    )
    centres = _table(
        "centre_employment",
        [
            ("Centre 1", "MSH", 1402, 1, 3, 1, 2),
            ("Centre 2", "NEY", 1402, 2, 2, 0, 1),
            ("Centre 1", "MSH", 1401, 5, 1, 1, 0),
        ],
    )
    loans = _table(
        "loans",
        [
            ("P1", "MSH", j(1401, 2, 1), 1_000_000_000, 2, "creation"),
            ("P2", "MSH", j(1401, 8, 1), 2_000_000_000, 3, "development"),
            ("P3", "NEY", j(1401, 9, 1), 500_000_000, 1, "stabilisation"),
            ("P4", "NEY", j(1402, 1, 20), 700_000_000, 2, "creation"),
        ],
    )
    monitoring = _table(
        "monitoring",
        [
            ("P1", "MSH", "in_person", j(1401, 11, 5), "active"),
            ("P1", "MSH", "in_person", j(1402, 3, 5), "active"),  # a second visit counts once
            ("P3", "NEY", "in_person", j(1402, 4, 10), "changed"),
            ("P2", "MSH", "remote", j(1402, 2, 2), "active"),
            ("P3", "NEY", "remote", j(1402, 3, 3), "inactive"),
            ("P4", "NEY", "remote", j(1402, 5, 3), "active"),
        ],
    )
    return {
        "counties": counties,
        "targets": targets,
        "se_clients": se,
        "incentives": incentives,
        "centre_employment": centres,
        "loans": loans,
        "monitoring": monitoring,
    }
