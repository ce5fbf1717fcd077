"""KPI cards: value, change against the previous Jalali year, target progress and pace."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from karnama import metrics
from karnama.core import fa, texts
from karnama.metrics import KpiValues, Metric, pace_status
from karnama.web.filters import View


def kpi_card(metric: Metric, values: KpiValues, as_of: dt.date) -> None:
    """One KPI: value, change against the previous Jalali year and, with a target, progress and pace."""
    value = values.current.get(metric.key)
    change = values.change(metric.key)
    elapsed = fa.year_elapsed(values.filters.year, as_of)
    delta = None
    if change is not None:
        # The arrow shows the direction, so the number is shown without a sign.
        delta = f"{fa.pct(abs(change))} {texts.VS_PREVIOUS.format(year=fa.year(values.filters.year - 1))}"
        if elapsed < 1:
            # A year still in progress is compared with the whole of the previous one: say so.
            delta += " " + texts.PARTIAL_YEAR
    with st.container(border=True):
        st.metric(
            metric.card_label,
            metric.format(value),
            delta=delta,
            delta_arrow="off" if change is None else ("up" if change > 0 else "down" if change < 0 else "off"),
            delta_color="normal",
            help=metric.help_text,
        )
        target = values.target(metric)
        if target:
            share = (value or 0) / target
            st.progress(
                min(max(share, 0.0), 1.0), text=texts.OF_TARGET.format(pct=fa.pct(share), target=metric.format(target))
            )
            st.caption(f"{texts.PACE.format(elapsed=fa.pct(elapsed))} — {pace_status(share, elapsed)}")


def kpi_grid(cards: list[Metric], values: KpiValues, as_of: dt.date, per_row: int = 4) -> None:
    """KPI cards in rows of ``per_row``."""
    for start in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, metric in zip(cols, cards[start : start + per_row]):
            with col:
                kpi_card(metric, values, as_of)


def topic_cards(view: View, topic: str, per_row: int = 4) -> KpiValues:
    """Compute a topic's metrics for the view and draw its cards; returns the values for the rest of the page."""
    values = metrics.compute(view.snapshot, view.filters, view.scope, metrics.by_topic(topic))
    kpi_grid(metrics.cards(topic), values, view.as_of, per_row=per_row)
    return values
