"""What changed between two snapshots, in a short Persian paragraph made from templates (no model): rows added or
corrected per table, the province KPIs of the year under review that moved most, and the counties whose status
changed."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from karnama import metrics
from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.data.snapshots import Snapshot, SnapshotStore
from karnama.importer import history

# (snapshot, Jalali year) -> {county code: (status key, Persian label)}; the verdict's per-county status rule.
StatusFn = Callable[[Snapshot, int], dict[str, tuple[str, str]]]
_NAMES = {c.code: c.name_fa for c in COUNTIES}


@dataclass
class Changes:
    a: str
    b: str
    year: int
    diff: history.SnapshotDiff
    moves: list[history.KpiMove] = field(default_factory=list)  # of ``year``, largest relative change first
    status: list[tuple[str, str, str]] | None = None  # (county, before, after); None: no status rule given
    paragraph: str = ""

    def as_json(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "year": self.year,
            "tables": self.diff.as_json()["tables"],
            "kpis": [m.__dict__ for m in self.moves],
            "status_changes": None
            if self.status is None
            else [{"county": c, "before": b, "after": a} for c, b, a in self.status],
            "paragraph": self.paragraph,
        }


def _size(move: history.KpiMove) -> float:
    before, after = move.before or 0, move.after or 0
    if not before:
        return math.inf if after else 0.0
    return abs(after - before) / abs(before)


def _show(key: str, value: float | int | None) -> str:
    if key in metrics.BY_KEY:
        return metrics.BY_KEY[key].format(value)
    if key in metrics.TARGET_KEYS:
        return metrics.BY_KEY[metrics.TARGET_KEYS[key]].format(value)
    return str(value)


def changes(
    store: SnapshotStore, a_id: str, b_id: str, year: int, status_fn: StatusFn | None = None, top: int = 3
) -> Changes:
    """What changed from snapshot A to B for the Jalali ``year`` under review."""
    d = history.diff(store, a_id, b_id)
    moves = sorted((m for m in d.kpis if m.year == year), key=_size, reverse=True)
    out = Changes(a_id, b_id, year, d, moves)
    if status_fn is not None:
        out.status = []
        before, after = status_fn(store.open(a_id), year), status_fn(store.open(b_id), year)
        for county in sorted(set(before) | set(after), key=lambda c: _NAMES.get(c, c)):
            b_key, b_label = before.get(county, ("", "—"))
            a_key, a_label = after.get(county, ("", "—"))
            if b_key != a_key:
                out.status.append((county, b_label, a_label))
    out.paragraph = paragraph(out, top)
    return out


def paragraph(c: Changes, top: int = 3) -> str:
    """The Persian paragraph: rows per table, the KPIs that moved most, the counties whose status changed."""
    parts = []
    for table, t in c.diff.tables.items():
        if t.added or t.changed or t.removed:
            part = texts.CHANGES_ROWS_PART.format(
                table=texts.FRESH_TABLES.get(table, table), added=fa.num(t.added), changed=fa.num(t.changed)
            )
            if t.removed:
                part += texts.CHANGES_ROWS_REMOVED.format(removed=fa.num(t.removed))
            parts.append(part)
    sentences = [texts.CHANGES_ROWS.format(parts="؛ ".join(parts)) if parts else texts.CHANGES_NONE]
    if c.moves:
        kpis = "، ".join(
            texts.CHANGES_KPI_PART.format(label=m.label, before=_show(m.key, m.before), after=_show(m.key, m.after))
            for m in c.moves[:top]
        )
        sentences.append(texts.CHANGES_KPIS.format(year=fa.year(c.year), parts=kpis))
    else:
        sentences.append(texts.CHANGES_NO_KPI.format(year=fa.year(c.year)))
    if c.status is None:
        pass
    elif c.status:
        shown = "، ".join(
            texts.CHANGES_STATUS_PART.format(county=_NAMES.get(county, county), before=b, after=a)
            for county, b, a in c.status
        )
        sentences.append(texts.CHANGES_STATUS.format(parts=shown))
    else:
        sentences.append(texts.CHANGES_NO_STATUS)
    return " ".join(sentences)


def default_status_fn() -> StatusFn | None:
    """The verdict's per-county status rule, when the metrics layer provides one (None until then)."""
    fn = getattr(metrics, "county_statuses", None)
    return fn if callable(fn) else None
