"""Insurance incentives: the three kinds × stabilisation / creation, by county and year, people and money."""

import streamlit as st

from karnama import metrics, status
from karnama.core import fa, schema, texts
from karnama.data.query import run
from karnama.exports import content
from karnama.web import cards, charts, figures, frame, tables

view = frame.page_view(texts.PAGE_INCENTIVES)
frame.stop_without_data(view)

values = cards.topic_cards(view, "incentives", per_row=3)
params = view.filters.params()

st.subheader(texts.INC_BY_KIND, anchor=False)
kinds = run(view.snapshot, "incentives_by_kind", params, view.scope)
kinds["kind_fa"] = kinds["kind"].map(schema.INCENTIVE_KINDS)
pivot = (
    kinds.pivot(index="kind_fa", columns="purpose", values="beneficiaries")
    .reindex(list(schema.INCENTIVE_KINDS.values()))
    .reset_index()
)
figures.chart(
    figures.prepared(
        charts.bars,
        pivot,
        "kind_fa",
        {"stabilisation": texts.INC_STAB, "creation": texts.INC_CREATION},
        what=texts.INC_BY_KIND,
    ),
    key="inc_kind",
)
# The previous figure and the change come from the KPI view-model, so a year in progress is compared with the same
# months of the year before, as on the cards.
keys = "incentive_" + kinds["kind"] + "_" + kinds["purpose"]
kpis = keys.map(lambda k: values.kpi(metrics.BY_KEY[k]))
kinds["beneficiaries_previous"] = kpis.map(lambda k: k.previous)
kinds["beneficiaries_compared"] = kpis.map(lambda k: k.compared_value)
raw = kinds.assign(purpose_fa=kinds["purpose"].map(schema.INCENTIVE_PURPOSES), change=kpis.map(lambda k: k.change))
comparison = values.comparison
# A year in progress: the change compares the same complete months of both years; both stand beside it.
span = content.span_header(comparison)
people = (
    ["beneficiaries", "beneficiaries_compared", "beneficiaries_previous"]
    if span
    else ["beneficiaries", "beneficiaries_previous"]
)
raw = raw[["kind_fa", "purpose_fa", *people, "change", "amount_rials"]]
# Each count says which span it covers: the year (so far), then the compared months of both years.
people_headers = [f"{texts.INC_PEOPLE} — {texts.COL_VALUE.format(year=fa.year(view.filters.year))}"]
if span:
    people_headers.append(f"{texts.INC_PEOPLE} — {span}")
people_headers.append(f"{texts.INC_PEOPLE} — {comparison.short}" if comparison else texts.INC_PEOPLE_PREV)
raw.columns = [texts.INC_KIND, texts.INC_PURPOSE, *people_headers, texts.INC_CHANGE, texts.INC_AMOUNT]
display = raw.assign(
    **{h: raw[h].map(fa.num) for h in people_headers},
    **{
        texts.INC_CHANGE: raw[texts.INC_CHANGE].map(fa.signed_pct),
        texts.INC_AMOUNT: raw[texts.INC_AMOUNT].map(fa.rials),
    },
)
tables.table(display, raw, "incentives-by-kind", key="inc_kind_t")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(texts.INC_BY_COUNTY, anchor=False)
    by_county = run(view.snapshot, "incentives_by_county", params, view.scope)
    figures.county_breakdown(
        view,
        by_county[by_county["total"] > 0],
        {"stabilisation": texts.INC_STAB, "creation": texts.INC_CREATION},
        {
            "stabilisation": (texts.INC_STAB, fa.num),
            "creation": (texts.INC_CREATION, fa.num),
            "total": (texts.INC_TOTAL, fa.num),
            "total_previous": (texts.INC_PEOPLE_PREV, fa.num),
            "amount_rials": (texts.INC_AMOUNT, fa.rials),
        },
        "incentives-by-county",
        key="inc_county",
        title=texts.INC_BY_COUNTY,
        stacked=True,
    )
with right:
    st.subheader(texts.INC_BY_YEAR, anchor=False)
    years = run(view.snapshot, "incentives_by_year", {"counties": list(view.filters.counties)}, view.scope)
    by_year = years.pivot(index="year", columns="purpose", values="beneficiaries").fillna(0).reset_index()
    # A year still in progress is marked on the axis, so its shorter bar is not read as a fall; isolated as
    # right-to-left, as plotly lays labels out left to right and read «(تا ۱۵ آبان)» backwards.
    by_year["year_fa"] = by_year["year"].map(lambda y: fa.rtl(status.year_label(int(y), view.as_of)))
    series = {
        c: label for c, label in (("stabilisation", texts.INC_STAB), ("creation", texts.INC_CREATION)) if c in by_year
    }
    figures.chart(
        figures.prepared(charts.bars, by_year, "year_fa", series, stacked=True, what=texts.INC_BY_YEAR), key="inc_years"
    )
