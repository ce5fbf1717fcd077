"""The province map section: counties coloured/sized by a chosen KPI, drawn offline.

By default a choropleth of the product's own county-boundary file (static/geo/counties.geojson, made from
OpenStreetMap by scripts/build_boundaries.py, ODbL); the ``boundary_geojson`` setting names another file instead
(an office's official boundaries, matched to counties by name). Without any boundary file, dots at the county
seats from the counties table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from karnama import metrics, verdict
from karnama import status as status_rule
from karnama.core import fa, paths, settings, texts
from karnama.data.query import run
from karnama.web import charts, meeting_panel, plain
from karnama.web.figures import chart, prepared
from karnama.web.filters import View
from karnama.web.frame import empty_state

# Map choices: a column of kpi_by_county.sql -> (label, formatter). Labels come from the metric definitions.
_EXTRA = {
    "se_progress": ("پیشرفت اشتغال حمایت‌شده نسبت به هدف", fa.pct),
    "remote_monitored": ("پایش غیرحضوری شده (۱) یا نشده (۰)", fa.num),
    "se_status": (texts.MAP_STATUS, fa.pct),
}
# Colour by the one status rule (karnama/status.py); the value shown is the progress against the county target.
STATUS_CHOICES = {"se_status": metrics.RANKED}
CHOICES = (
    "se_stabilised",
    "se_progress",
    "se_status",
    "incentive_stabilisation_total",
    "incentive_creation_total",
    "centre_employment",
    "loans_count",
    "loans_amount_rials",
    "loans_planned_jobs",
    "in_person_monitoring_project_coverage",
    "remote_monitored",
)


def _label_and_format(key: str):
    if key in _EXTRA:
        return _EXTRA[key]
    m = metrics.BY_KEY[key]
    return m.label, m.format


def _is_ratio(key: str) -> bool:
    return key in ("se_progress", "se_status") or (key in metrics.BY_KEY and metrics.BY_KEY[key].unit == "ratio")


@functools.lru_cache(maxsize=4)
def _boundaries(path: str, mtime: float, names: tuple[tuple[str, str], ...]):
    """The file's county rings, read once per (file, modification time, names); shared, never modified."""
    return charts.load_boundaries(path, dict(names))


def _map_figure(
    frame: pd.DataFrame,
    value: str,
    label: str,
    fmt: Callable[[float], str],
    boundary_file: tuple[str, float, tuple[tuple[str, str], ...]] | None,
    ratio: bool,
    status: dict[str, tuple[str, str]] | None,
    badges: dict[str, str],
):
    """The map figure; the boundaries are named by (path, mtime, names), so the figure cache keys on that
    short tuple instead of fingerprinting thousands of ring points every rerun."""
    boundaries = _boundaries(*boundary_file)[0] if boundary_file else None
    return charts.county_map(
        frame, value, label, fmt, boundaries=boundaries, height=560, ratio=ratio, status=status, badges=badges
    )


BUNDLED = paths.STATIC_DIR / "geo" / "counties.geojson"


def render(view: View, default: str, key: str, status: dict[str, tuple[str, str]] | None = None) -> None:
    """Draw the map section for the current view; a click on a county filters to it.

    ``status`` (county code -> (status word, colour)) colours the counties by status instead of the value scale."""
    st.subheader(texts.MAP_TITLE, anchor=False)
    choice = st.selectbox(
        texts.MAP_METRIC,
        CHOICES,
        index=CHOICES.index(default),
        key=f"{key}_metric",
        format_func=lambda k: _label_and_format(k)[0],
    )
    label, fmt = _label_and_format(choice)
    frame = run(view.snapshot, "kpi_by_county", view.filters.params(), view.scope)
    if frame.empty:
        empty_state(view)
        return
    if choice in STATUS_CHOICES:
        # Coloured by the one status rule (karnama/status.py): word and colour, so colour is never alone.
        ranked = verdict.county_status(frame, metrics.BY_KEY[STATUS_CHOICES[choice]], view.elapsed)
        by_code = ranked.set_index("county_code")
        frame[choice] = frame["county_code"].map(by_code["progress"])
        status = {
            c: (status_rule.label(by_code.at[c, "status"]), status_rule.colour(by_code.at[c, "status"]))
            for c in frame["county_code"]
        }
    frame[choice] = frame[choice].astype(float)
    boundaries = None
    boundary_file = None
    configured = settings.load().boundary_geojson
    path = configured or (str(BUNDLED) if BUNDLED.is_file() else None)
    if path:
        try:
            p = Path(path)
            boundary_file = (str(p), p.stat().st_mtime, tuple((n, c) for c, n in view.names.items()))
            boundaries, unmatched = _boundaries(*boundary_file)
            # For a county account every other county is "unmatched"; the bundled file matches by code.
            if unmatched and view.scope is None and configured:
                plain.caption(texts.MAP_BOUNDARY_UNMATCHED.format(names="، ".join(unmatched[:10])))
        except (OSError, ValueError) as exc:
            plain.warning(str(exc) if isinstance(exc, ValueError) else texts.MAP_BOUNDARY_MISSING)
            boundaries = boundary_file = None
    fig = prepared(
        _map_figure,
        frame,
        choice,
        label,
        fmt,
        boundary_file if boundaries else None,
        _is_ratio(choice),
        status,
        meeting_panel.badges(view),
    )
    chart(fig, key=f"{key}_map", counties_clickable=True, alt=texts.MAP_ALT.format(what=label, n=fa.num(len(frame))))
    colour_note = texts.MAP_STATUS_NOTE if status else texts.MAP_COLOUR_NOTE
    note = (texts.MAP_BOUNDARY_NOTE if configured else colour_note) if boundaries else texts.MAP_SEATS_NOTE
    if boundaries and not configured:
        note += " " + texts.MAP_ATTRIBUTION
    st.caption(note + " " + texts.CLICK_TO_FILTER_MAP)
