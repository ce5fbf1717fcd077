"""The Excel workbook of a view: an about sheet, every KPI with its target and change, one sheet per topic with
the counties, and the months. Persian headers, right-to-left sheets, numbers stored as numbers (ratios as
fractions shown as percentages), text that looks like a formula neutralised (karnama.tabular does both).
"""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import load_workbook
from openpyxl.styles import Alignment

from karnama import metrics, status, verdict
from karnama.core import fa, texts
from karnama.core.tabular import to_xlsx_bytes
from karnama.exports.content import Brief, previous_header, span_header
from karnama.metrics import BY_KEY

# Persian digits whatever the reader's Windows is set to, as in the deck. Shares stay fractions shown with Excel's
# own percent (its «%» is Latin: the value is what kpis --json gives).
PERSIAN = fa.OFFICE_DIGITS
PERCENT = PERSIAN + "0.0%"
POINTS = PERSIAN + '0.0" ' + texts.PERCENTAGE_POINTS.format(n="").strip() + '"'  # «۱۲٫۰ واحد درصد»
INTEGER = PERSIAN + "#,##0"

ABOUT_WIDTH = 90  # characters: the about sheet's value column

# Per-county columns of kpi_by_county shown on each topic's sheet; None = the metric's own label.
TOPIC_COLUMNS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "se": (("se_stabilised", None), ("se_target", texts.COL_TARGET), ("se_progress", texts.COL_PROGRESS)),
    "incentives": (("incentive_stabilisation_total", None), ("incentive_creation_total", None)),
    "centres": (("centre_employment", None),),
    "loans": (("loans_count", None), ("loans_amount_rials", None), ("loans_planned_jobs", None)),
    "monitoring": (
        ("remote_monitored", texts.XLSX_REMOTE_MONITORED),
        ("projects_due", None),
        ("in_person_projects_visited", None),
        ("in_person_monitoring_project_coverage", None),
    ),
}
MONTH_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("se_stabilised", None),
    ("incentive_stabilisation_total", None),
    ("incentive_creation_total", None),
    ("centre_employment", None),
    ("loans_count", None),
    ("loans_amount_rials", None),
    ("in_person_visits", texts.SERIES_IN_PERSON_VISITS),
    ("remote_visits", texts.SERIES_REMOTE_VISITS),
)
_RATIO_COLUMNS = {"se_progress", "in_person_monitoring_project_coverage"}


def _header(column: str, label: str | None) -> str:
    if label:
        return label
    m = BY_KEY[column]
    return f"{m.label} ({metrics.UNITS[m.unit]})" if m.unit == "rial" else m.label


def about_frame(brief: Brief) -> pd.DataFrame:
    rows = [
        (texts.XLSX_REPORT, f"{texts.APP_NAME} — {texts.BRIEF_TITLE}"),
        (texts.XLSX_PLACE, brief.where),
        (texts.FILTER_YEAR, fa.year(brief.year)),
        # A right-to-left mark first: a cell that starts with a digit is laid out left to right by LibreOffice
        # («آبان ۱۴۰۳ ۱۵»), whatever its reading order says.
        (texts.XLSX_AS_OF, "\u200f" + fa.date_long(brief.as_of)),
        (texts.XLSX_SNAPSHOT, fa.snapshot_label(fa.snapshot_created(brief.snapshot_id), brief.is_demo)),
        (texts.SNAPSHOT_DETAILS.format(id="").rstrip(": "), brief.snapshot_id),
        (texts.COL_BASIS, brief.comparison.label if brief.comparison else ""),
        (texts.VERDICT_TITLE, brief.verdict),
    ]
    if brief.is_demo:
        rows.append((texts.BRIEF_DEMO, texts.DEMO_BANNER))
    return pd.DataFrame(rows, columns=[texts.XLSX_FIELD, texts.XLSX_VALUE_FIELD], dtype=object)


def summary_frame(brief: Brief) -> pd.DataFrame:
    """Every metric of every topic: the same numbers as ``kpis --json`` (key column included)."""
    prev = previous_header(brief.year, brief.comparison)
    # A year in progress: this year's figure over the compared months, which the change is computed from.
    span = span_header(brief.comparison)
    rows = []
    for topic in brief.topics:
        for f in topic.figures:
            compared = {span: f.compared_value} if span else {}
            rows.append(
                {
                    texts.COL_TOPIC: topic.short,
                    texts.COL_INDICATOR: f.metric.label,
                    texts.COL_UNIT: metrics.UNITS[f.metric.unit],
                    texts.COL_VALUE.format(year=fa.year(brief.year)): f.value,
                    texts.COL_TARGET: f.target,
                    texts.COL_STATUS: f.status_label or None,
                    texts.COL_FORECAST: round(f.forecast.expected) if f.forecast else None,
                    **compared,
                    prev: f.previous,
                    # A share's change is its difference in percentage points (as every surface says it).
                    texts.COL_CHANGE: f.points * 100 if f.points is not None else f.change,
                    texts.XLSX_KEY: f.metric.key,
                    texts.XLSX_STATUS_KEY: f.status,
                }
            )
    return pd.DataFrame(rows)


def county_frame(brief: Brief, topic: str) -> pd.DataFrame:
    by = brief.by_county
    out = pd.DataFrame({texts.COL_COUNTY: by["name_fa"], texts.COL_CODE: by["county_code"]})
    for column, label in TOPIC_COLUMNS[topic]:
        values = by[column]
        if values.dtype == bool:
            values = values.map({True: texts.XLSX_YES, False: texts.XLSX_NO})
        out[_header(column, label)] = values
    target_metric = next((m for m in metrics.by_topic(topic) if m.target), None)
    if target_metric is not None and len(by) > 0:
        ranked = verdict.county_status(by, target_metric, brief.elapsed).set_index("county_code")
        out[f"{texts.COL_STATUS} — {target_metric.card_label}"] = [
            status.label(ranked.at[c, "status"]) for c in by["county_code"]
        ]
    return out.reset_index(drop=True)


def month_frame(brief: Brief) -> pd.DataFrame:
    rows = brief.by_month[brief.by_month["month"] <= status.months_shown(brief.year, brief.as_of)]
    out = pd.DataFrame(
        {texts.COL_MONTH: [fa.MONTHS[m - 1] for m in rows["month"]], texts.XLSX_MONTH_NUMBER: rows["month"].astype(int)}
    )
    for column, label in MONTH_COLUMNS:
        out[_header(column, label)] = rows[column].to_numpy()
    return out.reset_index(drop=True)


def sheets(brief: Brief) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in workbook order."""
    out = {texts.XLSX_ABOUT: about_frame(brief), texts.XLSX_SUMMARY: summary_frame(brief)}
    for topic in brief.topics:
        out[topic.short] = county_frame(brief, topic.key)
    out[texts.XLSX_MONTHS] = month_frame(brief)
    return out


def _column_formats(brief: Brief, frames: dict[str, pd.DataFrame]) -> dict[str, dict[int, list[str]]]:
    """Sheet -> column index -> one number format per data row: ratios as percentages, the rest with separators."""
    ratio_headers = {_header(c, label) for cols in TOPIC_COLUMNS.values() for c, label in cols if c in _RATIO_COLUMNS}
    per_metric = [PERCENT if f.metric.unit == "ratio" else INTEGER for t in brief.topics for f in t.figures]
    summary_values = {
        texts.COL_VALUE.format(year=fa.year(brief.year)),
        texts.COL_TARGET,
        previous_header(brief.year, brief.comparison),
        span_header(brief.comparison) or "",
        texts.COL_FORECAST,
    }
    out: dict[str, dict[int, list[str]]] = {}
    for name, frame in frames.items():
        cols: dict[int, list[str]] = {}
        for j, header in enumerate(frame.columns):
            if name == texts.XLSX_SUMMARY and header in summary_values:
                cols[j] = per_metric
            elif name == texts.XLSX_SUMMARY and header == texts.COL_CHANGE:
                cols[j] = [POINTS if f.metric.unit == "ratio" else PERCENT for t in brief.topics for f in t.figures]
            elif header == texts.COL_CHANGE or header in ratio_headers:
                cols[j] = [PERCENT] * len(frame)
            elif name != texts.XLSX_ABOUT and pd.api.types.is_numeric_dtype(frame[header]):
                cols[j] = [INTEGER] * len(frame)
        out[name] = cols
    return out


def render(brief: Brief) -> bytes:
    """The workbook as .xlsx bytes."""
    frames = sheets(brief)
    # to_xlsx_bytes neutralises formula-looking text and lays the sheets right to left; number formats per
    # cell (a ratio is a fraction shown as a percentage) are added here.
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(frames)))
    about = wb[texts.XLSX_ABOUT]
    about.column_dimensions["B"].width = ABOUT_WIDTH
    for label, value in about.iter_rows(min_row=2, min_col=1, max_col=2):
        label.alignment = Alignment(horizontal="right", vertical="top")
        # Right to left and wrapped: the headline verdict is a paragraph; a date read left to right came out
        # «آبان ۱۴۰۳ ۱۵» in LibreOffice. The row is as tall as its lines (LibreOffice does not grow it itself).
        value.alignment = Alignment(horizontal="right", vertical="top", wrap_text=True, readingOrder=2)
        lines = math.ceil(len(str(value.value or "")) / (ABOUT_WIDTH * 0.9)) or 1
        about.row_dimensions[value.row].height = 15 * lines
    for name, cols in _column_formats(brief, frames).items():
        ws = wb[name[:31]]
        for j, formats in cols.items():
            for i, number_format in enumerate(formats):
                ws.cell(row=i + 2, column=j + 1).number_format = number_format
    for ws in wb.worksheets:
        # Printed, a sheet is as wide as one landscape page (its columns were split over pages), its header on each.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = "1:1"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
