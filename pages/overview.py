"""Overview: one card per headline KPI with target, year-over-year change and pace; counties ranked by progress."""

import streamlit as st

from karnama import fa, metrics, texts, ui
from karnama.query import run

view = ui.page_view(texts.PAGE_OVERVIEW)

values = metrics.compute(view.snapshot, view.filters, view.scope)
cards = metrics.headline()
for start in range(0, len(cards), 4):
    cols = st.columns(4)
    for col, metric in zip(cols, cards[start:start + 4]):
        with col:
            ui.kpi_card(metric, values, view.as_of)

st.subheader(texts.RANK_TITLE, anchor=False)
ranking = run(view.snapshot, "se_progress_by_county", view.filters.params(), view.scope)
if ranking.empty:
    ui.empty_state(view)
else:
    table = ranking.assign(
        **{
            texts.RANK_COUNTY: ranking["name_fa"],
            texts.RANK_ACHIEVED: ranking["stabilised"].map(fa.num),
            texts.RANK_TARGET: ranking["target"].map(fa.num),
            texts.RANK_PROGRESS: ranking["progress"].map(fa.pct),
            texts.RANK_STATUS: ranking["progress"].map(
                lambda p: texts.LAGGARD if p is not None and p == p and p < 0.75 else texts.ON_TRACK),
        }
    )[[texts.RANK_COUNTY, texts.RANK_ACHIEVED, texts.RANK_TARGET, texts.RANK_PROGRESS, texts.RANK_STATUS]]
    ui.static_table(table)
