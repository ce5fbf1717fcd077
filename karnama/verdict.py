"""Persian verdict sentences, from templates (no model): what was achieved against what target, the status, the
year-end forecast and the counties behind. The page, the presentation screen, the PDF and the deck's speaker notes
all show these same sentences.
"""

from __future__ import annotations

import math

import pandas as pd

from karnama import metrics
from karnama import status as status_rule
from karnama.core import fa, texts
from karnama.core.lru import BoundedCache
from karnama.core.tabular import digest_or_none
from karnama.metrics import Kpi, KpiValues, Metric

MAX_NAMED = 5  # counties named in a sentence; the rest are counted («و N شهرستان دیگر»)


# county_status by (frame content, metric, elapsed): a page asks for it several times per run (ranking, laggards,
# verdicts), each time the same small frame. Bounded; entries are never handed out, only shallow copies.
STATUS_ENTRIES = 128
_STATUS: BoundedCache[pd.DataFrame] = BoundedCache(STATUS_ENTRIES)


def county_status(by_county: pd.DataFrame, metric: Metric, elapsed: float) -> pd.DataFrame:
    """Per county (rows of kpi_by_county): value, own target, progress and status of ``metric`` under the one rule.

    Ordered from the furthest behind (lowest progress) to the furthest ahead; counties without a target last."""
    if metric.target is None or metric.target not in by_county.columns:
        raise ValueError(f"{metric.key} has no per-county target")
    digest = digest_or_none(by_county)
    if digest is None:
        hit = _county_status(by_county, metric, elapsed)
    else:
        key = (digest, metric.key, metric.target, float(elapsed))
        hit = _STATUS.get_or_make(key, lambda: _county_status(by_county, metric, elapsed))
    return hit.copy(deep=False)  # copy-on-write: a caller's changes never reach the cached frame


def _county_status(by_county: pd.DataFrame, metric: Metric, elapsed: float) -> pd.DataFrame:
    frame = by_county[["county_code", "name_fa", metric.key, metric.target]].copy()
    frame.columns = ["county_code", "name_fa", "value", "target"]
    frame["target"] = frame["target"].astype(float)
    frame["progress"] = frame["value"] / frame["target"].where(frame["target"] > 0)
    frame["status"] = [
        status_rule.status(v, None if pd.isna(t) else t, elapsed) for v, t in zip(frame["value"], frame["target"])
    ]
    return frame.sort_values(["progress", "name_fa"], ascending=[True, True], na_position="last").reset_index(drop=True)


def ranking(by_county: pd.DataFrame, metric: Metric, elapsed: float) -> pd.DataFrame:
    """The overview's ranking: :func:`county_status` without the counties that have neither a value nor a target."""
    ranked = county_status(by_county, metric, elapsed)
    return ranked[(ranked["value"] > 0) | ranked["target"].notna()]


def laggards(by_county: pd.DataFrame, metric: Metric, elapsed: float) -> list[str]:
    """Names of the counties whose status for ``metric`` is lagging, furthest behind first."""
    if len(by_county) < 2 or metric.target is None or metric.target not in by_county.columns:
        return []
    frame = county_status(by_county, metric, elapsed)
    return list(frame.loc[frame["status"].isin(status_rule.LAGGING), "name_fa"])


PROGRESS_MIN_COUNTIES = 2  # a progress-by-county chart needs this many counties with a target of their own


def progress_rows(ranked: pd.DataFrame) -> pd.DataFrame | None:
    """The rows of :func:`county_status`'s frame a progress-by-county chart draws (the counties with a target of
    their own, in its order), or None when fewer than :data:`PROGRESS_MIN_COUNTIES` have one."""
    rows = ranked[ranked["target"] > 0]
    return rows.reset_index(drop=True) if len(rows) >= PROGRESS_MIN_COUNTIES else None


def progress_lines(pace: float | None) -> list[tuple[float, str]]:
    """The lines a progress chart draws and names: the target (100%) and, for a year in progress (``pace`` < 1),
    the share of the year elapsed."""
    lines = [(1.0, texts.PROGRESS_TARGET_LINE)]
    if pace is not None and pace < 1:
        lines.append((pace, texts.PACE.format(elapsed=fa.pct(pace))))
    return lines


def pace_text(pace: float | None) -> str:
    """The pace a progress chart is read against, in words: «سپری‌شده از سال: ۶۳٪», or for a closed year that 100%
    is the target met."""
    return texts.PACE.format(elapsed=fa.pct(pace)) if pace is not None and pace < 1 else texts.PROGRESS_TARGET_REACHED


def without_target(ranked: pd.DataFrame) -> list[str]:
    """Names of the counties in :func:`county_status`'s frame that achieved something but have no target of their
    own: a progress chart has no bar for them, so it names them."""
    return list(ranked.loc[(ranked["value"] > 0) & ~(ranked["target"] > 0), "name_fa"])


def progress_note(elapsed: float) -> str:
    """How to read a progress-by-county chart (bar: share of the county's own target; colour: its status; the
    dashed line: the share of the year elapsed, which a bar on pace reaches; for a closed year, the target)."""
    return texts.PROGRESS_NOTE.format(pct=fa.pct(elapsed)) if elapsed < 1 else texts.PROGRESS_NOTE_CLOSED


def name_list(names: list[str], limit: int = MAX_NAMED) -> str:
    """«الف، ب، ج» or «الف، ب، ج، د، هـ و ۴ شهرستان دیگر»."""
    shown = "، ".join(names[:limit])
    if len(names) > limit:
        return texts.VERDICT_LAGGARDS_MORE.format(names=shown, n=fa.num(len(names) - limit))
    return shown


def kpi_sentence(kpi: Kpi) -> str:
    """One metric in words: against its target (status, forecast) or, without one, its change."""
    m = kpi.metric
    if kpi.target and kpi.status:
        text = texts.VERDICT_TARGET.format(
            label=m.card_label,
            value=kpi.text,
            pct=fa.pct(kpi.progress),
            target=m.format(kpi.target),
            status=kpi.status_label,
        )
        f = kpi.forecast
        if f is not None and f.closed:
            text += " " + (
                texts.VERDICT_CLOSED_SHORT.format(shortfall=m.format(f.shortfall))
                if f.shortfall > 0
                else texts.VERDICT_CLOSED_MET
            )
        elif f is not None:
            need = f.per_month_needed
            tail = (
                texts.VERDICT_FORECAST_SHORT.format(
                    shortfall=m.format(round(f.shortfall)), need=m.format(math.ceil(need or 0))
                )
                if round(f.shortfall) > 0  # as shown: a shortfall that rounds to none reads as the target met
                else texts.VERDICT_FORECAST_MET
            )
            text += " " + texts.VERDICT_FORECAST.format(
                expected=m.format(round(f.expected)), low=fa.num(f.low), high=fa.num(f.high), tail=tail
            )
        return text
    if kpi.delta is None:  # nothing to compare with (no previous figure, or 0): the figures, not a change
        if kpi.previous is None or kpi.comparison is None or math.isnan(kpi.previous):
            return texts.VERDICT_VALUE.format(label=m.card_label, value=kpi.text)
        if kpi.comparison.same_period:  # the year so far, then both sides of the comparison
            return texts.VERDICT_VALUE_SPANS.format(
                label=m.card_label,
                value=kpi.text,
                now=kpi.comparison.current_short,
                compared=m.format(kpi.compared_value),
                basis=kpi.comparison.short,
                previous=m.format(kpi.previous),
            )
        return texts.VERDICT_VALUE_BEFORE.format(
            label=m.card_label, value=kpi.text, basis=kpi.comparison.short, previous=m.format(kpi.previous)
        )
    basis = kpi.comparison.phrase if kpi.comparison else ""
    return texts.VERDICT_CHANGE.format(label=m.card_label, value=kpi.text, change=kpi.change_text, basis=basis)


def _with_laggards(text: str, by_county: pd.DataFrame | None, metric: Metric, elapsed: float) -> str:
    if by_county is None or len(by_county) < 2 or not metric.target:
        return text
    names = laggards(by_county, metric, elapsed)
    if names:
        return f"{text} {texts.VERDICT_LAGGARDS.format(names=name_list(names))}"
    if metric.target not in by_county.columns or not (by_county[metric.target].astype(float) > 0).any():
        # No county has a target of its own: none can be behind it, and saying so would contradict a province behind.
        return f"{text} {texts.VERDICT_NO_COUNTY_TARGETS}"
    return f"{text} {texts.VERDICT_NO_LAGGARDS}"


def headline(values: KpiValues, by_county: pd.DataFrame | None = None) -> str:
    """The headline sentence: the first headline metric with a target (supported employment), its status,
    forecast and lagging counties."""
    metric = next((m for m in metrics.headline() if m.target), metrics.headline()[0])
    return _with_laggards(kpi_sentence(values.kpi(metric)), by_county, metric, values.elapsed)


def _recorded(values: KpiValues, metric: metrics.Metric) -> bool:
    """Whether the metric has a figure other than zero this year or the year before (remote monitoring in the
    years before it began has neither)."""
    return any(
        v is not None and not math.isnan(v) and v != 0
        for v in (values.current.get(metric.key), values.previous.get(metric.key))
    )


def topic(key: str, values: KpiValues, by_county: pd.DataFrame | None = None) -> str:
    """The sentence of one topic: its metric with a target if it has one, else its first headline metric with a
    figure this year or the year before (a sentence about zero in both says nothing), else its first."""
    ms = metrics.by_topic(key)
    headline = [m for m in ms if m.headline]
    metric = (
        next((m for m in ms if m.target), None)
        or next((m for m in headline if _recorded(values, m)), None)
        or next(iter(headline), ms[0])
    )
    return _with_laggards(kpi_sentence(values.kpi(metric)), by_county, metric, values.elapsed)
