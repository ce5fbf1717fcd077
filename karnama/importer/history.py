"""Snapshot history: what changed between two snapshots (rows per table, KPI values) and rolling back."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from karnama import metrics
from karnama.core import texts
from karnama.core.schema import TABLES
from karnama.data import catalog
from karnama.data.query import Filters
from karnama.data.snapshots import Snapshot, SnapshotStore
from karnama.importer.merge import compare


@dataclass(frozen=True)
class TableDiff:
    added: int
    changed: int
    removed: int
    unchanged: int


@dataclass(frozen=True)
class KpiMove:
    """A province-wide KPI (or target) of one Jalali year whose value differs between the two snapshots."""

    year: int
    key: str
    label: str
    before: float | int | None
    after: float | int | None


@dataclass
class SnapshotDiff:
    a: str
    b: str
    tables: dict[str, TableDiff] = field(default_factory=dict)
    kpis: list[KpiMove] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "tables": {t: asdict(d) for t, d in self.tables.items()},
            "kpis": [asdict(m) for m in self.kpis],
        }


def _label(key: str) -> str:
    if key in metrics.BY_KEY:
        return metrics.BY_KEY[key].label
    if key in metrics.TARGET_KEYS:
        return f"{texts.TARGET} — {metrics.BY_KEY[metrics.TARGET_KEYS[key]].label}"
    return key


def _same(x, y) -> bool:
    """Equal values: whole numbers exactly (one rial in a billion is a change), fractions up to float noise."""
    if x is None or y is None:
        return x is None and y is None
    if isinstance(x, int) and isinstance(y, int):
        return x == y
    return math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-12)


def kpi_moves(a: Snapshot, b: Snapshot) -> list[KpiMove]:
    """Every province-wide KPI and target, for every Jalali year either snapshot holds, that moved."""
    moves = []
    for year in sorted(set(catalog.years(a)) | set(catalog.years(b))):
        before = metrics.compute(a, Filters(year)).as_json_values()
        after = metrics.compute(b, Filters(year)).as_json_values()
        for key in after:
            if not _same(before.get(key), after.get(key)):
                moves.append(KpiMove(year, key, _label(key), before.get(key), after.get(key)))
    return moves


def diff(store: SnapshotStore, a_id: str, b_id: str, kpis: bool = True) -> SnapshotDiff:
    """Rows added/changed/removed per table (by natural key) and the KPI values that moved, from A to B."""
    a, b = store.open(a_id), store.open(b_id)
    out = SnapshotDiff(a.id, b.id)
    for name, spec in TABLES.items():
        c = compare(store.read_table(a, name), store.read_table(b, name), spec.key)
        out.tables[name] = TableDiff(c.added, c.changed, c.removed, c.unchanged)
    if kpis:
        out.kpis = kpi_moves(a, b)
    return out


def rollback(store: SnapshotStore, snapshot_id: str) -> Snapshot:
    """Make an older (verified) snapshot active again. Nothing is deleted; rolling forward works the same way."""
    return store.activate(snapshot_id)
