"""Plotly figures for the dashboard, mirrored for Persian readers and labelled with Persian digits.

Conventions (the same on every chart): category axes start at the right (``autorange="reversed"``), the value
axis sits on the right, tick labels and hover text are formatted by karnama.fa, and time runs from right to
left like Persian text (the earliest month at the right), stated under each time chart.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from karnama import status as status_rule
from karnama import verdict
from karnama.core import fa, palette, texts
from karnama.core.normalize import name_key
from karnama.web import plain

FONT = "Vazirmatn, 'Noto Sans Arabic', Tahoma, 'Segoe UI', sans-serif"
SCALE = [list(stop) for stop in palette.SCALE]
HORIZONTAL_FROM = 12  # more categories than this: horizontal bars, so every county name is readable
Formatter = Callable[[float], str]


def nice_ticks(top: float, count: int = 5, min_step: float = 0.0) -> list[float]:
    """Round tick values from 0 to at least ``top``, at least ``min_step`` apart; with a ``min_step`` of 1 (counts)
    every tick is whole (a step of 2.5 put «۳» under a gridline at 2.5 and «۱۲» at 12.5, above a target of 12)."""
    if not top or top <= 0 or math.isnan(top):
        return [0.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    whole = min_step >= 1
    steps = [m * mag for m in (1, 2, 2.5, 5, 10) if not whole or float(m * mag).is_integer()]
    step = max(next(s for s in steps if s >= raw), min_step)
    n = math.ceil(top / step)
    return [i * step for i in range(n + 1)]


def _value_axis(values: Sequence[float], fmt: Formatter) -> dict:
    shown = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    top = max(shown or [0])
    # Counts (every value whole) get whole ticks: a county's 2 people drew ticks 0, 0.5, 1, 1.5, 2 read «۰ ۱ ۱ ۲ ۲».
    whole = all(float(v).is_integer() for v in shown)
    ticks = nice_ticks(top, min_step=1.0 if whole else 0.0)
    return dict(
        tickvals=ticks,
        ticktext=[fmt(t) for t in ticks],
        range=[0, ticks[-1] * 1.05 or 1],
        side="right",
        gridcolor=palette.GRID,
        zeroline=False,
    )


def _layout(height: int = 380, legend: bool = True, **extra) -> dict:
    """The layout every chart shares (font, margins, white ground, Persian separators, legend on top), plus
    ``extra`` (axes and chart-specific keys)."""
    layout = dict(
        font=dict(family=FONT, size=13),
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT)),
        showlegend=legend,
        separators="٫٬",
    )
    if legend:
        layout["legend"] = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1)
    layout.update(extra)
    # Margins grow to fit the tick labels (county names at the right, months under the axis). Plotly's own template
    # asks for that, but importing Streamlit makes its template the default, and that one does not: every name and
    # the last digit of every value tick was cut off at the chart's edge.
    for name in ("xaxis", "yaxis"):
        axis = layout.get(name)
        if isinstance(axis, dict) and axis.get("visible", True):
            axis.setdefault("automargin", True)
    return layout


def _set(**props) -> dict:
    """Properties given a value (None = left unset, as plotly's own setters treat it)."""
    return {k: v for k, v in props.items() if v is not None}


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, without plotly's per-property validation.

    Validation (and every ``update_layout``) walked each property and value through plotly's validators, which
    was most of the time a chart took; the dicts here are fixed, known-good properties with plain values, and a
    test builds every chart once more with validation on to prove they stay valid."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def bars(
    frame: pd.DataFrame,
    category: str,
    series: dict[str, str],
    fmt: Formatter = fa.num,
    codes: str | None = None,
    stacked: bool = False,
    height: int = 380,
    horizontal: bool | None = None,
    labels: bool = True,
) -> go.Figure:
    """Bars per category in the frame's order (first category at the right, or at the top when horizontal);
    ``series`` maps column -> Persian name, each series in its palette colour, values written beside the bars.

    ``horizontal`` (default: more than HORIZONTAL_FROM categories) lays the bars out sideways, growing from the
    right with the names at the right, so every name is readable; the figure grows with the number of rows.
    ``codes`` names a column carried as customdata[0] so a click can say which county was chosen.
    """
    traces: list[dict] = []
    n = len(frame)
    horizontal = n > HORIZONTAL_FROM if horizontal is None else horizontal
    all_values: list[float] = []
    names = list(series.values())
    colours = palette.colours(names)
    cats = [plain.svg(c) for c in frame[category]]  # names from data: Plotly reads <a>, <b>, <br>
    code_values = frame[codes].tolist() if codes else None
    for i, (col, label) in enumerate(series.items()):
        raw = frame[col].astype(float)
        vals = raw.fillna(0).tolist()
        all_values.extend(vals)
        # The value isolated right to left: plotly's hover box runs left to right, where «٪» would land on the
        # wrong side of the digits.
        custom = [[code_values[k] if code_values else "", label, fa.rtl(fmt(v))] for k, v in enumerate(vals)]
        text = ["" if math.isnan(r) else fmt(v) for r, v in zip(raw, vals)] if labels and not stacked else None
        traces.append(
            _set(
                type="bar",
                x=vals if horizontal else cats,
                y=cats if horizontal else vals,
                orientation="h" if horizontal else "v",
                name=label,
                marker=dict(color=colours[i]),
                text=text,
                textposition="outside" if text else None,
                textfont=dict(color=palette.INK, size=11 if len(series) > 1 else 12),
                cliponaxis=False,
                customdata=custom,
                hovertemplate=("%{y}" if horizontal else "%{x}")
                + "<br>%{customdata[1]}: %{customdata[2]}<extra></extra>",
            )
        )
    if stacked:
        all_values = frame[list(series)].astype(float).fillna(0).sum(axis=1).tolist()
    axis = _value_axis(all_values, fmt)
    if labels and not stacked:
        axis["range"] = [0, axis["range"][1] * 1.12]  # room for the value labels
    if horizontal:
        axis["range"] = axis["range"][::-1]  # bars grow from the right
        axis["side"] = "bottom"
        yaxis = dict(autorange="reversed", type="category", side="right", ticklabelstandoff=4)
        xaxis = axis
        row = 16 + 9 * (1 if stacked else len(series))
        height = max(height, 60 + row * n)
    else:
        xaxis = dict(autorange="reversed", type="category", tickangle=-45 if n > 8 else 0)
        yaxis = axis
    layout = _layout(
        height,
        legend=len(series) > 1,
        barmode="stack" if stacked else "group",
        bargap=0.25,
        uniformtext=dict(mode="hide", minsize=9),
        xaxis=xaxis,
        yaxis=yaxis,
    )
    return _figure(traces, layout)


def legend_squares(items: Sequence[tuple[str, str]], size: int = 12) -> list[dict]:
    """Legend-only traces: a square of each colour before its word, (word, colour) in order (statuses drawn by
    colour elsewhere in the figure, so colour is never alone)."""
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="markers",
            name=word,
            hoverinfo="skip",
            marker=dict(size=size, color=colour, symbol="square"),
        )
        for word, colour in items
    ]


PROGRESS_ROW_PX = 22  # one county's row in the progress chart: room for its name and its value label
INSIDE_FROM = 0.12  # a progress bar at least this share of the axis long holds its value label


def progress_labels(
    values: Sequence[float | None], states: Sequence[str | None], top: float, size: int | None = None
) -> dict:
    """Where a progress bar's figure goes (a bar trace's keys): inside the bar's tip where the bar is at least
    INSIDE_FROM of the axis ``top`` long (clear of the target and pace lines, which run behind the bars), else beside
    it; upright and at one size (plotly would shrink and turn a label to fit a thin bar); inside, in the colour that
    reads on the bar's status colour (a bar with no status, a gap, in ink)."""
    lengths = [v if v is not None and math.isfinite(v) else 0.0 for v in values]
    font = {} if size is None else {"size": size}
    return dict(
        textposition=["inside" if v >= INSIDE_FROM * top else "outside" for v in lengths],
        insidetextanchor="end",
        textangle=0,
        constraintext="none",
        insidetextfont=dict(
            color=[palette.text_on(status_rule.colour(s)) if s else palette.INK for s in states], **font
        ),
        outsidetextfont=dict(color=palette.INK, **font),
    )


def county_progress(ranked: pd.DataFrame, elapsed: float, label: str, fmt: Formatter) -> go.Figure:
    """Each county's progress against its own target, one bar per county in ``ranked``'s order (rows of
    verdict.county_status: furthest behind at the top), coloured by its status, with a dashed line at the share of
    the year elapsed (a bar that reaches it is on pace) and a solid one at the target (100%).

    ``label`` names what is counted (hover: «label: value از هدف target»); ``fmt`` formats a value or a target with
    its unit; the legend names the statuses present, in the rule's order, so colour is never alone.
    """

    names = [plain.svg(n) for n in ranked["name_fa"]]
    progress = ranked["progress"].astype(float).fillna(0).tolist()
    axis = _value_axis([*progress, 1.0], fa.pct)
    top = axis["range"][1]
    states = ranked["status"].tolist()
    custom = [
        [
            code,
            label,
            fa.rtl(fa.pct(p)),
            fa.rtl(texts.PROGRESS_HOVER.format(label=label, value=fmt(v), target=fmt(t))),
            status_rule.label(s),
        ]
        for code, p, v, t, s in zip(ranked["county_code"], progress, ranked["value"], ranked["target"], states)
    ]
    traces: list[dict] = [
        dict(
            type="bar",
            x=progress,
            y=names,
            orientation="h",
            name=label,
            showlegend=False,
            marker=dict(color=[status_rule.colour(s) for s in states]),
            text=[fa.pct(p) for p in progress],
            **progress_labels(progress, states, top, size=11),
            cliponaxis=False,
            customdata=custom,
            hovertemplate="%{y}<br>%{customdata[3]} (%{customdata[2]})<br>%{customdata[4]}<extra></extra>",
        )
    ]
    # The legend: the statuses present, in the rule's order.
    traces += legend_squares([(status_rule.label(s), status_rule.colour(s)) for s in status_rule.STATES if s in states])
    axis["range"] = [top * 1.08, 0]  # bars grow from the right; room for the value labels
    axis["side"] = "bottom"
    lines = verdict.progress_lines(elapsed)
    shapes = [
        dict(
            type="line",
            xref="x",
            yref="paper",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            layer="below",
            line=dict(color=palette.MUTED, width=1.5, dash="solid" if x >= 1 else "dash"),
        )
        for x, _ in lines
    ]
    # Each line's name on its own side of it (the target's to its left, the pace's to its right), so the two never
    # overlap however close they come (late in the year, or on a narrow screen).
    notes = [
        dict(
            x=x, xref="x", y=1, yref="paper", yanchor="bottom", text=fa.rtl(text), showarrow=False,
            font=dict(size=11, color=palette.MUTED), xanchor="right" if x >= 1 else "left",
        )
        for x, text in lines
    ]  # fmt: skip
    layout = _layout(
        max(200, 70 + PROGRESS_ROW_PX * len(names)),
        legend=True,
        bargap=0.3,
        xaxis=axis,
        yaxis=dict(autorange="reversed", type="category", side="right", ticklabelstandoff=4),
        shapes=shapes,
        annotations=notes,
    )
    layout["margin"] = dict(l=10, r=10, t=72, b=10)  # the legend (two rows on a phone) and the lines' names
    layout["legend"] = dict(orientation="h", yanchor="top", y=1.0, yref="container", xanchor="right", x=1)
    return _figure(traces, layout)


def sort_by(frame: pd.DataFrame, column: str, name: str = "name_fa") -> pd.DataFrame:
    """Largest ``column`` first (ties by name), the order every county chart uses."""
    return frame.sort_values([column, name], ascending=[False, True], na_position="last").reset_index(drop=True)


def describe(fig: go.Figure, what: str = "") -> str:
    """A short Persian text alternative: for a bar chart what it shows, the largest and the smallest category; for
    a line over months each line's highest month and its last; for a donut each share; for another chart, its
    name (``what``) when it has one."""
    from karnama.core import texts

    named = texts.CHART_ALT_NAMED.format(what=what) if what else ""
    for trace in fig.data:
        if trace.type == "bar":
            return _describe_bars(trace, what) or named
        if trace.type == "pie":
            return _describe_shares(trace, what) or named
    lines = [t for t in fig.data if t.type == "scatter" and t.mode == "lines+markers" and t.customdata is not None]
    return _describe_lines(lines, what) or named


def _describe_bars(trace, what: str) -> str:
    from karnama.core import texts

    horizontal = trace.orientation == "h"
    cats = [html.unescape(str(c)) for c in (trace.y if horizontal else trace.x)]
    custom = list(trace.customdata) if trace.customdata is not None else []
    vals = list(trace.x if horizontal else trace.y)
    if len(cats) < 2 or not custom:
        return ""
    pairs = sorted(zip(vals, range(len(vals))), key=lambda p: -p[0])
    top, bottom = pairs[0][1], pairs[-1][1]

    def shown(k: int) -> str:
        c = custom[k]
        return str(c[2]) if isinstance(c, (list, tuple)) and len(c) > 2 else str(c)

    named = what or trace.name
    return (texts.CHART_ALT if named else texts.CHART_ALT_UNNAMED).format(
        what=named,
        top=cats[top],
        top_value=shown(top),
        bottom=cats[bottom],
        bottom_value=shown(bottom),
        n=fa.num(len(cats)),
    )


def _describe_shares(trace, what: str) -> str:
    """Every slice of a donut with its share and count (a donut has a handful)."""
    from karnama.core import texts

    labels, shares, counts = list(trace.labels or []), list(trace.text or []), list(trace.customdata or [])
    if not labels or not (len(labels) == len(shares) == len(counts)):
        return ""
    parts = [
        texts.CHART_ALT_SHARE.format(label=html.unescape(str(label)), share=share, count=count)
        for label, share, count in zip(labels, shares, counts)
    ]
    return texts.CHART_ALT_SHARES.format(what=what or texts.CHART_ALT_SHARES_UNNAMED, shares="، ".join(parts))


def _describe_lines(traces: list, what: str) -> str:
    """The span of months, and for each line its highest month and its last month's value (from the hover's
    formatted values, so the figures read as on screen)."""
    from karnama.core import texts

    if not traces or not what:
        return ""
    months = list(traces[0].x or [])
    if len(months) < 2:
        return ""
    series = []
    for trace in traces:
        vals, custom = list(trace.y or []), list(trace.customdata or [])
        if len(vals) != len(months) or len(custom) != len(months):
            return ""
        top = max(range(len(vals)), key=lambda k: vals[k])
        series.append(
            texts.CHART_ALT_LINE_SERIES.format(
                name=html.unescape(str(trace.name or "")),
                top=months[top],
                top_value=custom[top][-1],
                last_value=custom[-1][-1],
            )
        )
    return texts.CHART_ALT_LINES.format(
        what=what, n=fa.num(len(months)), first=months[0], last=months[-1], series="؛ ".join(series)
    )


def months_line(
    frame: pd.DataFrame,
    month: str,
    series: dict[str, str],
    fmt: Formatter = fa.num,
    year_col: str | None = None,
    height: int = 340,
    target: float | None = None,
    target_label: str = "",
) -> go.Figure:
    """Lines over Jalali months; time runs right to left. ``year_col`` labels months with their year."""
    months = [int(m) for m in frame[month].tolist()]
    years = frame[year_col].tolist() if year_col else [None] * len(months)
    labels = [fa.month_label(m, y) for m, y in zip(months, years)]  # unique categories, and the hover's text
    # Under the axis: the month's name, and its year only where the year begins (the first month, each Farvardin).
    # More months than fit a half-width column flat are turned, each name on one line: plotly turned them anyway,
    # and a turned two-line name ran into its neighbours («اسفند بهمن»).
    turned = len(months) > MONTHS_FLAT
    shown = [
        fa.month_label(m) + ((" " if turned else "<br>") + fa.year(y) if y is not None and (i == 0 or m == 1) else "")
        for i, (m, y) in enumerate(zip(months, years))
    ]
    traces: list[dict] = []
    values: list[float] = []
    colours = palette.colours(list(series.values()))
    for i, (col, label) in enumerate(series.items()):
        vals = frame[col].astype(float).fillna(0).tolist()
        values.extend(vals)
        traces.append(
            dict(
                type="scatter",
                x=labels,
                y=vals,
                name=label,
                mode="lines+markers",
                line=dict(color=colours[i], width=3),
                customdata=[[label, fmt(v)] for v in vals],
                hovertemplate="%{x}<br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
            )
        )
    if target:
        values.append(target)
        traces.append(
            dict(
                type="scatter",
                x=labels,
                y=[target] * len(labels),
                name=target_label,
                mode="lines",
                line=dict(color=palette.TARGET, dash="dash"),
                hoverinfo="skip",
            )
        )
    layout = _layout(
        height,
        legend=len(series) > 1 or bool(target),
        xaxis=dict(
            autorange="reversed",
            type="category",
            tickmode="array",
            tickvals=labels,
            ticktext=shown,
            tickangle=-45 if turned else 0,
            automargin=True,
        ),
        yaxis=_value_axis(values, fmt),
    )
    return _figure(traces, layout)


MONTHS_FLAT = 8  # months whose names lie flat under a half-width column at 1366 px


def funnel(stages: Sequence[str], counts: Sequence[int], height: int = 360) -> go.Figure:
    """Horizontal funnel, first stage at the top, bars growing from the right."""
    trace = dict(
        type="bar",
        y=[plain.svg(s) for s in stages],
        x=list(counts),
        orientation="h",
        marker=dict(color=palette.ACHIEVED),
        text=[fa.num(c) for c in counts],
        textposition="auto",
        customdata=[fa.num(c) for c in counts],
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    layout = _layout(
        height,
        legend=False,
        yaxis=dict(autorange="reversed", side="right", type="category"),
        xaxis=dict(autorange="reversed", showticklabels=False, showgrid=False),
    )
    return _figure([trace], layout)


def donut(labels: Sequence[str], counts: Sequence[int], height: int = 320) -> go.Figure:
    """Shares of a whole (e.g. monitoring outcomes), Persian labels and digits."""
    total = sum(counts) or 1
    trace = dict(
        type="pie",
        labels=[plain.svg(s) for s in labels],
        values=list(counts),
        hole=0.55,
        sort=False,
        direction="counterclockwise",
        marker=dict(colors=palette.colours(list(labels))),
        textinfo="text",
        text=[fa.pct(c / total) for c in counts],
        customdata=[fa.num(c) for c in counts],
        hovertemplate="%{label}: %{customdata}<extra></extra>",
    )
    return _figure([trace], _layout(height, legend=True))


def _colours(values: Sequence[float]) -> list[str]:
    finite = [v for v in values if v is not None and not math.isnan(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0, 1)
    span = (hi - lo) or 1
    return [
        (palette.NO_DATA if v is None or math.isnan(v) else sample_colorscale(SCALE, (v - lo) / span)[0])
        for v in values
    ]


def _centre(rings: list) -> tuple[float, float]:
    """Area-weighted centroid of a county's largest ring (where its name is written)."""
    ring = max(rings, key=len)
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = zip(*ring)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / (3 * a), cy / (3 * a)


# The map's width on a 1366-pixel screen, in its narrower column (the monitoring page's: 320 px drawn; the
# overview's is 361): names are placed so they do not run into each other at that width; a wider screen has room
# to spare. At 360 the monitoring map's names ran into each other.
MAP_LABEL_WIDTH_PX = 320
_CHAR_PX = 0.56  # the width of a Persian letter of the label font, as a share of the font size (Vazirmatn)


def _area(rings: list) -> float:
    """The area of a county's rings (shoelace), in square degrees."""
    total = 0.0
    for ring in rings:
        total += abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2
    return total


def _names_that_fit(
    names: list[str], xs: list[float], ys: list[float], areas: list[float], font: int, width_deg: float
) -> list[bool]:
    """Which counties get their name written on the map: the largest first, each only where its name does not run
    into one already written (at MAP_LABEL_WIDTH_PX, ``width_deg`` being the drawn map's width in degrees). The others
    are still named by their hover and clickable."""
    per_px = width_deg / MAP_LABEL_WIDTH_PX  # degrees of longitude per pixel
    per_px_y = per_px / 1.2  # the y axis is drawn 1.2 times the x axis (scaleratio)
    placed: list[tuple[float, float, float, float]] = []
    keep = [False] * len(names)
    for k in sorted(range(len(names)), key=lambda i: -areas[i]):
        x, y = xs[k], ys[k]
        if x is None or y is None or math.isnan(x) or math.isnan(y):
            continue
        half_w = (len(names[k]) * font * _CHAR_PX / 2 + 2) * per_px
        half_h = (font * 0.7 + 1) * per_px_y
        box = (x - half_w, x + half_w, y - half_h, y + half_h)
        if all(box[1] < b[0] or box[0] > b[1] or box[3] < b[2] or box[2] > b[3] for b in placed):
            placed.append(box)
            keep[k] = True
    return keep


def county_map(
    frame: pd.DataFrame,
    value: str,
    label: str,
    fmt: Formatter,
    height: int = 460,
    boundaries: dict | None = None,
    ratio: bool = False,
    status: dict[str, tuple[str, str]] | None = None,
    badges: dict[str, str] | None = None,
) -> go.Figure:
    """Counties of the province drawn offline: a choropleth of county polygons when ``boundaries`` are given
    (one filled shape per county of ``frame``, its name at its centre, a colour scale with Persian ticks), else
    dots at the county seats.

    ``frame`` needs county_code, name_fa, lat, lon and ``value``; each county's code is customdata[0] of the
    name markers (a click there filters to it). ``status`` maps a county code to (status word, colour): the
    polygons then take the status colour and the legend names the statuses, so colour is never alone.
    ``badges`` adds a line per county to its hover text (how far its data reaches).
    """
    vals = frame[value].astype(float).tolist()
    codes = frame["county_code"].tolist()
    names = frame["name_fa"].tolist()
    colours = _colours(vals)
    if status:
        colours = [status.get(c, ("", palette.NO_DATA))[1] for c in codes]
    hover = [
        fa.rtl(
            f"{n} — {label}: {fmt(v) if not math.isnan(v) else '—'}"
            + (f" ({status[c][0]})" if status and c in status else "")
        )
        + (f"<br>{fa.rtl(plain.svg(badges[c]))}" if badges and c in badges else "")
        for c, n, v in zip(codes, names, vals)
    ]
    custom = [[c, n, h] for c, n, h in zip(codes, names, hover)]
    traces: list[dict] = []
    finite = [v for v in vals if not math.isnan(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if boundaries:
        xs_all: list[float] = []
        ys_all: list[float] = []
        lons, lats = [], []
        for code, colour, text in zip(codes, colours, hover):
            rings = boundaries.get(code) or []
            if not rings:
                lons.append(math.nan)
                lats.append(math.nan)
                continue
            xs: list[float | None] = []
            ys: list[float | None] = []
            for ring in rings:
                lon, lat = zip(*ring)
                xs += [*lon, None]
                ys += [*lat, None]
            xs_all += [x for x in xs if x is not None]
            ys_all += [y for y in ys if y is not None]
            traces.append(
                dict(
                    type="scatter",
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=colour,
                    line=dict(color="white", width=1),
                    hoveron="fills",
                    name=text,
                    text=text,
                    hoverinfo="text",
                    showlegend=False,
                    meta=code,
                )
            )
            cx, cy = _centre(rings)
            lons.append(cx)
            lats.append(cy)
        if xs_all:
            pad_x = (max(xs_all) - min(xs_all)) * 0.03 or 0.05
            pad_y = (max(ys_all) - min(ys_all)) * 0.03 or 0.05
            x_range = [min(xs_all) - pad_x, max(xs_all) + pad_x]
            y_range = [min(ys_all) - pad_y, max(ys_all) + pad_y]
        else:
            x_range, y_range = [56.4, 61.6], [33.9, 37.8]
        text_colours = [palette.text_on(c) for c in colours]
        areas = [_area(boundaries.get(code) or []) for code in codes]
        font = 11 if len(frame) > 12 else 14
        named = _names_that_fit(names, lons, lats, areas, font, x_range[1] - x_range[0])
        traces.append(
            dict(
                type="scatter",
                x=lons,
                y=lats,
                mode="markers+text",
                text=[n if keep else "" for n, keep in zip(names, named)],
                textposition="middle center",
                textfont=dict(size=font, color=text_colours),
                # Transparent markers under the names: the click target of a county (named or not).
                marker=dict(size=18, color="rgba(0,0,0,0)"),
                customdata=custom,
                hovertemplate="%{customdata[2]}<extra></extra>",
                showlegend=False,
            )
        )
    else:
        top = max(finite or [1]) or 1
        # Areas proportional to counts; a ratio is shown by colour alone (near-equal shares would make equal discs).
        sizes = [13 if ratio or math.isnan(v) else 7 + 24 * math.sqrt(max(v, 0) / top) for v in vals]
        traces.append(
            dict(
                type="scatter",
                x=frame["lon"].tolist(),
                y=frame["lat"].tolist(),
                mode="markers+text",
                text=names,
                textposition="top center",
                textfont=dict(size=11, color=palette.INK),
                marker=dict(size=sizes, color=colours, line=dict(color=palette.MUTED, width=1), opacity=0.9),
                customdata=custom,
                hovertemplate="%{customdata[2]}<extra></extra>",
                showlegend=False,
            )
        )
        x_range, y_range = [56.4, 61.6], [33.9, 37.8]
    if status:
        traces += legend_squares(list(dict(status.values()).items()), size=14)
    elif finite:
        # The colour scale as a legend, with Persian ticks (plotly would write Latin digits).
        ticks = [lo + (hi - lo) * k / 4 for k in range(5)] if hi > lo else [lo]
        traces.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="markers",
                hoverinfo="skip",
                showlegend=False,
                marker=dict(
                    color=[lo, hi],
                    cmin=lo,
                    cmax=hi if hi > lo else lo + 1,
                    colorscale=SCALE,
                    showscale=True,
                    colorbar=dict(
                        orientation="h",
                        x=0.5,
                        xanchor="center",
                        y=-0.02,
                        yanchor="top",
                        thickness=12,
                        len=0.8,
                        tickvals=ticks,
                        ticktext=[fmt(t) for t in ticks],
                        tickfont=dict(size=12, color=palette.INK),
                        outlinewidth=0,
                    ),
                ),
            )
        )
    layout = _layout(
        height,
        legend=bool(status),
        xaxis=dict(visible=False, range=x_range),
        yaxis=dict(visible=False, range=y_range, scaleanchor="x", scaleratio=1.2),
    )
    layout.update(margin=dict(l=5, r=5, t=30, b=50), dragmode=False)
    return _figure(traces, layout)


def load_boundaries(path: str | Path, name_to_code: dict[str, str]) -> tuple[dict[str, list], list[str]]:
    """County rings from a GeoJSON file, matched to county codes by name (ZWNJ/space/prefix-insensitive).

    Returns ({code: [ring, ...]}, unmatched feature names). Raises ValueError with a Persian message on a bad file.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"پروندهٔ مرز شهرستان‌ها ({Path(path).name}) خوانا نیست.") from exc
    keys = {name_key(n): c for n, c in name_to_code.items()}
    codes = set(name_to_code.values())
    out: dict[str, list] = {}
    unmatched: list[str] = []
    for f in features:
        geom = f.get("geometry") or {}
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        props = f.get("properties") or {}
        raw_tags = props.get("tags")
        tags: dict = raw_tags if isinstance(raw_tags, dict) else {}
        name = tags.get("name") or props.get("name") or props.get("name_fa") or ""
        code = props.get("code") if props.get("code") in codes else keys.get(name_key(name))
        if code is None:
            unmatched.append(str(name))
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out.setdefault(code, []).extend(_thin(poly[0]) for poly in polys if poly)
    return out, unmatched


def _thin(ring: list, most: int = 160) -> list:
    """Every k-th point of a ring (closed again), so 34 detailed polygons stay light in the browser."""
    step = max(1, math.ceil(len(ring) / most))
    thinned = ring[::step]
    return thinned + [ring[0]] if thinned[-1] != ring[0] else thinned
