"""Charts of a brief drawn offline with matplotlib, as vector SVG for the PDF.

matplotlib 3.11 shapes Persian itself, so labels are passed as they are (reshaping them first would break them);
digits are made Persian by karnama.fa. Layout is mirrored for a right-to-left reader: county bars grow from the
right with the names on the right, the first month sits at the right. The figure is sized in millimetres so the
font sizes are real sizes on the page.
"""

from __future__ import annotations

import io
import re
import threading

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from karnama import verdict
from karnama.core import palette, paths
from karnama.exports.content import Chart

FONTS_DIR = paths.FONTS_DIR
FONT_FAMILY = "Vazirmatn"
MM = 1 / 25.4
_METADATA = re.compile(rb"<metadata>.*?</metadata>", re.S)
_setup_lock = threading.Lock()
_ready = False


def _setup() -> None:
    """Register the bundled Vazirmatn faces once per process (nothing is fetched)."""
    global _ready
    with _setup_lock:
        if _ready:
            return
        for face in ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf"):
            font_manager.fontManager.addfont(str(FONTS_DIR / face))
        _ready = True


def _style() -> dict:
    return {
        "font.family": FONT_FAMILY,
        "font.size": 8,
        "svg.fonttype": "path",
        "axes.edgecolor": "#adb5bd",
        "axes.spines.top": False,
        "axes.spines.left": False,
        "xtick.color": "#495057",
        "ytick.color": "#343a40",
        "axes.unicode_minus": False,
    }


def _value_formatter(chart: Chart) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: chart.fmt(v))


def _bars(ax, chart: Chart, horizontal: bool, label_size: float) -> None:
    """Grouped bars, one group per category; a single series gets its values as labels (none for zero)."""
    n, k = len(chart.categories), len(chart.series)
    thickness = 0.8 / k
    draw = ax.barh if horizontal else ax.bar
    for i, series in enumerate(chart.series):
        positions = [p - 0.4 + thickness * (i + 0.5) for p in range(n)]
        bars = draw(
            positions,
            [v or 0 for v in series.values],
            thickness * 0.92,
            color=palette.colour(series.name, i),
            label=series.name,
        )
        if k == 1:
            _label_bars(ax, bars, series.values, chart, horizontal, label_size)


def _label_bars(ax, bars, values, chart: Chart, horizontal: bool, size: float) -> None:
    """Each bar's figure beyond its end, in INK on the white page (16:1), never dark text on a dark bar; an empty
    county's «۰» in the plot, left of the axis (the axis is inverted: bars grow from the right), not against its
    name; no «۰» over an empty month."""
    ax.bar_label(
        bars,
        labels=[chart.fmt(v) if v else "" for v in values],
        padding=2 if horizontal else 1.5,
        fontsize=size,
        color=palette.INK,
        label_type="edge",
    )
    if horizontal:
        for i, v in enumerate(values):
            if not v:
                ax.annotate(chart.fmt(v or 0), (0, i), xytext=(-2, 0), textcoords="offset points", ha="right",
                            va="center", fontsize=size, color=palette.INK)  # fmt: skip


def _value_axis(axis, chart: Chart) -> None:
    axis.set_major_locator(MaxNLocator(5, integer=not chart.percent))
    axis.set_major_formatter(_value_formatter(chart))


def _county_axes(ax, chart: Chart, label_size: float) -> None:
    """Horizontal bars by county: every name at the right (the first county at the top), the value axis under
    them with the chart's format, a light grid behind the bars."""
    n = len(chart.categories)
    ax.set_yticks(range(n), chart.categories, fontsize=label_size)
    ax.set_ylim(n - 0.5, -0.5)  # first county at the top
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0, pad=3)
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(True)
    _value_axis(ax.xaxis, chart)
    # No «۰» under the right edge: it sat against the last county's name and read as part of it.
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: "" if v == 0 else chart.fmt(v)))
    ax.grid(axis="x", color="#e9ecef", linewidth=0.6)
    ax.set_axisbelow(True)


def _draw_county(ax, chart: Chart, label_size: float) -> None:
    top = max((v or 0) for s in chart.series for v in s.values)
    # Bars grow from the right, with room beyond the longest for its value label. Inverted before the bars:
    # bar_label offsets the labels by the axis's direction when it is called (after, they sat inside the bars,
    # dark on teal, and an empty county's «۰» against its name).
    ax.set_xlim((max(1.0, top) if chart.percent else top or 1) * 1.15, 0)
    _bars(ax, chart, horizontal=True, label_size=label_size - 0.5)
    _county_axes(ax, chart, label_size)


def _draw_progress(ax, chart: Chart, label_size: float) -> None:
    """Each county's share of its own target, coloured by its status, furthest behind at the top; the target
    (100%) as a line and the share of the year elapsed dashed, both behind the bars and named above them."""
    n = len(chart.categories)
    values = [v or 0 for v in chart.series[0].values]
    bars = ax.barh(range(n), values, 0.74, color=list(chart.colours), zorder=2)
    # Inverted before the labels: bar_label offsets them by the axis's direction when it is called.
    ax.set_xlim(max(1.0, *values) * 1.15, 0)  # bars grow from the right; room for the value labels
    _label_bars(ax, bars, values, chart, True, label_size - 0.5)
    for x, name in verdict.progress_lines(chart.pace):  # each name on its own side of its line (right to left)
        ax.axvline(x, color=palette.MUTED, linewidth=0.9, linestyle="-" if x >= 1 else (0, (4, 3)), zorder=1)
        ax.annotate(name, (x, 1), xycoords=("data", "axes fraction"), xytext=(0, 2), textcoords="offset points",
                    ha="right" if x >= 1 else "left", va="bottom", fontsize=6.5, color=palette.MUTED)  # fmt: skip
    _county_axes(ax, chart, label_size)  # the furthest behind at the top
    handles = [Patch(color=colour, label=word) for word, colour in chart.legend]
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1, 1.04),
        ncols=len(handles),
        frameon=False,
        fontsize=7,
        borderaxespad=0.2,
        labelcolor="#343a40",
    )


def _draw_month(ax, chart: Chart) -> None:
    n = len(chart.categories)
    _bars(ax, chart, horizontal=False, label_size=6.5)
    ax.set_xticks(range(n), chart.categories)
    ax.set_xlim(n - 0.5, -0.5)  # the first month at the right
    ax.yaxis.tick_right()
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(True)
    ax.tick_params(axis="x", length=0)
    _value_axis(ax.yaxis, chart)
    ax.grid(axis="y", color="#e9ecef", linewidth=0.6)
    ax.set_axisbelow(True)


def _draw_cumulative(ax, chart: Chart) -> None:
    """Running sum against the target: the achieved line with markers (it stops at the last month of data), the
    target level and the even pace dashed, all twelve months on the axis with the first month at the right."""
    n = len(chart.categories)
    x = list(range(n))
    achieved, target, pace = chart.series
    ax.plot(
        x,
        [v if v is not None else float("nan") for v in achieved.values],
        color=palette.colour(achieved.name),
        linewidth=2,
        marker="o",
        markersize=3,
        label=achieved.name,
        zorder=3,
    )
    ax.plot(x, list(target.values), color=palette.TARGET, linewidth=1.4, label=target.name, zorder=2)
    ax.plot(
        x,
        list(pace.values),
        color=palette.colour(pace.name, 2),
        linewidth=1,
        linestyle=(0, (4, 3)),
        label=pace.name,
        zorder=1,
    )
    last = max((i for i, v in enumerate(achieved.values) if v is not None), default=None)
    if last is not None:  # the latest running sum, in INK after its point (in the empty months, not on a line)
        ax.annotate(
            chart.fmt(achieved.values[last]),
            (last, achieved.values[last]),
            textcoords="offset points",
            xytext=(-5, 0) if last < n - 1 else (0, 5),  # a whole year: above Esfand, inside the plot
            ha="right" if last < n - 1 else "center",
            va="center" if last < n - 1 else "bottom",
            fontsize=7,
            color=palette.INK,
        )
    ax.set_xticks(x, chart.categories, fontsize=7)
    ax.set_xlim(n - 0.5, -0.5)  # the first month at the right
    ax.yaxis.tick_right()
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(True)
    ax.tick_params(axis="x", length=0)
    _value_axis(ax.yaxis, chart)
    top = max(v for s in chart.series for v in s.values if v is not None)
    ax.set_ylim(0, (top or 1) * 1.12)
    ax.grid(axis="y", color="#e9ecef", linewidth=0.6)
    ax.set_axisbelow(True)


def render(chart: Chart, width_mm: float, height_mm: float, fmt: str = "svg", dpi: int = 200) -> bytes:
    """The chart as SVG (vector, text as outlines) or PNG bytes, ``width_mm`` × ``height_mm`` on the page."""
    _setup()
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM))
        ax = fig.add_subplot()
        label_size = 8 if len(chart.categories) <= 20 else 7  # a county chart's names
        if chart.by == "county" and chart.states:
            _draw_progress(ax, chart, label_size)
        elif chart.by == "county":
            _draw_county(ax, chart, label_size)
        elif chart.by == "cumulative":
            _draw_cumulative(ax, chart)
        else:
            _draw_month(ax, chart)
        if len(chart.series) > 1:
            # At the top right, where a right-to-left reader starts; an explicit colour, because fpdf2's SVG
            # reader does not give legend text (no fill of its own) the black SVG implies.
            ax.legend(
                loc="lower right",
                bbox_to_anchor=(1, 1.0),
                ncols=len(chart.series),
                frameon=False,
                fontsize=7.5,
                borderaxespad=0.2,
                labelcolor="#343a40",
            )
        fig.tight_layout(pad=0.4)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    data = buf.getvalue()
    # fpdf2 does not read SVG <metadata> (and warns about it); the PDF has its own.
    return _METADATA.sub(b"", data) if fmt == "svg" else data
