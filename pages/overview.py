"""Overview: headline KPI cards (target, year-over-year change, pace), counties ranked by progress, the map."""

import streamlit as st

from karnama import metrics
from karnama.core import fa, texts
from karnama.data.query import run
from karnama.web import cards, county_map, frame, tables

view = frame.page_view(texts.PAGE_OVERVIEW)

frame.stop_without_data(view)

values = metrics.compute(view.snapshot, view.filters, view.scope)
cards.kpi_grid(metrics.headline(), values, view.as_of)

left, right = st.columns([5, 4], gap="large")
with left:
    st.subheader(texts.RANK_TITLE, anchor=False)
    ranking = run(view.snapshot, "se_progress_by_county", view.filters.params(), view.scope)
    if ranking.empty:
        frame.empty_state(view)
    else:
        display = ranking.assign(
            **{
                texts.RANK_COUNTY: ranking["name_fa"],
                texts.RANK_ACHIEVED: ranking["stabilised"].map(fa.num),
                texts.RANK_TARGET: ranking["target"].map(fa.num),
                texts.RANK_PROGRESS: ranking["progress"].map(fa.pct),
                texts.RANK_STATUS: ranking["progress"].map(
                    lambda p: texts.LAGGARD if p == p and p is not None and p < 0.75 else texts.ON_TRACK
                ),
            }
        )[[texts.RANK_COUNTY, texts.RANK_ACHIEVED, texts.RANK_TARGET, texts.RANK_PROGRESS, texts.RANK_STATUS]]
        raw = ranking.rename(
            columns={
                "name_fa": texts.RANK_COUNTY,
                "stabilised": texts.RANK_ACHIEVED,
                "target": texts.RANK_TARGET,
                "progress": texts.RANK_PROGRESS,
            }
        )[[texts.RANK_COUNTY, texts.RANK_ACHIEVED, texts.RANK_TARGET, texts.RANK_PROGRESS]]
        with st.container(height=520, border=False):
            tables.static_table(display, highlight={texts.RANK_STATUS: texts.LAGGARD})
        tables.download_buttons(raw, "se-progress-by-county", key="rank")
with right:
    county_map.render(view, default="se_progress", key="overview")
