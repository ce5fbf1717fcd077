"""Plotly figures for the dashboard, mirrored for Persian readers and labelled with Persian digits.

Conventions (the same on every chart): category axes start at the right (``autorange="reversed"``), the value
axis sits on the right, tick labels and hover text are formatted by karnama.fa, and time runs from right to
left like Persian text (the earliest month at the right), stated under each time chart.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from karnama.core import fa
from karnama.core.normalize import name_key
from karnama.core.palette import PALETTE

FONT = "Vazirmatn, 'Noto Sans Arabic', Tahoma, 'Segoe UI', sans-serif"
SCALE = "Teal"
Formatter = Callable[[float], str]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if not top or top <= 0 or math.isnan(top):
        return [0.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step)
    return [i * step for i in range(n + 1)]


def _value_axis(values: Sequence[float], fmt: Formatter) -> dict:
    top = max([v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))] or [0])
    ticks = nice_ticks(top)
    return dict(
        tickvals=ticks,
        ticktext=[fmt(t) for t in ticks],
        range=[0, ticks[-1] * 1.05 or 1],
        side="right",
        gridcolor="#e9ecef",
        zeroline=False,
    )


def _layout(fig: go.Figure, height: int = 380, legend: bool = True) -> go.Figure:
    fig.update_layout(
        font=dict(family=FONT, size=13),
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1) if legend else None,
        showlegend=legend,
        separators="٫٬",
    )
    return fig


def bars(
    frame: pd.DataFrame,
    category: str,
    series: dict[str, str],
    fmt: Formatter = fa.num,
    codes: str | None = None,
    stacked: bool = False,
    height: int = 380,
) -> go.Figure:
    """Vertical bars per category (first category at the right); ``series`` maps column -> Persian name.

    ``codes`` names a column carried as customdata[0] so a click can say which county was chosen.
    """
    fig = go.Figure()
    all_values: list[float] = []
    for i, (col, label) in enumerate(series.items()):
        vals = frame[col].astype(float).fillna(0).tolist()
        all_values.extend(vals)
        custom = [[frame[codes].iloc[k] if codes else "", label, fmt(v)] for k, v in enumerate(vals)]
        fig.add_bar(
            x=frame[category].tolist(),
            y=vals,
            name=label,
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=custom,
            hovertemplate="%{x}<br>%{customdata[1]}: %{customdata[2]}<extra></extra>",
        )
    if stacked:
        sums = frame[list(series)].astype(float).fillna(0).sum(axis=1).tolist()
        all_values = sums
    fig.update_layout(barmode="stack" if stacked else "group")
    fig.update_xaxes(autorange="reversed", type="category", tickangle=-45 if len(frame) > 8 else 0)
    fig.update_yaxes(**_value_axis(all_values, fmt))
    return _layout(fig, height, legend=len(series) > 1)


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
    labels = [
        fa.month_label(m, frame[year_col].iloc[i] if year_col else None) for i, m in enumerate(frame[month].tolist())
    ]
    fig = go.Figure()
    values: list[float] = []
    for i, (col, label) in enumerate(series.items()):
        vals = frame[col].astype(float).fillna(0).tolist()
        values.extend(vals)
        fig.add_scatter(
            x=labels,
            y=vals,
            name=label,
            mode="lines+markers",
            line=dict(color=PALETTE[i % len(PALETTE)], width=3),
            customdata=[[label, fmt(v)] for v in vals],
            hovertemplate="%{x}<br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    if target:
        values.append(target)
        fig.add_scatter(
            x=labels,
            y=[target] * len(labels),
            name=target_label,
            mode="lines",
            line=dict(color="#c92a2a", dash="dash"),
            hoverinfo="skip",
        )
    fig.update_xaxes(autorange="reversed", type="category")
    fig.update_yaxes(**_value_axis(values, fmt))
    return _layout(fig, height, legend=len(series) > 1 or bool(target))


def funnel(stages: Sequence[str], counts: Sequence[int], height: int = 360) -> go.Figure:
    """Horizontal funnel, first stage at the top, bars growing from the right."""
    fig = go.Figure(
        go.Bar(
            y=list(stages),
            x=list(counts),
            orientation="h",
            marker_color=PALETTE[0],
            text=[fa.num(c) for c in counts],
            textposition="auto",
            customdata=[fa.num(c) for c in counts],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", side="right", type="category")
    fig.update_xaxes(autorange="reversed", showticklabels=False, showgrid=False)
    return _layout(fig, height, legend=False)


def donut(labels: Sequence[str], counts: Sequence[int], height: int = 320) -> go.Figure:
    """Shares of a whole (e.g. monitoring outcomes), Persian labels and digits."""
    total = sum(counts) or 1
    fig = go.Figure(
        go.Pie(
            labels=list(labels),
            values=list(counts),
            hole=0.55,
            sort=False,
            direction="counterclockwise",
            marker=dict(colors=list(PALETTE)),
            textinfo="text",
            text=[fa.pct(c / total) for c in counts],
            customdata=[fa.num(c) for c in counts],
            hovertemplate="%{label}: %{customdata}<extra></extra>",
        )
    )
    return _layout(fig, height, legend=True)


def _colours(values: Sequence[float]) -> list[str]:
    finite = [v for v in values if v is not None and not math.isnan(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0, 1)
    span = (hi - lo) or 1
    return [("#dee2e6" if v is None or math.isnan(v) else sample_colorscale(SCALE, (v - lo) / span)[0]) for v in values]


def county_map(
    frame: pd.DataFrame,
    value: str,
    label: str,
    fmt: Formatter,
    height: int = 460,
    boundaries: dict | None = None,
    ratio: bool = False,
) -> go.Figure:
    """Counties of the province drawn offline: county polygons from a GeoJSON when given, else county seats.

    ``frame`` needs county_code, name_fa, lat, lon and ``value``. Each county's code is customdata[0].
    """
    vals = frame[value].astype(float).tolist()
    colours = _colours(vals)
    fig = go.Figure()
    if boundaries:
        for code, _name, _v, colour in zip(frame["county_code"], frame["name_fa"], vals, colours):
            for ring in boundaries.get(code, []):
                lon, lat = zip(*ring)
                fig.add_scatter(
                    x=list(lon),
                    y=list(lat),
                    mode="lines",
                    fill="toself",
                    fillcolor=colour,
                    line=dict(color="white", width=1),
                    hoverinfo="skip",
                    showlegend=False,
                )
    finite = [v for v in vals if not math.isnan(v)]
    top = max(finite or [1]) or 1
    # Areas proportional to counts; a ratio is shown by colour alone (near-equal shares would make equal discs).
    sizes = [13 if ratio or math.isnan(v) else 7 + 24 * math.sqrt(max(v, 0) / top) for v in vals]
    fig.add_scatter(
        x=frame["lon"],
        y=frame["lat"],
        mode="markers+text",
        text=frame["name_fa"],
        textposition="top center",
        textfont=dict(size=11, color="#343a40"),
        marker=dict(
            size=sizes if not boundaries else 9, color=colours, line=dict(color="#495057", width=1), opacity=0.9
        ),
        customdata=[
            [c, n, f"{label}: {fmt(v) if not math.isnan(v) else '—'}"]
            for c, n, v in zip(frame["county_code"], frame["name_fa"], vals)
        ],
        hovertemplate="%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[56.4, 61.6])
    fig.update_yaxes(visible=False, range=[33.9, 37.8], scaleanchor="x", scaleratio=1.2)
    return _layout(fig, height, legend=False)


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
    out: dict[str, list] = {}
    unmatched: list[str] = []
    for f in features:
        geom = f.get("geometry") or {}
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        props = f.get("properties") or {}
        tags: dict = props.get("tags") if isinstance(props.get("tags"), dict) else {}
        name = tags.get("name") or props.get("name") or props.get("name_fa") or ""
        code = keys.get(name_key(name))
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
