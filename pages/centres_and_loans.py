"""Licensed centres (clients vs family members, graduates) and employment-facilitation loans by county."""

import streamlit as st

from karnama import charts, fa, metrics, schema, texts, ui
from karnama.query import run

view = ui.page_view(texts.PAGE_CENTRES_LOANS)
if not ui.year_has_data(view):
    ui.empty_state(view)
    st.stop()
params = view.filters.params()

st.header(texts.CEN_TITLE, anchor=False)
values = metrics.compute(view.snapshot, view.filters, view.scope,
                         metrics.by_topic("centres") + metrics.by_topic("loans"))
ui.kpi_grid(metrics.by_topic("centres"), values, view.as_of)
centres = run(view.snapshot, "centres_by_county", params, view.scope)
if centres.empty:
    ui.empty_state(view)
else:
    ui.chart(charts.bars(centres, "name_fa", {"clients": texts.CEN_CLIENTS, "family": texts.CEN_FAMILY},
                         codes="county_code", stacked=True), key="cen_county", counties_clickable=True)
    st.caption(texts.CLICK_TO_FILTER)
    raw = centres.drop(columns="county_code")
    raw.columns = [texts.COLUMN_COUNTY, texts.CEN_CLIENTS, texts.CEN_FAMILY, texts.INC_TOTAL, texts.CEN_GRADUATES,
                   texts.CEN_COUNT]
    display = raw.assign(**{c: raw[c].map(fa.num) for c in raw.columns[1:]})
    with st.expander(texts.CEN_TITLE):
        ui.table(display, raw, "centres-by-county", key="cen_t")

st.header(texts.LOAN_TITLE, anchor=False)
ui.kpi_grid(metrics.by_topic("loans"), values, view.as_of)
loans = run(view.snapshot, "loans_by_county", params, view.scope)
if loans.empty:
    ui.empty_state(view)
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        ui.chart(charts.bars(loans, "name_fa", {"planned_jobs": texts.LOAN_JOBS, "projects": texts.LOAN_PROJECTS},
                             codes="county_code"), key="loan_county", counties_clickable=True)
        st.caption(texts.CLICK_TO_FILTER)
    with right:
        st.subheader(texts.LOAN_BY_KIND, anchor=False)
        kinds = run(view.snapshot, "loans_by_kind", params, view.scope)
        ui.chart(charts.donut(kinds["kind"].map(schema.LOAN_KINDS).tolist(), kinds["projects"].tolist()),
                 key="loan_kind")
    raw = loans.drop(columns="county_code")
    raw.columns = [texts.COLUMN_COUNTY, texts.LOAN_PROJECTS, texts.LOAN_AMOUNT, texts.LOAN_JOBS, texts.LOAN_PER_JOB]
    display = raw.assign(**{texts.LOAN_PROJECTS: raw[texts.LOAN_PROJECTS].map(fa.num),
                            texts.LOAN_JOBS: raw[texts.LOAN_JOBS].map(fa.num),
                            texts.LOAN_AMOUNT: raw[texts.LOAN_AMOUNT].map(fa.rials),
                            texts.LOAN_PER_JOB: raw[texts.LOAN_PER_JOB].map(fa.rials)})
    with st.expander(texts.LOAN_TITLE):
        ui.table(display, raw, "loans-by-county", key="loan_t")
