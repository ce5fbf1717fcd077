"""Supported employment (SE centres): the five-stage funnel, placements and stabilisations against target by
county and by centre, and the monthly trend. Only stabilised jobs count toward the target."""

import streamlit as st

from karnama import metrics, status
from karnama.core import fa, schema, texts
from karnama.data.query import run
from karnama.web import cards, charts, figures, frame, tables

view = frame.page_view(texts.PAGE_SE)
st.info(texts.SE_RULE, icon=":material/rule:")
frame.stop_without_data(view)

values = cards.topic_cards(view, "se", per_row=3)
params = view.filters.params()

left, right = st.columns(2, gap="large")
with left:
    st.subheader(texts.SE_FUNNEL, anchor=False)
    funnel = run(view.snapshot, "se_funnel", params, view.scope)
    names = [schema.SE_STAGES.get(int(s), texts.SE_STABILISED_STAGE) for s in funnel["stage"]]
    figures.chart(
        figures.prepared(charts.funnel, names, funnel["clients"].tolist(), what=texts.SE_FUNNEL), key="se_funnel"
    )
with right:
    st.subheader(texts.SE_BY_MONTH, anchor=False)
    months = run(view.snapshot, "se_by_month", params, view.scope)
    months = months[months["month"] <= status.months_shown(view.filters.year, view.snapshot.as_of)]
    figures.chart(
        figures.prepared(
            charts.months_line,
            months,
            "month",
            {
                "placed": texts.SE_PLACED,
                "stabilised": texts.SE_STABILISED,
                "stabilised_cumulative": texts.SE_CUMULATIVE,
            },
            target=values.targets.get("se_target"),
            target_label=texts.SE_TARGET_LINE,
            what=texts.SE_BY_MONTH,
        ),
        key="se_months",
    )
    figures.month_notes(view)

st.subheader(texts.SE_BY_COUNTY, anchor=False)
figures.county_breakdown(
    view,
    run(view.snapshot, "se_by_county", params, view.scope),
    {"placed": texts.SE_PLACED, "stabilised": texts.SE_STABILISED, "target": texts.TARGET},
    {
        "placed": (texts.SE_PLACED, fa.num),
        "stabilised": (texts.SE_STABILISED, fa.num),
        "target": (texts.TARGET, fa.num),
        "progress": (texts.SE_PROGRESS, fa.pct),
    },
    "se-by-county",
    key="se_county",
    title=texts.SE_BY_COUNTY,
    against=metrics.BY_KEY["se_stabilised"],
    against_label=texts.SE_STABILISED,
)

st.subheader(texts.SE_BY_CENTRE, anchor=False)
by_centre = run(view.snapshot, "se_by_centre", params, view.scope)
if by_centre.empty:
    frame.empty_state(view)
else:
    raw = by_centre.rename(
        columns={
            "centre": texts.COLUMN_CENTRE,
            "enrolled": texts.SE_ENROLLED,
            "placed": texts.SE_PLACED,
            "stabilised": texts.SE_STABILISED,
        }
    )
    display = raw.assign(**{c: raw[c].map(fa.num) for c in raw.columns[1:]})
    tables.table(display, raw, "se-by-centre", key="se_centre")
    if view.filters.counties:  # a centre serves several counties: here it counts the chosen ones' clients only
        st.caption(texts.SE_CENTRE_SCOPED.format(where=view.where))
