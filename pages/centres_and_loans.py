"""Licensed centres (clients vs family members, graduates) and employment-facilitation loans by county."""

import streamlit as st

from karnama import metrics
from karnama.core import fa, schema, texts
from karnama.data.query import run
from karnama.web import cards, charts, figures, frame

view = frame.page_view(texts.PAGE_CENTRES_LOANS)
frame.stop_without_data(view)
params = view.filters.params()

st.header(texts.CEN_TITLE, anchor=False)
cards.topic_cards(view, "centres")
figures.county_breakdown(
    view,
    run(view.snapshot, "centres_by_county", params, view.scope),
    {"clients": texts.CEN_CLIENTS, "family": texts.CEN_FAMILY},
    {
        "clients": (texts.CEN_CLIENTS, fa.num),
        "family": (texts.CEN_FAMILY, fa.num),
        "total": (texts.INC_TOTAL, fa.num),
        "graduates": (texts.CEN_GRADUATES, fa.num),
        "centres": (texts.CEN_COUNT, fa.num),
    },
    "centres-by-county",
    key="cen_county",
    title=texts.CEN_TITLE,
    stacked=True,
    against=metrics.BY_KEY["centre_employment"],
    against_label=texts.SERIES_EMPLOYED,
)

st.header(texts.LOAN_TITLE, anchor=False)
cards.topic_cards(view, "loans")
if figures.county_breakdown(
    view,
    run(view.snapshot, "loans_by_county", params, view.scope),
    {"planned_jobs": texts.LOAN_JOBS, "projects": texts.LOAN_PROJECTS},
    {
        "projects": (texts.LOAN_PROJECTS, fa.num),
        "amount_rials": (texts.LOAN_AMOUNT, fa.rials),
        "planned_jobs": (texts.LOAN_JOBS, fa.num),
        "amount_per_job": (texts.LOAN_PER_JOB, fa.rials),
    },
    "loans-by-county",
    key="loan_county",
    title=texts.LOAN_TITLE,
    against=metrics.BY_KEY["loans_planned_jobs"],
    against_label=texts.LOAN_JOBS,
):
    st.subheader(texts.LOAN_BY_KIND, anchor=False)
    kinds = run(view.snapshot, "loans_by_kind", params, view.scope)
    figures.chart(
        figures.prepared(
            charts.donut,
            kinds["kind"].map(schema.LOAN_KINDS).tolist(),
            kinds["projects"].tolist(),
            what=texts.LOAN_BY_KIND,
        ),
        key="loan_kind",
    )
