"""Showing plotly figures: the toolbar, click-a-county-to-filter, the per-county breakdown with its table.

Figures are built once per input and kept as their JSON (:func:`prepared`): building a plotly figure validates
every property of every trace and serialising it again on every rerun was about half of the server's work per
filter change. Charts are drawn by plotly.js *basic* in karnama.web.plot, not by ``st.plotly_chart`` (whose full
plotly.js took about a second of the browser's main thread on a fresh page load). A rerun whose chart inputs did
not change rebuilds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.io as pio
import streamlit as st
from plotly.basedatatypes import BaseFigure

from karnama import status, verdict
from karnama.core import texts
from karnama.core.lru import BoundedCache
from karnama.core.tabular import digest_or_none
from karnama.data.query import run
from karnama.metrics import Metric
from karnama.web import charts, plot
from karnama.web.filters import View
from karnama.web.frame import empty_state
from karnama.web.tables import table

# No toolbar: its buttons are English tooltips, and hover, zoom by drag and a county click need none of them.
CONFIG = {"displaylogo": False, "displayModeBar": False, "locale": "fa", "scrollZoom": False}


@dataclass(frozen=True)
class Prepared:
    """A figure built and serialised once (see :func:`prepared`): its plotly JSON, drawn as is by
    karnama.web.plot (nothing parses or validates it again on the server), and its Persian text alternative."""

    spec: str
    alt: str

    def to_dict(self) -> dict:
        """The figure as a fresh dict (tests read it)."""
        return json.loads(self.spec)

    def __repr__(self) -> str:
        return f"Prepared({len(self.spec)} bytes)"


# Figure JSON by builder and fingerprinted inputs: bounded by count and by size (a county map is ~100 kB).
FIGURE_CACHE_ENTRIES = 512
FIGURE_CACHE_BYTES = 64 * 1024 * 1024
_FIGURES: BoundedCache[Prepared] = BoundedCache(
    FIGURE_CACHE_ENTRIES, FIGURE_CACHE_BYTES, weight=lambda fig: len(fig.spec)
)


class _Unkeyable(Exception):
    pass


def _fingerprint(value: Any) -> Any:
    """A hashable stand-in for a chart input, equal only for inputs that draw the same figure: frames by a digest
    of their pickled content (columns, dtypes, index, every value); containers element by element (dict order kept: it is the order of
    the series); other values with their type (1 and 1.0 and True are different inputs)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        digest = digest_or_none(value)
        if digest is None:
            raise _Unkeyable
        return (type(value).__name__, digest)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_fingerprint(k), _fingerprint(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError as exc:
        raise _Unkeyable from exc
    return (type(value), value)


def _build(build: Callable[..., BaseFigure], what: str, args: tuple, kwargs: dict) -> Prepared:
    fig = build(*args, **kwargs)
    return Prepared(pio.to_json(fig, validate=False), charts.describe(fig, what))


def prepared(build: Callable[..., BaseFigure], *args: Any, what: str = "", **kwargs: Any) -> Prepared:
    """``build(*args, **kwargs)`` (a karnama.web.charts builder, a pure function of its arguments) as a
    :class:`Prepared` figure, from the cache when the same builder was given the same inputs before.

    ``what`` names the chart in its text alternative. The key is made from the inputs themselves, so a
    different snapshot, year, county or account scope (each of which changes a chart's frame) never shares an
    entry; inputs that cannot be fingerprinted are built without the cache."""
    try:
        key = (build, what, _fingerprint(args), _fingerprint(kwargs))
        hash(key)
    except (_Unkeyable, TypeError, ValueError):
        return _build(build, what, args, kwargs)
    return _FIGURES.get_or_make(key, lambda: _build(build, what, args, kwargs))


def clear_figures() -> None:
    """Forget every cached figure (tests and benchmarks)."""
    _FIGURES.clear()


def chart(fig, key: str, counties_clickable: bool = False, alt: str | None = None) -> None:
    """Show a plotly figure (or a :class:`Prepared` one) with a short Persian text alternative for screen
    readers (``alt``, else a summary of its bars); with ``counties_clickable`` a click on a county filters the
    dashboard to it. Drawn by plotly.js-basic (karnama.web.plot), not st.plotly_chart's full plotly.js."""
    if alt is None:
        alt = fig.alt if isinstance(fig, Prepared) else charts.describe(fig)
    spec = fig.spec if isinstance(fig, Prepared) else pio.to_json(fig, validate=False)
    plot.plot(spec, key=key, config=CONFIG, alt=alt or None, counties_clickable=counties_clickable)


def month_notes(view: View) -> None:
    """Under a monthly chart: which way time runs and, for a year in progress, which month is still partial."""
    st.caption(texts.TIME_DIRECTION)
    partial = status.partial_month_note(view.filters.year, view.snapshot.as_of)
    if partial:
        st.caption(partial)


def county_breakdown(
    view: View,
    frame: pd.DataFrame,
    series: dict[str, str],
    columns: dict[str, tuple[str, Callable]],
    name: str,
    key: str,
    title: str,
    stacked: bool = False,
    against: Metric | None = None,
    against_label: str = "",
) -> bool:
    """A per-county bar chart (a click filters to the county) and, folded under it, its table with downloads.

    ``series`` maps columns to bar names; ``columns`` maps table columns to (Persian header, formatter).
    ``against``: a metric with per-county targets (a column of kpi_by_county). When two or more counties in view
    have a target of their own, the chart is each one's progress against it, coloured by the one status rule and
    furthest behind first (the overview's ranking and map say the same), ``against_label`` naming what is counted;
    the table gains each county's status. With no rows it says so instead and returns False."""

    # One container whatever it holds (a chart, a table row, an empty state), so that the elements after it keep
    # their places when a filter changes what it holds (see meeting_panel.place_kept).
    with st.container():
        if frame.empty:
            empty_state(view)
            return False

        ranked = _ranked(view, against) if against is not None else None
        if ranked is not None and not (ranked["target"] > 0).any():
            ranked = None  # no county has a target of its own (a province target only): nothing to rank against
        if ranked is not None:
            words = ranked.set_index("county_code")["status"].map(status.label)
            frame = frame.assign(status_fa=frame["county_code"].map(words).fillna(status.label(None)))
            columns = {**columns, "status_fa": (texts.RANK_STATUS, str)}
        raw = frame[["name_fa", *columns]].rename(
            columns={"name_fa": texts.COLUMN_COUNTY, **{c: header for c, (header, _) in columns.items()}}
        )
        display = raw.assign(**{header: raw[header].map(fmt) for header, fmt in columns.values()})
        if len(frame) < 2:  # one county in view: a chart of one bar says nothing its row does not
            table(display, raw, name, key=f"{key}_t")
            return True
        rows = verdict.progress_rows(ranked) if ranked is not None else None
        if against is not None and rows is not None:
            fig = prepared(
                charts.county_progress,
                rows,
                float(view.elapsed),
                against_label or against.card_label,
                against.format,
                what=title,
            )
            chart(fig, key=key, counties_clickable=True)
            st.caption(verdict.progress_note(view.elapsed))
            without = verdict.without_target(ranked)
            if without:
                st.caption(texts.PROGRESS_WITHOUT_TARGET.format(names="، ".join(without)))
        else:
            ordered = charts.sort_by(frame, next(iter(series)))  # largest first: the order of every county chart
            fig = prepared(charts.bars, ordered, "name_fa", series, codes="county_code", stacked=stacked, what=title)
            chart(fig, key=key, counties_clickable=True)
        st.caption(texts.CLICK_TO_FILTER)
        with st.expander(title):
            table(display, raw, name, key=f"{key}_t")
        return True


def _ranked(view: View, metric: Metric) -> pd.DataFrame:
    """verdict.county_status of ``metric`` for the counties in view (kpi_by_county, as the overview reads it)."""
    by_county = run(view.snapshot, "kpi_by_county", view.filters.params(), view.scope)
    return verdict.county_status(by_county, metric, view.elapsed)
