"""Showing plotly figures: the toolbar, click-a-county-to-filter, the per-county breakdown with its table."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from karnama.core import texts
from karnama.web import charts
from karnama.web.filters import View
from karnama.web.frame import empty_state
from karnama.web.tables import table


def _filter_to_clicked_county(chart_key: str) -> None:
    """on_select callback: a click on a county's bar or dot makes it the county filter (before widgets exist)."""
    state = st.session_state.get(chart_key)
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for p in points:
        custom = p.get("customdata")
        code = custom[0] if isinstance(custom, (list, tuple)) and custom else None
        if code:
            st.session_state["f_counties"] = [code]
            return


# No toolbar: its buttons are English tooltips, and hover, zoom by drag and a county click need none of them.
CONFIG = {"displaylogo": False, "displayModeBar": False, "locale": "fa", "scrollZoom": False}


def chart(fig, key: str, counties_clickable: bool = False, alt: str | None = None) -> None:
    """Show a plotly figure with a short Persian text alternative for screen readers (``alt``, else a summary
    of its bars); with ``counties_clickable`` a click on a county filters the dashboard to it."""
    alt = (alt if alt is not None else charts.describe(fig)) or None
    if counties_clickable:
        st.plotly_chart(
            fig,
            key=key,
            on_select=lambda: _filter_to_clicked_county(key),
            selection_mode="points",
            config=CONFIG,
            alt=alt,
        )
    else:
        st.plotly_chart(fig, key=key, config=CONFIG, alt=alt)


def county_breakdown(
    view: View,
    frame: pd.DataFrame,
    series: dict[str, str],
    columns: dict[str, tuple[str, Callable]],
    name: str,
    key: str,
    title: str,
    stacked: bool = False,
) -> bool:
    """A per-county bar chart (a click filters to the county) and, folded under it, its table with downloads.

    ``series`` maps columns to bar names; ``columns`` maps table columns to (Persian header, formatter).
    With no rows it says so instead and returns False."""

    if frame.empty:
        empty_state(view)
        return False

    ordered = charts.sort_by(frame, next(iter(series)))  # largest first: the order of every county chart
    fig = charts.bars(ordered, "name_fa", series, codes="county_code", stacked=stacked)
    chart(fig, key=key, counties_clickable=True, alt=charts.describe(fig, title))
    st.caption(texts.CLICK_TO_FILTER)
    raw = frame[["name_fa", *columns]].rename(
        columns={"name_fa": texts.COLUMN_COUNTY, **{c: header for c, (header, _) in columns.items()}}
    )
    display = raw.assign(**{header: raw[header].map(fmt) for header, fmt in columns.values()})
    with st.expander(title):
        table(display, raw, name, key=f"{key}_t")
    return True
