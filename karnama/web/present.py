"""Presentation mode: one KPI topic per screen in large type for the current filters, no sidebar or widgets."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from karnama.core import fa, texts
from karnama.exports import content
from karnama.web import cards, charts
from karnama.web.filters import View

SLIDE_KEY = "present_slide"

FIGURES_PER_SCREEN = 4

CHART_HEIGHT = 460  # px: with the title, the verdict, one row of figures and the footer, fits 1080 px unscrolled

# Static CSS only (no data or user text): large type for a projector.
_PRESENT_CSS = """
<style>
[data-testid="stMain"] h1 { font-size: 3rem !important; line-height: 1.25 !important; padding: 0 0 .3rem 0 !important; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p {
  font-size: 3rem !important; line-height: 1.25 !important; font-weight: 700; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
[data-testid="stMain"] [data-testid="stMetricDelta"], [data-testid="stMain"] [data-testid="stMetricDelta"] p {
  font-size: 1.2rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stButton"] button p { font-size: 1.2rem; }
[data-testid="stMain"] .karnama-verdict { font-size: 1.3rem; }
[data-testid="stMain"] .karnama-status { font-size: 1.3rem; }
</style>
"""


Screen = tuple[str, tuple[content.Figure, ...], content.Chart | None, str]


def _screens(brief: content.Brief) -> list[Screen]:
    """(title, figures, chart, verdict sentence) per screen: the headline figures first, then one screen per topic
    with its main figures (those with a target or on the overview first) and its county chart (or months)."""
    screens: list[Screen] = [(texts.BRIEF_HEADLINE, brief.headline, None, brief.verdict)]
    for topic in brief.topics:
        ranked = sorted(topic.figures, key=lambda f: (not f.metric.headline, not f.metric.target))
        chart = next((c for c in topic.charts if c.by == "county"), None) or next(iter(topic.charts), None)
        screens.append((topic.title, tuple(ranked[:FIGURES_PER_SCREEN]), chart, topic.verdict))
    return screens


def _figure_metric(f: content.Figure, with_forecast: bool = False) -> None:
    """One figure on a screen: the same view-model and the same st.metric as a dashboard card."""
    cards.kpi_metric(f, label=f.metric.label, basis=False)  # the basis is said once per screen
    if f.target:
        st.caption(texts.OF_TARGET.format(pct=fa.pct(f.progress), target=f.metric.format(f.target)))
    cards.status_line(f)
    if with_forecast and f.forecast is not None:
        st.caption(f.forecast_text)


def _plotly(chart: content.Chart, height: int):
    """The model's chart as a dashboard figure (karnama.charts: mirrored, Persian digits)."""
    frame = pd.DataFrame({"category": chart.categories})
    series = {}
    for i, s in enumerate(chart.series):
        frame[f"s{i}"] = [math.nan if v is None else v for v in s.values]
        series[f"s{i}"] = s.name
    fig = charts.bars(frame, "category", series, fmt=fa.pct if chart.percent else fa.num, height=height)
    fig.update_layout(font=dict(size=18), legend=dict(font=dict(size=18)), margin=dict(l=10, r=10, t=40, b=10))
    fig.update_xaxes(tickfont=dict(size=17), automargin=True)
    fig.update_yaxes(tickfont=dict(size=17), automargin=True)
    return fig


def present(view: View) -> None:
    """Presentation mode: one screen per topic for the current filters, next/previous, a footer with the
    snapshot date and, for the demo, that the data is illustrative."""
    st.html(_PRESENT_CSS)
    brief = content.build(view.snapshot, view.filters, view.scope)
    screens = _screens(brief)
    index = min(max(int(st.session_state.get(SLIDE_KEY, 0)), 0), len(screens) - 1)
    title, figures, chart, sentence = screens[index]

    st.title(title, anchor=False)
    if sentence:
        cards.verdict_box(sentence)
    if brief.comparison is not None:
        st.caption(f"{texts.COL_BASIS}: {brief.comparison.label}")
    per_row = min(len(figures), FIGURES_PER_SCREEN) or 1
    for start in range(0, len(figures), per_row):
        for col, f in zip(st.columns(per_row), figures[start : start + per_row]):
            with col.container(border=True):
                _figure_metric(f, with_forecast=index == 0)
    if chart is not None:
        st.markdown(f"**{chart.title}**")
        # theme=None keeps karnama.charts' own fonts and sizes (Streamlit's theme would shrink them).
        st.plotly_chart(
            _plotly(chart, height=CHART_HEIGHT),
            key=f"present_chart_{index}",
            theme=None,
            config={"displaylogo": False, "displayModeBar": False},
        )

    footer = texts.PRESENT_FOOTER.format(where=brief.where, year=fa.year(brief.year), as_of=fa.date_long(brief.as_of))
    if brief.is_demo:
        footer += f" — {texts.BRIEF_DEMO}"
    # The page runs right to left, so the first column is the rightmost: «قبلی», the counter, then «بعدی» to
    # its left, the way a Persian reader moves forward.
    nav_prev, counter, nav_next, back, note = st.columns([1, 0.8, 1, 1.5, 6], vertical_alignment="center")
    nav_prev.button(
        texts.PRESENT_PREV,
        key="present_prev",
        disabled=index == 0,
        width="stretch",
        on_click=_go,
        args=(index - 1,),
        icon=":material/arrow_forward:",
    )
    counter.markdown(texts.PRESENT_COUNTER.format(n=fa.num(index + 1), total=fa.num(len(screens))))
    nav_next.button(
        texts.PRESENT_NEXT,
        key="present_next",
        disabled=index == len(screens) - 1,
        width="stretch",
        on_click=_go,
        args=(index + 1,),
        icon=":material/arrow_back:",
        type="primary",
    )
    back.page_link("pages/overview.py", label=texts.PRESENT_BACK, icon=":material/dashboard:")
    note.caption(footer)


def _go(index: int) -> None:
    st.session_state[SLIDE_KEY] = index
