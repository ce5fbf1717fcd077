"""Overview: the verdict, headline KPI cards (target, change, status, forecast), counties ranked by progress under
the one status rule, the laggard list and the map."""

import streamlit as st

from karnama import metrics, status, verdict
from karnama.core import texts
from karnama.data.query import run
from karnama.web import cards, county_map, frame, meeting_panel, notes_panel, tables

view = frame.page_view(texts.PAGE_OVERVIEW)

frame.stop_without_data(view)

values = cards.kpi_values(view)
by_county = run(view.snapshot, "kpi_by_county", view.filters.params(), view.scope)
cards.verdict_box(verdict.headline(values, by_county))
cards.kpi_grid(metrics.headline(), values, view.as_of)
meeting_panel.freshness_notes(view)
meeting_panel.changes_expander(view)
notes_panel.panel(view, [m.key for m in metrics.headline()], key="notes_overview")

SE = metrics.BY_KEY[metrics.RANKED]
left, right = st.columns([5, 4], gap="large")
with left:
    st.subheader(texts.RANK_TITLE, anchor=False)
    ranking = verdict.ranking(by_county, SE, view.elapsed)
    if ranking.empty:
        frame.empty_state(view)
    else:
        display, raw = tables.ranking_frames(ranking)
        with tables.box(len(display)):
            tables.static_table(
                display, colours={texts.RANK_STATUS: {status.label(k): status.colour(k) for k in status.STATES}}
            )
        tables.download_buttons(raw, "se-progress-by-county", key="rank")
    names = verdict.laggards(by_county, SE, view.elapsed)
    if len(by_county) > 1:
        st.markdown(f"**{texts.LAGGARD_TITLE}**")
        st.text(verdict.name_list(names, limit=len(names)) if names else texts.VERDICT_NO_LAGGARDS)
with right:
    county_map.render(view, default="se_status", key="overview")
