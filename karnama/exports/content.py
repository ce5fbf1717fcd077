"""What a brief says, built once from metrics and queries: the PDF, the deck, the workbook and the presentation
page all render this model, so they show the same figures as ``kpis --json`` for the same filters and scope.

A brief holds the headline figures (value, previous year, target, change) and one topic per KPI group, each with
its figures and charts (by county from ``kpi_by_county``, by Jalali month from ``kpi_by_month``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from karnama import metrics, verdict
from karnama.access.store import StoreError
from karnama.access.store import exists as store_exists
from karnama.core import fa, texts
from karnama.core.settings import load
from karnama.data import catalog
from karnama.data.query import Filters, run, scoped_counties
from karnama.data.snapshots import Snapshot
from karnama.meeting import notes
from karnama.metrics import BY_KEY, Kpi, KpiValues, Metric, change_text, exact  # noqa: F401 (re-exported)
from karnama.status import STATES, Comparison, month_name, month_reached, months_shown
from karnama.status import colour as status_colour
from karnama.status import label as status_label

# One view-model for a KPI everywhere (issue 10): the exports render metrics.Kpi, as the cards and the presentation
# screens do. ``Figure`` stays as its name here.
Figure = Kpi


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """Bars of one or more series over categories (county names or Jalali month names), in reading order."""

    title: str
    by: str  # "county", "month" or "cumulative" (running sums by month against the target)
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False  # values are 0..1 ratios
    subtitle: str = ""  # a cumulative chart: the metric's status word and forecast
    key: str = ""  # a cumulative chart: the metric it follows
    # A progress chart (by county): each county's share of its own target, its status under the one rule per
    # category (furthest behind first), and the share of the year elapsed (None for a closed year).
    states: tuple[str, ...] = ()
    pace: float | None = None
    without_target: tuple[str, ...] = ()  # counties that achieved something with no target of their own: no bar

    @property
    def without_target_text(self) -> str:
        """The line that names the counties a progress chart has no bar for («» when none)."""
        if not self.without_target:
            return ""
        return texts.PROGRESS_WITHOUT_TARGET_SHORT.format(names="، ".join(self.without_target))

    @property
    def colours(self) -> tuple[str, ...]:
        """A progress chart's bar colours: each county's status colour."""
        return tuple(status_colour(s) for s in self.states)

    @property
    def legend(self) -> tuple[tuple[str, str], ...]:
        """A progress chart's legend: (status word, colour) of each status shown, in the rule's order."""
        return tuple((status_label(s), status_colour(s)) for s in STATES if s in self.states)

    def fmt(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        return fa.pct(value) if self.percent else fa.num(value)


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    short: str
    figures: tuple[Figure, ...]
    charts: tuple[Chart, ...]
    verdict: str = ""  # the topic's sentence (karnama/verdict.py)


@dataclass(frozen=True)
class Brief:
    """Everything an export of one view shows."""

    snapshot_id: str
    as_of: dt.date
    is_demo: bool
    filters: Filters
    where: str
    values: KpiValues
    headline: tuple[Figure, ...]
    topics: tuple[Topic, ...]
    by_county: pd.DataFrame
    by_month: pd.DataFrame
    verdict: str = ""  # the headline sentence (karnama/verdict.py)
    notes: tuple[str, ...] = ()  # the view's notes and decisions, one plain-text line each (meeting/notes.py)
    cumulative: tuple[Chart, ...] = ()  # one running-sum chart per headline metric with a target

    @property
    def year(self) -> int:
        return self.filters.year

    @property
    def comparison(self) -> Comparison | None:
        return self.values.comparison

    @property
    def elapsed(self) -> float:
        return self.values.elapsed

    @property
    def forecast_figures(self) -> tuple[Figure, ...]:
        """The headline figures that have a target, with their forecast."""
        return tuple(f for f in self.headline if f.forecast is not None)

    @property
    def target_figures(self) -> tuple[Figure, ...]:
        """Every metric with a target (headline or not), as the cumulative charts follow them."""
        return tuple(self.values.kpi(m) for m in metrics.METRICS if m.target)

    @property
    def footer(self) -> str:
        return texts.BRIEF_FOOTER.format(where=self.where, year=fa.year(self.year), as_of=fa.date_long(self.as_of))


def previous_header(year: int, comparison: Comparison | None) -> str:
    """The previous figure's header: «سال ۱۴۰۲», or for a year in progress the compared months «فروردین تا مهر ۱۴۰۲»."""
    return comparison.short if comparison else texts.COL_VALUE.format(year=fa.year(year - 1))


def span_header(comparison: Comparison | None) -> str | None:
    """For a year in progress, the header of this year's figure over the compared months («فروردین تا مهر ۱۴۰۳»),
    which tables show beside the previous one; None for a closed year (one figure, the whole year)."""
    return comparison.current_short if comparison is not None and comparison.same_period else None


def table_header(year: int, comparison: Comparison | None = None) -> list[str]:
    """The header of a KPI table (PDF page, slide): indicator, this year, target, progress, status, the compared
    previous figure and the change. For a year in progress the change compares the same complete months of both
    years, so this year's figure over those months stands beside the previous one: the change then reads off the
    two columns next to it, not off the year so far."""
    head = [
        texts.COL_INDICATOR,
        texts.COL_VALUE.format(year=fa.year(year)),
        texts.COL_TARGET,
        texts.COL_PROGRESS,
        texts.COL_STATUS,
    ]
    span = span_header(comparison)
    return head + ([span] if span else []) + [previous_header(year, comparison), texts.COL_CHANGE]


def table_row(f: Figure) -> list[str]:
    """One KPI as table cells under :func:`table_header` («—» where there is nothing to show)."""
    row = [
        f.metric.label,
        f.text,
        f.metric.format(f.target) if f.target else "—",
        fa.pct(f.progress) if f.progress is not None else "—",
        f.status_label or "—",
    ]
    if span_header(f.comparison):
        row.append(f.metric.format(f.compared_value))
    return row + [f.metric.format(f.previous), f.change_text]


STATUS_COLUMN = 4  # of table_header; the change is the last column


def table_colours(f: Figure) -> list[str | None]:
    """Colours of the cells of :func:`table_row` (None = the table's text colour): the status in its colour, the
    change by what it means for the metric (a fall of a higher-is-better figure is red, never green)."""
    colours: list[str | None] = [None] * (8 if span_header(f.comparison) else 7)
    if f.status:
        colours[STATUS_COLUMN] = f.status_colour
    if f.delta is not None:
        colours[-1] = f.change_colour
    return colours


# (column of kpi_by_county / kpi_by_month, series name); the first column orders the counties.
_SERIES = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _ChartSpec:
    what: str
    county: _SERIES
    month: _SERIES
    percent: bool = False  # the county chart shows ratios
    month_what: str = ""  # what the monthly chart counts, when it differs from ``what``
    # The monthly chart's own query, when its months are not the calendar year's (``kpi_by_month``): monitoring's
    # timeline starts in Bahman of the year before, when the in-person round for last year's loans begins, as the
    # dashboard's page draws it.
    month_query: str = ""
    # A metric with per-county targets: with two or more counties that have one, the county chart is each one's
    # progress against it (as the dashboard's page draws it).
    target: str = ""


_SPECS: dict[str, _ChartSpec] = {
    "se": _ChartSpec(
        BY_KEY["se_stabilised"].label,
        (("se_stabilised", texts.SERIES_ACHIEVED), ("se_target", texts.SERIES_TARGET)),
        (("se_stabilised", texts.SERIES_ACHIEVED),),
        target="se_stabilised",
    ),
    "incentives": _ChartSpec(
        texts.TOPIC_SHORT["incentives"],
        (
            ("incentive_stabilisation_total", texts.SERIES_STABILISATION),
            ("incentive_creation_total", texts.SERIES_CREATION),
        ),
        (
            ("incentive_stabilisation_total", texts.SERIES_STABILISATION),
            ("incentive_creation_total", texts.SERIES_CREATION),
        ),
    ),
    "centres": _ChartSpec(
        BY_KEY["centre_employment"].label,
        (("centre_employment", texts.SERIES_EMPLOYED),),
        (("centre_employment", texts.SERIES_EMPLOYED),),
        target="centre_employment",
    ),
    "loans": _ChartSpec(
        BY_KEY["loans_count"].label,
        (("loans_count", texts.SERIES_PROJECTS),),
        (("loans_count", texts.SERIES_PROJECTS),),
        target="loans_planned_jobs",
    ),
    "monitoring": _ChartSpec(
        BY_KEY["in_person_monitoring_project_coverage"].label,
        (("in_person_monitoring_project_coverage", texts.SERIES_COVERAGE),),
        (("in_person", texts.SERIES_IN_PERSON_VISITS), ("remote", texts.SERIES_REMOTE_VISITS)),
        percent=True,
        month_what=texts.SERIES_VISITS,
        month_query="monitoring_by_month",
    ),
}


def _num(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def figure(metric: Metric, values: KpiValues) -> Figure:
    return values.kpi(metric)


def where_text(names: dict[str, str], filters: Filters, scope: Iterable[str] | None) -> str:
    """The place a brief covers: «کل استان», or the county names the filters and scope leave."""
    if not filters.counties and scope is None:
        return texts.PROVINCE
    codes = scoped_counties(filters.counties, scope)
    # Counties all outside the scope leave nothing: never call that the province.
    return "، ".join(names.get(c, c) for c in codes if c in names) or "—"


def county_rows(by_county: pd.DataFrame, columns: _SERIES) -> pd.DataFrame:
    """Counties that have data of their own (or any figure) for the chart, largest first."""
    cols = [c for c, _ in columns]
    has_figure = by_county[cols].fillna(0).ne(0).any(axis=1)
    rows = by_county[by_county["has_own_data"].astype(bool) | has_figure]
    return rows.sort_values([cols[0], "name_fa"], ascending=[False, True], na_position="last")


def progress_chart(metric: Metric, by_county: pd.DataFrame, elapsed: float) -> Chart | None:
    """Each county's progress against its own target of ``metric`` (verdict.county_status: the overview's ranking
    and map), furthest behind first; None unless two or more counties have a target of their own."""
    if metric.target is None or metric.target not in by_county.columns:
        return None
    everyone = verdict.county_status(by_county, metric, elapsed)
    ranked = verdict.progress_rows(everyone)
    if ranked is None:
        return None
    return Chart(
        texts.CHART_PROGRESS_BY_COUNTY.format(what=metric.card_label),
        "county",
        tuple(ranked["name_fa"]),
        (Series(texts.SERIES_PROGRESS, tuple(_num(v) for v in ranked["progress"])),),
        percent=True,
        states=tuple(ranked["status"]),
        pace=elapsed if elapsed < 1 else None,
        without_target=tuple(verdict.without_target(everyone)),
    )


def _county_chart(spec: _ChartSpec, by_county: pd.DataFrame, elapsed: float) -> Chart | None:
    progress = progress_chart(BY_KEY[spec.target], by_county, elapsed) if spec.target else None
    if progress is not None:
        return progress
    rows = county_rows(by_county, spec.county)
    if len(rows) < 2:  # one county: its figures say it all
        return None
    series = tuple(Series(name, tuple(_num(v) for v in rows[col])) for col, name in spec.county)
    return Chart(
        texts.CHART_BY_COUNTY.format(what=spec.what), "county", tuple(rows["name_fa"]), series, percent=spec.percent
    )


def _month_chart(spec: _ChartSpec, by_month: pd.DataFrame, year: int, months: int, as_of: dt.date) -> Chart | None:
    """The topic's chart by Jalali month: the months of ``year`` with data (``by_month`` from ``kpi_by_month``), or,
    for a frame with a ``year`` column (the spec's own query), every month of its window that has begun, a month
    of another year named with its year and the title saying the span."""
    if months == 0:
        return None
    what = spec.month_what or spec.what
    if "year" in by_month.columns:
        reached = [month_reached(int(y), int(m), as_of) for y, m in zip(by_month["year"], by_month["month"])]
        rows = by_month[reached]
        if rows.empty:
            return None
        pairs = [(int(y), int(m)) for y, m in zip(rows["year"], rows["month"])]
        labels = tuple(month_name(year, m, as_of) if y == year else fa.month_label(m, y) for y, m in pairs)
        title = texts.CHART_BY_MONTH_SPAN.format(
            what=what, first=fa.month_label(pairs[0][1], pairs[0][0]), last=fa.month_label(pairs[-1][1], pairs[-1][0])
        )
    else:
        rows = by_month[by_month["month"] <= months]
        labels = tuple(month_name(year, int(m), as_of) for m in rows["month"])
        title = texts.CHART_BY_MONTH.format(what=what, year=fa.year(year))
    series = tuple(Series(name, tuple(_num(v) for v in rows[col])) for col, name in spec.month)
    return Chart(title, "month", labels, series)


# The achieved series of a cumulative chart, named as that metric's series elsewhere (so it takes its colour).
_CUMULATIVE_SERIES = {
    "se_stabilised": texts.SE_CUMULATIVE,
    "centre_employment": texts.SERIES_EMPLOYED,
    "loans_planned_jobs": texts.LOAN_JOBS,
}


def cumulative_charts(figures: Iterable[Figure], by_month: pd.DataFrame, year: int, months: int) -> tuple[Chart, ...]:
    """For each figure with a target: its running sum by Jalali month (all twelve months as categories,
    empty after the last month of data, so a partial year shows as one), the target as a level line and the even
    pace from nothing to the target over the year. The subtitle is the figure's status and forecast."""
    if months == 0:
        return ()
    charts = []
    rows = by_month.sort_values("month")
    for f in figures:
        key = f.metric.key
        if not f.metric.target or not f.target or key not in rows.columns:
            continue
        running, total = [], 0.0
        for month, value in zip(rows["month"], rows[key]):
            total += _num(value) or 0.0
            running.append(total if int(month) <= months else None)
        target = float(f.target)
        subtitle = "؛ ".join(t for t in (f.status_label, f.forecast_text) if t)
        charts.append(
            Chart(
                texts.CHART_CUMULATIVE.format(what=f.metric.card_label, year=fa.year(year)),
                "cumulative",
                tuple(fa.month_label(int(m)) for m in rows["month"]),
                (
                    Series(_CUMULATIVE_SERIES.get(key, texts.SERIES_ACHIEVED), tuple(running)),
                    Series(texts.SERIES_TARGET, tuple(target for _ in running)),
                    Series(texts.SERIES_PACE, tuple(target * int(m) / 12 for m in rows["month"])),
                ),
                subtitle=subtitle,
                key=key,
            )
        )
    return tuple(charts)


def build(snapshot: Snapshot, filters: Filters, scope: Iterable[str] | None = None) -> Brief:
    """The brief for one view. Raises ValueError (in Persian) for a year or county the snapshot does not hold."""
    names = catalog.county_names(snapshot)
    unknown = [c for c in filters.counties if c not in names]
    if unknown:
        raise ValueError(texts.EXPORT_UNKNOWN_COUNTY.format(value="، ".join(unknown)))
    if filters.year not in catalog.years(snapshot):
        raise ValueError(texts.EXPORT_UNKNOWN_YEAR.format(year=fa.year(filters.year)))
    scope = None if scope is None else frozenset(scope)
    values = metrics.compute(snapshot, filters, scope)
    by_county = run(snapshot, "kpi_by_county", filters.params(), scope)
    by_month = run(snapshot, "kpi_by_month", filters.params(), scope)
    months = months_shown(filters.year, snapshot.as_of)
    topics = []
    for key, title in metrics.TOPICS.items():
        spec = _SPECS[key]
        charts = [
            c
            for c in (
                _county_chart(spec, by_county, values.elapsed),
                _month_chart(
                    spec,
                    run(snapshot, spec.month_query, filters.params(), scope) if spec.month_query else by_month,
                    filters.year,
                    months,
                    snapshot.as_of,
                ),
            )
            if c
        ]
        topics.append(
            Topic(
                key,
                title,
                texts.TOPIC_SHORT[key],
                tuple(figure(m, values) for m in metrics.by_topic(key)),
                tuple(charts),
                verdict.topic(key, values, by_county),
            )
        )
    headline = tuple(figure(m, values) for m in metrics.headline())
    return Brief(
        snapshot_id=snapshot.id,
        as_of=snapshot.as_of,
        is_demo=snapshot.is_demo,
        filters=filters,
        where=where_text(names, filters, scope),
        values=values,
        headline=headline,
        topics=tuple(topics),
        by_county=by_county,
        by_month=by_month,
        verdict=verdict.headline(values, by_county),
        notes=view_notes(snapshot, filters, scope, names),
        cumulative=cumulative_charts(
            [values.kpi(m) for m in metrics.METRICS if m.target], by_month, filters.year, months
        ),
    )


def view_notes(
    snapshot: Snapshot, filters: Filters, scope: frozenset[str] | None, names: dict[str, str]
) -> tuple[str, ...]:
    """The notes and decisions about this view (its year and place), as lines, when the data directory has a
    state store; none otherwise (an export never creates one)."""
    settings = load(snapshot.path.parent.parent)
    if not store_exists(settings):
        return ()
    if filters.counties:
        places = [c for c in filters.counties if scope is None or c in scope]
    else:
        places = sorted(scope) if scope is not None else [""]
    try:
        found = notes.find(settings, scope, year=filters.year, counties=places)
    except StoreError:
        return ()
    return tuple(notes.line(n, snapshot, names) for n in found)
