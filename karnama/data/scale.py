"""Scale runs of the demo generator: about N record-level rows over ten Jalali years, for the benchmark.

``python -m karnama demo --rows N`` uses the demo's own generator (so the data stays coherent: every monitoring
visit belongs to a loan project, targets follow the clients, split counties follow their parents), over the
Jalali years 1394–1403 with the demo's reference year 1401, and turns the two knobs ``demo.build`` has:
``volume`` (loans and their monitoring visits, the largest tables) and ``se_volume`` (supported-employment
clients and their targets). The monthly tables (incentives, licensed centres) keep their natural size: their
natural key (county or centre × month × kind) bounds them to a few thousand rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from karnama.data import demo

SCALE_YEARS: tuple[int, ...] = tuple(range(1394, 1404))
# Share of the rows given to supported-employment clients; loans and monitoring take the rest.
SE_SHARE = 0.10
MIN_ROWS = 20_000
FIXED_TABLES = ("counties", "incentives", "centre_employment", "targets")


@dataclass(frozen=True)
class ScalePlan:
    """The generator settings for about ``rows`` rows."""

    rows: int
    years: tuple[int, ...]
    volume: float
    se_volume: float


@lru_cache(maxsize=4)
def _unit_rows(seed: int) -> tuple[int, int, int]:
    """Rows at volume 1 over the scale years: (loans + monitoring, SE clients, the fixed-size tables)."""
    tables, _ = demo.build(seed=seed, reference_year=demo.DEFAULT_REFERENCE_YEAR, years=SCALE_YEARS)
    lm = tables["loans"].num_rows + tables["monitoring"].num_rows
    fixed = sum(tables[t].num_rows for t in FIXED_TABLES)
    return lm, tables["se_clients"].num_rows, fixed


def plan(rows: int, seed: int = demo.DEFAULT_SEED) -> ScalePlan:
    """Settings that make the generator write about ``rows`` rows (within a few per cent).

    Rows grow linearly with both knobs, so one small calibration build at volume 1 gives the rates."""
    if rows < MIN_ROWS:
        raise ValueError(f"--rows must be at least {MIN_ROWS:,} (the demo alone has about 15,000 rows)")
    lm, se, fixed = _unit_rows(seed)
    se_rows = rows * SE_SHARE
    lm_rows = max(rows - fixed - se_rows, lm)
    return ScalePlan(rows, SCALE_YEARS, volume=round(lm_rows / lm, 3), se_volume=round(max(se_rows / se, 1.0), 3))
