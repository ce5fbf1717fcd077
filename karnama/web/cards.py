"""KPI cards: value, change against the compared span of the previous year, target progress, status, forecast.

Every card renders a :class:`karnama.metrics.Kpi` (the one view-model), so the card, the presentation screen and
the exports say the same thing.
"""

from __future__ import annotations

import copy
import datetime as dt

import streamlit as st

from karnama import metrics, verdict
from karnama.core import fa, texts
from karnama.core.lru import BoundedCache
from karnama.data import query
from karnama.data.query import run
from karnama.metrics import Kpi, KpiValues, Metric
from karnama.status import Comparison
from karnama.web import meeting_panel, notes_panel
from karnama.web.filters import View


def kpi_metric(kpi: Kpi, label: str | None = None) -> None:
    """The st.metric of a KPI: the signed change, coloured by what it means (never green for bad news). What the
    change is measured against is said once above the cards (:func:`basis_caption`), not on each of them."""
    st.metric(
        label or kpi.metric.card_label,
        kpi.text,
        delta=kpi.delta_text,
        delta_color=kpi.delta_tone,
        delta_arrow=kpi.delta_arrow,
        help=kpi.metric.help_text,
    )


def basis_caption(comparison: Comparison | None) -> None:
    """«مبنای مقایسه: فروردین تا مهر ۱۴۰۳ نسبت به فروردین تا مهر ۱۴۰۲», once above a group of cards: every card of
    a view compares the same spans."""
    if comparison is not None:
        st.caption(f"{texts.COL_BASIS}: {comparison.label}")


def status_line(kpi: Kpi) -> None:
    """The status word in its colour, as plain text (never Markdown), with the share of the year elapsed."""
    if not kpi.status:
        return
    # Static markup around escaped text: the label comes from texts.py, the numbers from fa.
    st.html(
        f'<div class="karnama-status" data-status="{kpi.status}" style="color:{kpi.status_colour};'
        f'font-weight:700">{_escape(kpi.status_label)}</div>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def kpi_card(metric: Metric, values: KpiValues, as_of: dt.date | None = None) -> None:
    """One KPI: value, the change and, with a target, progress, status and the year-end forecast."""
    kpi = values.kpi(metric)
    with st.container(border=True):
        kpi_metric(kpi)
        if kpi.target:
            share = kpi.progress or 0.0
            st.progress(
                min(max(share, 0.0), 1.0),
                text=texts.OF_TARGET.format(pct=fa.pct(share), target=metric.format(kpi.target)),
            )
        if kpi.status:
            status_line(kpi)
            if kpi.elapsed < 1:
                st.caption(texts.PACE.format(elapsed=fa.pct(kpi.elapsed)))
            if kpi.forecast is not None:
                st.caption(kpi.forecast_text)


def kpi_grid(cards: list[Metric], values: KpiValues, as_of: dt.date | None = None, per_row: int = 4) -> None:
    """KPI cards in rows of ``per_row``, under the comparison basis they share (when any of them has a change)."""
    if any(values.kpi(m).delta is not None for m in cards):
        basis_caption(values.comparison)
    for start in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, metric in zip(cols, cards[start : start + per_row]):
            with col:
                kpi_card(metric, values, as_of)


def verdict_box(sentence: str) -> None:
    """A verdict sentence (karnama/verdict.py) as plain, escaped text in a quiet box."""
    st.html(f'<div class="karnama-verdict" dir="rtl">{_escape(sentence)}</div>')


# KPI values by (snapshot, filters, account scope, the run's bound scope): metrics.compute is a pure function
# of those (a snapshot never changes), and its pandas work was a fifth of a warm rerun.
VALUES_ENTRIES = 256
_VALUES: BoundedCache[KpiValues] = BoundedCache(VALUES_ENTRIES)


def kpi_values(view: View) -> KpiValues:
    """``metrics.compute`` for the view, computed once per snapshot, filters and scope; every caller gets its own
    copy (the values hold dicts a caller could change)."""
    bound = query.session_scope()
    key = (
        str(view.snapshot.path),
        view.snapshot.id,
        view.filters,
        None if view.scope is None else frozenset(view.scope),
        bound,
    )
    return copy.deepcopy(_VALUES.get_or_make(key, lambda: metrics.compute(view.snapshot, view.filters, view.scope)))


def clear_kpi_values() -> None:
    """Forget the cached KPI values (tests and benchmarks)."""
    _VALUES.clear()


def topic_cards(view: View, topic: str, per_row: int = 4) -> KpiValues:
    """Compute a topic's metrics for the view, say its verdict and draw its cards; returns the values."""
    values = kpi_values(view)
    by_county = run(view.snapshot, "kpi_by_county", view.filters.params(), view.scope)
    verdict_box(verdict.topic(topic, values, by_county))
    kpi_grid(metrics.cards(topic), values, view.as_of, per_row=per_row)
    if view.filters.counties:  # how far the chosen counties' data reaches, under their cards
        meeting_panel.freshness_notes(view)
    else:  # its place kept (see meeting_panel.place_kept)
        meeting_panel.place_kept()
    notes_panel.panel(view, [topic, *(m.key for m in metrics.by_topic(topic))], key=f"notes_{topic}")
    return values
