"""Monitoring of loan-funded projects: in-person coverage of projects, remote coverage of counties, the
timeline from Bahman, outcomes, and the counties not yet covered, by name."""

import streamlit as st

from karnama import metrics, status
from karnama.core import fa, schema, texts
from karnama.data.query import run
from karnama.web import cards, charts, county_map, figures, frame, plain, tables

view = frame.page_view(texts.PAGE_MONITORING)
frame.stop_without_data(view)
params = view.filters.params()

cards.topic_cards(view, "monitoring", per_row=3)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(texts.MON_TIMELINE, anchor=False)
    months = run(view.snapshot, "monitoring_by_month", params, view.scope)
    reached = [status.month_reached(y, m, view.snapshot.as_of) for y, m in zip(months["year"], months["month"])]
    months = months[reached]
    figures.chart(
        figures.prepared(
            charts.months_line,
            months,
            "month",
            {"in_person": texts.MON_IN_PERSON, "remote": texts.MON_REMOTE},
            year_col="year",
            what=texts.MON_TIMELINE,
        ),
        key="mon_months",
    )
    figures.month_notes(view)
with right:
    st.subheader(texts.MON_OUTCOMES, anchor=False)
    outcomes = run(view.snapshot, "monitoring_outcomes", params, view.scope)
    totals = outcomes.groupby("outcome", sort=False)["visits"].sum()
    if totals.sum() == 0:
        frame.empty_state(view)
    else:
        figures.chart(
            figures.prepared(
                charts.donut,
                [schema.MONITORING_OUTCOMES[o] for o in totals.index],
                totals.tolist(),
                what=texts.MON_OUTCOMES,
            ),
            key="mon_outcomes",
        )
        raw = outcomes.assign(
            mode=outcomes["mode"].map(schema.MONITORING_MODES),
            outcome=outcomes["outcome"].map(schema.MONITORING_OUTCOMES),
        )
        raw.columns = [texts.MON_MODE, texts.MON_OUTCOME, texts.MON_VISITS]
        with st.expander(texts.MON_OUTCOMES):
            tables.table(
                raw.assign(**{texts.MON_VISITS: raw[texts.MON_VISITS].map(fa.num)}),
                raw,
                "monitoring-outcomes",
                key="mon_out_t",
            )

by_county = run(view.snapshot, "kpi_by_county", params, view.scope)
own = by_county[by_county["has_own_data"]]
st.subheader(texts.MON_NOT_REMOTE, anchor=False)
missing = own[~own["remote_monitored"]]["name_fa"].tolist()
if missing and not own["remote_monitored"].any():  # none at all: say so, rather than list every county
    plain.info(texts.MON_NO_REMOTE_YEAR.format(where=view.where, year=fa.year(view.filters.year)))
elif missing:
    plain.write("، ".join(missing) + f" ({fa.num(len(missing))} {metrics.UNITS['counties']})")
else:
    st.success(texts.MON_ALL_REMOTE)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(texts.MON_IN_PERSON_BY_COUNTY, anchor=False)
    due = own[own["projects_due"] > 0].sort_values("in_person_monitoring_project_coverage")
    if due.empty:
        frame.empty_state(view)
    else:
        raw = due[["name_fa", "projects_due", "in_person_projects_visited", "in_person_monitoring_project_coverage"]]
        raw.columns = [texts.COLUMN_COUNTY, texts.MON_DUE, texts.MON_VISITED, texts.MON_COVERAGE]
        display = raw.assign(
            **{
                texts.MON_DUE: raw[texts.MON_DUE].map(fa.num),
                texts.MON_VISITED: raw[texts.MON_VISITED].map(fa.num),
                texts.MON_COVERAGE: raw[texts.MON_COVERAGE].map(fa.pct),
            }
        )
        with tables.box(len(display)):
            tables.static_table(display)
        tables.download_buttons(raw, "in-person-coverage-by-county", key="mon_ip")
with right:
    county_map.render(view, default="in_person_monitoring_project_coverage", key="monitoring")
