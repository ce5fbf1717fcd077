"""Presentation mode: one KPI topic per screen in large type for the current filters, no sidebar or widgets."""

from __future__ import annotations

import math

import pandas as pd
import plotly.io as pio
import streamlit as st

from karnama import status, verdict
from karnama.core import fa, palette, texts
from karnama.exports import content
from karnama.web import cards, charts, filters, plain, plot
from karnama.web.filters import View

SLIDE_KEY = "present_slide"

FIGURES_PER_SCREEN = 4
PRESENT_NOTES = 3  # notes and decisions shown on the headline screen (the rest are in the deck's speaker notes)


LONG_VALUE = 12  # characters: a figure's text longer than this is set smaller on a screen
COUNTIES_SHOWN = 6  # a county chart with more counties shows this many at the top and at the bottom

# Static CSS only (no data or user text). Everything is sized from the viewport (vh/vw with clamp()), so one
# screen fills a 1366×768 and a 1920×1080 projector alike: the chart takes the height the text leaves.
_PRESENT_CSS = """
<style>
html, body { overflow: hidden; }
[data-testid="stMainBlockContainer"] { padding: 1.6vh 2.2vw .6vh 2.2vw !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 1.1vh !important; }
[data-testid="stMain"] h1 { font-size: clamp(1.5rem, 5vh, 3.4rem) !important; line-height: 1.2 !important;
  padding: 0 0 .8vh 0 !important; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p {
  font-size: clamp(1.5rem, 5.6vh, 3.8rem) !important; line-height: 1.2 !important; font-weight: 700; }
[class*="st-key-present_long"] [data-testid="stMetricValue"],
[class*="st-key-present_long"] [data-testid="stMetricValue"] p { font-size: clamp(1.2rem, 3.9vh, 2.6rem) !important; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: clamp(.95rem, 2.3vh, 1.6rem) !important;
  line-height: 1.35 !important; }
[data-testid="stMain"] [data-testid="stMetricDelta"], [data-testid="stMain"] [data-testid="stMetricDelta"] p {
  font-size: clamp(.85rem, 1.9vh, 1.35rem) !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: clamp(.85rem, 1.8vh, 1.25rem) !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: clamp(.95rem, 2.1vh, 1.45rem); }
[data-testid="stMain"] [data-testid="stButton"] button p { font-size: clamp(.95rem, 2vh, 1.35rem); }
/* The footer's year and county boxes read like its buttons. */
[data-testid="stMain"] :is(.st-key-f_year, .st-key-f_counties) :is(input, span, div) {
  font-size: clamp(.9rem, 1.9vh, 1.3rem); }
[data-testid="stMain"] [data-testid="stVerticalBlockBorderWrapper"], [data-testid="stMain"] .stVerticalBlock
  [data-testid="stLayoutWrapper"] > div { padding: .8vh .9vw !important; }
.st-key-present_chart_box { flex: 0 0 auto !important; height: 36vh !important; min-height: 0 !important; }
.st-key-present_chart_box .karnama-plot { height: 34vh; }
[data-testid="stMain"] .karnama-verdict { font-size: clamp(.9rem, 2.1vh, 1.35rem); line-height: 1.5; }
[data-testid="stMain"] .karnama-status { font-size: clamp(.9rem, 2.1vh, 1.35rem); }
</style>
"""


# The chart box's height (34vh in the style sheet above) on a 768-pixel-high screen, where the figure's type sizes
# were chosen: on a taller screen the chart's type grows with its box.
CHART_REF_PX = 261

Screen = tuple[str, tuple[content.Figure, ...], content.Chart | None, str]


def _screens(brief: content.Brief) -> list[Screen]:
    """(title, figures, chart, verdict sentence) per screen: the headline figures first, then one screen per topic
    with its main figures (those with a target or on the overview first) and its county chart (or months)."""
    screens: list[Screen] = [(texts.BRIEF_HEADLINE, brief.headline, None, brief.verdict)]
    for topic in brief.topics:
        # The page's cards only: a denominator such as the number of counties is context, not a figure to present.
        shown = [f for f in topic.figures if f.metric.card]
        ranked = sorted(shown, key=lambda f: (not f.metric.headline, not f.metric.target))
        chart = next((c for c in topic.charts if c.by == "county"), None) or next(iter(topic.charts), None)
        screens.append((topic.title, tuple(ranked[:FIGURES_PER_SCREEN]), chart, topic.verdict))
    return screens


def _figure_metric(f: content.Figure, with_forecast: bool = False) -> None:
    """One figure on a screen: the same view-model and the same st.metric as a dashboard card."""
    cards.kpi_metric(f, label=f.metric.label)
    if f.target:
        st.caption(texts.OF_TARGET.format(pct=fa.pct(f.progress), target=f.metric.format(f.target)))
    cards.status_line(f)
    if with_forecast and f.forecast is not None:
        st.caption(f.forecast_text)


def top_and_bottom(chart: content.Chart, shown: int = COUNTIES_SHOWN) -> tuple[list[str], list[list[float]], int]:
    """Categories and series values of a county chart (largest first) cut to the ``shown`` largest and the
    ``shown`` smallest, with a gap between them, so every name on a projector screen is readable. Returns
    (categories, values per series, how many counties were left out)."""
    cats = list(chart.categories)
    values = [[math.nan if v is None else v for v in s.values] for s in chart.series]
    hidden = len(cats) - 2 * shown
    if chart.by != "county" or hidden <= 1:
        return cats, values, 0
    gap = fa.rtl(texts.PRESENT_MORE.format(n=fa.num(hidden)))  # plotly lays labels out left to right
    keep = list(range(shown)) + list(range(len(cats) - shown, len(cats)))
    cats = [cats[k] for k in keep[:shown]] + [gap] + [cats[k] for k in keep[shown:]]
    values = [[v[k] for k in keep[:shown]] + [math.nan] + [v[k] for k in keep[shown:]] for v in values]
    return cats, values, hidden


def _plotly(chart: content.Chart):
    """The model's chart as a dashboard figure (karnama.charts: mirrored, Persian digits, value labels), at
    most the top and bottom counties; its height comes from the screen (CSS)."""
    cats, values, _hidden = top_and_bottom(chart)
    frame = pd.DataFrame({"category": cats})
    series = {}
    for i, s in enumerate(chart.series):
        frame[f"s{i}"] = values[i]
        series[f"s{i}"] = s.name
    fig = charts.bars(frame, "category", series, fmt=fa.pct if chart.percent else fa.num, height=400, horizontal=False)
    fig.update_traces(textfont=dict(size=17))
    # The value axis is hidden: the value labels carry the figures. County names lie flat where they fit (a wide
    # projector) and tilt only where they would touch; the margin under them grows to fit them.
    fig.update_layout(
        font=dict(size=17), legend=dict(font=dict(size=17)), margin=dict(l=10, r=28, t=36, b=10)
    )  # r: the first name, tilted, reaches past its bar
    fig.update_layout(height=None, autosize=True)
    fig.update_xaxes(tickfont=dict(size=16), automargin=True)
    fig.update_yaxes(showticklabels=False, automargin=False)
    # Room above the tallest bar for its value label: on a short projector screen the plot is little more than
    # 100 px high, and the value axis's usual 5% put the label under the legend, which hid its top.
    top = max((v for vs in values for v in vs if v is not None and math.isfinite(v)), default=0)
    if chart.states:
        top = max(top, 1.0)
        _progress_marks(fig, chart, len(cats), top * 1.3)
    if top > 0:
        fig.update_yaxes(range=[0, top * 1.3])
    return fig


def _progress_marks(fig, chart: content.Chart, shown: int, y_top: float) -> None:
    """A progress chart's bars in their counties' status colours (the gap between the furthest behind and the
    furthest ahead left uncoloured), the statuses shown as the legend, the target (100%) as a line and the share of
    the year elapsed dashed, both named: what the dashboard's chart shows, on a projector's few counties."""
    states: list[str | None] = list(chart.states)
    if shown < len(states):  # the same cut as top_and_bottom: the first and the last counties, a gap between
        half = shown // 2
        states = states[:half] + [None] + states[-half:]
    fig.data[0].marker.color = [status.colour(s) if s else palette.NO_DATA for s in states]
    fig.data[0].showlegend = False
    # Each figure placed as on the dashboard's chart: above the bar, the dashed line ran through «۴۵٪» on a short
    # projector screen.
    fig.data[0].update(charts.progress_labels(list(fig.data[0].y), states, y_top))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1))
    legend = [(status.label(s), status.colour(s)) for s in status.STATES if s in states]
    fig.add_traces(charts.legend_squares(legend, size=16))
    for y, name in verdict.progress_lines(chart.pace):
        # At the right, over the furthest behind (the shortest bars), above its line; the pace's name goes under
        # its line when the two lines are too close for a name between them (late in the year).
        close = y < 1 and (1 - y) < 0.1 * y_top
        fig.add_hline(
            y=y, line=dict(color=palette.MUTED, width=1.5, dash="solid" if y >= 1 else "dash"), layer="below",
            annotation=dict(text=fa.rtl(name), font=dict(size=13, color=palette.MUTED)),
            annotation_position="bottom right" if close else "top right",
        )  # fmt: skip


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
    cards.basis_caption(brief.comparison)
    per_row = min(len(figures), FIGURES_PER_SCREEN) or 1
    for start in range(0, len(figures), per_row):
        for k, (col, f) in enumerate(zip(st.columns(per_row), figures[start : start + per_row])):
            # A long value (money: «۲٬۵۷۶ میلیارد ریال») takes a smaller type (CSS above) instead of two lines.
            long = len(f.text) > LONG_VALUE
            with col.container(border=True, key=f"present_long_{start + k}" if long else None):
                _figure_metric(f, with_forecast=index == 0)
    if index == 0 and brief.notes:  # the decisions and notes about this view, for the meeting
        for line in brief.notes[:PRESENT_NOTES]:
            plain.caption(f"• {line}")
    if chart is not None:
        _cats, _values, hidden = top_and_bottom(chart)
        cut = texts.PRESENT_BEHIND_AHEAD if chart.states else texts.PRESENT_TOP_BOTTOM
        what = (
            cut.format(what=chart.title, top=fa.num(COUNTIES_SHOWN), bottom=fa.num(COUNTIES_SHOWN))
            if hidden
            else chart.title
        )
        if chart.states:
            what += " — " + verdict.pace_text(chart.pace)
        st.markdown(f"**{what}**")
        fig = _plotly(chart)
        # Unthemed: karnama.charts' own fonts and sizes (Streamlit's theme would shrink them); the box's height is
        # set by the CSS above from the viewport, and the chart takes it.
        with st.container(key="present_chart_box"):
            plot.plot(
                pio.to_json(fig, validate=False),
                key=f"present_chart_{index}",
                config={"displaylogo": False, "displayModeBar": False},
                alt=charts.describe(fig, chart.title) or chart.title,
                themed=False,
                fill=True,
                font_ref_px=CHART_REF_PX,
            )

    # With counties chosen, their names are in the county box beside the note (widened for them below).
    footer = (texts.PRESENT_FOOTER_COUNTIES if view.filters.counties else texts.PRESENT_FOOTER).format(
        where=brief.where, year=fa.year(brief.year), as_of=fa.date_long(brief.as_of)
    )
    if brief.is_demo:
        footer += f" — {texts.BRIEF_DEMO}"
    # The page runs right to left, so the first column is the rightmost: «قبلی», the counter, then «بعدی» to
    # its left, the way a Persian reader moves forward.
    # Each county chosen beyond the first widens the county box (its names were cut off at three), from the note.
    more = min(len(view.filters.counties), 4) - 1 if view.filters.counties else 0
    nav_prev, counter, nav_next, back, year, county, note = st.columns(
        [1, 0.8, 1, 1.5, 1, 1.8 + 0.8 * more, 4 - 0.8 * more], vertical_alignment="center"
    )
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
    # Another year or county without leaving the screen: the same filters as the dashboard's, and the same URL.
    filters.year_and_county(view.years, view.names, view.scope, where=(year, county), labels="collapsed")
    note.caption(footer)


def _go(index: int) -> None:
    st.session_state[SLIDE_KEY] = index
