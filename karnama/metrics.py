"""Every KPI defined once: key, Persian label, unit, the query and column it comes from, its target.

Pages, exports and the CLI read these definitions; ``compute`` sums the KPI layer (queries/rollups/kpi_facts.sql)
for a year and the one before it, over whole years and over the compared span (karnama/status.py), and returns
the values with their targets. :class:`Kpi` is the one view-model of a KPI that cards, the presentation and the
exports all render.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from karnama import status as status_rule
from karnama.core import fa, texts
from karnama.data.query import Filters, run
from karnama.data.snapshots import Snapshot
from karnama.status import Comparison, Forecast

UNITS = {"people": "نفر", "projects": "طرح", "jobs": "شغل", "counties": "شهرستان", "rial": "ریال", "ratio": "٪"}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    topic: str
    target: str | None = None  # the values key its target is reported under (indicator = this metric's key)
    headline: bool = False
    help: str = ""
    short: str = ""  # a shorter label for cards
    card: bool = True  # False for figures that only make sense beside another (a denominator)
    # What a rise means: "higher_is_better", "lower_is_better" or "neutral" (context figures): colours follow it.
    direction: str = "higher_is_better"

    @property
    def card_label(self) -> str:
        return self.short or self.label

    @property
    def help_text(self) -> str | None:
        """The tooltip: the full label when the card shows a short one, then the definition."""
        parts = [self.label] if self.short else []
        return " — ".join(parts + ([self.help] if self.help else [])) or None

    def format(self, value: float | None) -> str:
        """The value as a Persian reader sees it, with its unit."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        if self.unit == "ratio":
            return fa.pct(value)
        if self.unit == "rial":
            return fa.rials(value)
        return f"{fa.num(value)} {UNITS[self.unit]}"


TOPICS = {
    "se": "اشتغال حمایت‌شده (مراکز پشتیبانی شغلی)",
    "incentives": "مشوق‌های بیمه‌ای",
    "centres": "اشتغال از طریق مراکز دارای مجوز",
    "loans": "تسهیلات اشتغال‌زایی",
    "monitoring": "پایش طرح‌های اشتغال",
}

METRICS: tuple[Metric, ...] = (
    Metric(
        "se_stabilised",
        "اشتغال تثبیت‌شده افراد دارای معلولیت (SE)",
        "people",
        "se",
        target="se_target",
        headline=True,
        help="فقط شغل تثبیت‌شده در هدف شمرده می‌شود.",
        short="اشتغال تثبیت‌شده (SE)",
    ),
    Metric("se_placed", "به‌کارگماری در مراکز پشتیبانی شغلی", "people", "se"),
    Metric("se_enrolled", "پذیرش در مراکز پشتیبانی شغلی", "people", "se", direction="neutral"),
    Metric("incentive_stabilisation_total", "مشوق‌های بیمه‌ای تثبیت", "people", "incentives", headline=True),
    Metric("incentive_creation_total", "مشوق‌های بیمه‌ای ایجادی", "people", "incentives", headline=True),
    Metric("incentive_employer_share_stabilisation", "بیمه سهم کارفرمایی — تثبیت", "people", "incentives"),
    Metric("incentive_self_employment_stabilisation", "بیمه خویش‌فرمایی — تثبیت", "people", "incentives"),
    Metric(
        "incentive_efficiency_subsidy_stabilisation",
        "یارانه ارتقاء کارایی — تثبیت",
        "people",
        "incentives",
    ),
    Metric("incentive_employer_share_creation", "مشوق کارفرمایی ایجادی", "people", "incentives"),
    Metric("incentive_self_employment_creation", "بیمه خویش‌فرمایی ایجادی", "people", "incentives"),
    Metric("incentive_efficiency_subsidy_creation", "یارانه ارتقاء کارایی ایجادی", "people", "incentives"),
    Metric("incentive_amount_rials", "مبلغ مشوق‌های بیمه‌ای", "rial", "incentives", direction="neutral"),
    Metric(
        "centre_employment",
        "اشتغال از طریق مراکز دارای مجوز",
        "people",
        "centres",
        target="centre_employment_target",
        headline=True,
        help="مددجویان و اعضای خانوادهٔ آنان",
        short="اشتغال از طریق مراکز",
    ),
    Metric("centre_clients_employed", "مددجویان شاغل‌شده از طریق مراکز", "people", "centres"),
    Metric("centre_family_employed", "اعضای خانوادهٔ شاغل‌شده از طریق مراکز", "people", "centres"),
    Metric("centre_graduates", "دانش‌آموختگان دانشگاهی شاغل‌شده", "people", "centres"),
    Metric(
        "loans_count",
        "طرح‌های دارای تسهیلات اشتغال‌زایی",
        "projects",
        "loans",
        headline=True,
        short="طرح‌های تسهیلات",
    ),
    Metric("loans_amount_rials", "مبلغ تسهیلات اشتغال‌زایی", "rial", "loans", headline=True),
    Metric(
        "loans_planned_jobs",
        "اشتغال پیش‌بینی‌شده در طرح‌ها",
        "jobs",
        "loans",
        target="loans_planned_jobs_target",
    ),
    Metric("loans_amount_per_job", "مبلغ تسهیلات به ازای هر شغل", "rial", "loans", direction="lower_is_better"),
    Metric(
        "remote_monitoring_county_coverage",
        "پوشش پایش غیرحضوری شهرستان‌ها",
        "ratio",
        "monitoring",
        headline=True,
        help="شهرستان‌های پایش‌شده از راه دور به همهٔ شهرستان‌ها",
        short="پایش غیرحضوری شهرستان‌ها",
    ),
    Metric("remote_counties_monitored", "شهرستان‌های پایش‌شدهٔ غیرحضوری", "counties", "monitoring"),
    Metric("counties_total", "شهرستان‌ها", "counties", "monitoring", card=False, direction="neutral"),
    Metric(
        "in_person_monitoring_project_coverage",
        "پوشش پایش حضوری طرح‌ها",
        "ratio",
        "monitoring",
        headline=True,
        help="طرح‌های تسهیلات سال قبل که حضوری بازدید شده‌اند",
        short="پایش حضوری طرح‌ها",
    ),
    Metric("in_person_projects_visited", "طرح‌های بازدیدشدهٔ حضوری", "projects", "monitoring"),
    Metric("projects_due", "طرح‌های نیازمند پایش (تسهیلات سال قبل)", "projects", "monitoring", direction="neutral"),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
TARGET_KEYS: dict[str, str] = {m.target: m.key for m in METRICS if m.target}
# The metric the overview ranks counties by (its table, laggard list and map colours).
RANKED = "se_stabilised"


def headline() -> list[Metric]:
    return [m for m in METRICS if m.headline]


def by_topic(topic: str) -> list[Metric]:
    return [m for m in METRICS if m.topic == topic]


def cards(topic: str) -> list[Metric]:
    """The metrics of a topic shown as cards on its page."""
    return [m for m in by_topic(topic) if m.card]


def _clean(value) -> float | int | None:
    if value is None:
        return None
    try:
        if math.isnan(value):
            return None
    except TypeError:
        return None
    f = float(value)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


@dataclass
class KpiValues:
    """Values for the chosen year and the one before, targets, and the compared span, keyed by metric key.

    ``current`` / ``previous`` are whole Jalali years (``current`` is the year so far for a year in progress);
    ``compared_current`` / ``compared_previous`` cover the months of ``comparison`` (equal to the whole years for
    a closed year); ``monthly`` holds the complete months of the chosen year for the forecast."""

    filters: Filters
    as_of: dt.date | None = None
    current: dict[str, float | int | None] = field(default_factory=dict)
    previous: dict[str, float | int | None] = field(default_factory=dict)
    targets: dict[str, float | int | None] = field(default_factory=dict)
    comparison: Comparison | None = None
    compared_current: dict[str, float | int | None] = field(default_factory=dict)
    compared_previous: dict[str, float | int | None] = field(default_factory=dict)
    monthly: dict[str, list[float]] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        """Share of the chosen year elapsed at the as-of date (1 without one)."""
        return 1.0 if self.as_of is None else status_rule.elapsed(self.filters.year, self.as_of)

    def _compared(self, key: str) -> tuple[float | int | None, float | int | None]:
        """The figure now and the year before over the compared span (whole years where there is none)."""
        now = self.compared_current.get(key, self.current.get(key))
        before = self.compared_previous.get(key, self.previous.get(key))
        return now, before

    def change(self, key: str) -> float | None:
        """Relative change against the compared span of the previous year (None where that is 0 or missing)."""
        now, before = self._compared(key)
        if now is None or not before:
            return None
        return (now - before) / before

    def points(self, metric: Metric) -> float | None:
        """For a share: the compared share now minus the one before (None for other units, or a share missing)."""
        if metric.unit != "ratio":
            return None
        now, before = self._compared(metric.key)
        if now is None or before is None or math.isnan(now) or math.isnan(before):
            return None
        return float(now) - float(before)

    def target(self, metric: Metric) -> float | int | None:
        return self.targets.get(metric.target) if metric.target else None

    def status(self, metric: Metric) -> str | None:
        """The status word of a metric with a target (None for a metric that never has one)."""
        if not metric.target:
            return None
        return status_rule.status(self.current.get(metric.key), self.target(metric), self.elapsed)

    def forecast(self, metric: Metric) -> Forecast | None:
        if not metric.target:
            return None
        return status_rule.forecast(
            self.current.get(metric.key), self.target(metric), self.elapsed, self.monthly.get(metric.key, [])
        )

    def kpi(self, metric: Metric) -> Kpi:
        """The view-model of one metric."""
        return Kpi(
            metric=metric,
            value=self.current.get(metric.key),
            previous=self.compared_previous.get(metric.key, self.previous.get(metric.key)),
            target=self.target(metric),
            change=self.change(metric.key),
            points=self.points(metric),
            status=self.status(metric),
            forecast=self.forecast(metric),
            comparison=self.comparison,
            elapsed=self.elapsed,
            compared=self._compared(metric.key)[0],
        )

    def as_json_values(self) -> dict:
        """The flat ``values`` object of ``kpis --json``: every metric and every target of the chosen year."""
        out = dict(self.current)
        for m in METRICS:
            if m.target:
                out[m.target] = self.targets.get(m.target)
        return out

    def as_json_verdict(self) -> dict:
        """``status``, ``comparison`` and ``forecast`` of ``kpis --json`` (the verdict sentence is added by the
        caller, which knows the counties)."""
        with_target = [m for m in METRICS if m.target and m.key in self.current]
        comparison = self.comparison.as_json() if self.comparison else {}
        comparison["previous"] = {k: v for k, v in self.compared_previous.items()}
        comparison["current"] = {k: v for k, v in self.compared_current.items()}
        forecasts = {}
        for m in with_target:
            f = self.forecast(m)
            if f is not None:
                forecasts[m.key] = f.as_json()
        return {
            "status": {m.key: self.status(m) for m in with_target},
            "comparison": comparison,
            "forecast": forecasts,
        }


def compute(
    snapshot: Snapshot, filters: Filters, scope: Iterable[str] | None = None, metrics: Iterable[Metric] = METRICS
) -> KpiValues:
    """Sum the KPI layer for the chosen year and the one before (whole years and the compared span), with targets
    and, for a year in progress, the complete months the forecast reads."""
    metrics = list(metrics)
    comparison = status_rule.comparison(filters.year, snapshot.as_of)
    result = KpiValues(filters, as_of=snapshot.as_of, comparison=comparison)

    def fill(through: int, now: dict, before: dict) -> None:
        frame = run(snapshot, "kpi_values", filters.params(through_month=through), scope)
        rows = {int(r["year"]): r for r in frame.to_dict("records")}
        for m in metrics:
            now[m.key] = _clean(rows.get(filters.year, {}).get(m.key))
            before[m.key] = _clean(rows.get(filters.year - 1, {}).get(m.key))

    fill(12, result.current, result.previous)
    if comparison.months == 12:
        result.compared_current, result.compared_previous = dict(result.current), dict(result.previous)
    else:
        fill(comparison.months, result.compared_current, result.compared_previous)
    if any(m.target for m in metrics):
        targets = run(snapshot, "kpi_targets", filters.params(), scope)
        for r in targets.to_dict("records"):
            target_key = BY_KEY[r["indicator"]].target if r["indicator"] in BY_KEY else None
            if int(r["year"]) == filters.year and target_key:
                result.targets[target_key] = _clean(r["target"])
        for m in metrics:
            if m.target:
                result.targets.setdefault(m.target, None)
        if result.elapsed < 1:
            complete = comparison.months if comparison.basis == "same_period" else 0
            by_month = run(snapshot, "kpi_by_month", filters.params(), scope)
            for m in metrics:
                if m.target and m.key in by_month.columns:
                    rows = by_month[by_month["month"] <= complete]
                    result.monthly[m.key] = [float(v) for v in rows[m.key]]
    return result


def exact(metric: Metric, value: float | int | None) -> str:
    """A value without the rounding of cards: whole rials, percentages with two decimals."""
    if value is None:
        return "—"
    if metric.unit == "rial":
        return f"{fa.num(value)} {UNITS['rial']}"
    if metric.unit == "ratio":
        return fa.pct(value, 2)
    return metric.format(value)


def change_text(change: float | None, points: float | None = None) -> str:
    """A change in words («۱۲٪ افزایش», or for a share «۱۲ واحد درصد افزایش»): a sign before Persian digits is placed
    differently by each right-to-left renderer, words are not."""
    if points is not None:
        if round(points * 100) == 0:
            return texts.CHANGE_NONE
        return (texts.CHANGE_UP if points > 0 else texts.CHANGE_DOWN).format(pct=percentage_points(abs(points)))
    if change is None:
        return "—"
    if round(change * 100) == 0:
        return texts.CHANGE_NONE
    return (texts.CHANGE_UP if change > 0 else texts.CHANGE_DOWN).format(pct=fa.pct(abs(change)))


def percentage_points(difference: float, sign: str = "") -> str:
    """A difference of two shares as a reader says it: 0.12 -> «۱۲ واحد درصد» (not «۱۲٪», read as a share); with
    ``sign`` («+» or «-») the signed number is isolated left to right, so the sign stays left of the digits."""
    n = fa.num(round(difference * 100))
    return texts.PERCENTAGE_POINTS.format(n=fa.ltr(sign + n) if sign else n)


@dataclass(frozen=True)
class Kpi:
    """One KPI as every surface shows it: value, the compared previous figure and the change, what that change
    means (direction), target, progress, status and the year-end forecast. Cards, the presentation screens and
    the PDF / deck / workbook all render this, so they cannot disagree."""

    metric: Metric
    value: float | int | None
    previous: float | int | None  # the previous year over the compared span
    target: float | int | None
    change: float | None
    status: str | None = None  # a status word (karnama/status.py) for a metric with a target
    forecast: Forecast | None = None
    comparison: Comparison | None = None
    elapsed: float = 1.0
    # For a share (unit "ratio"): the change as a difference of the compared shares (0.79 -> 0.91 is +0.12), which is
    # how it is shown; a relative change of a share («۱۵٪ افزایش») reads as points and misleads.
    points: float | None = None
    # This year's figure over the compared span: the year so far for a closed year, the compared complete months
    # for a year in progress (the change is computed from it, not from ``value``). None: the same as ``value``.
    compared: float | int | None = None

    @property
    def compared_value(self) -> float | int | None:
        """The figure the change is computed from (``value`` unless a span was compared)."""
        return self.value if self.compared is None else self.compared

    @property
    def delta(self) -> float | None:
        """The change as shown: the difference of shares for a share, the relative change otherwise."""
        return self.points if self.points is not None else self.change

    @property
    def text(self) -> str:
        return self.metric.format(self.value)

    @property
    def progress(self) -> float | None:
        """Share of the target achieved (None without a target)."""
        if not self.target or self.value is None:
            return None
        return self.value / self.target

    @property
    def change_text(self) -> str:
        return change_text(self.change, self.points)

    @property
    def exact(self) -> str:
        """The unrounded value for speaker notes: money in whole rials, ratios to two decimals."""
        return exact(self.metric, self.value)

    @property
    def exact_previous(self) -> str:
        return exact(self.metric, self.previous)

    @property
    def exact_compared(self) -> str:
        return exact(self.metric, self.compared_value)

    @property
    def flat(self) -> bool:
        return self.delta is None or round(self.delta * 100) == 0

    @property
    def good(self) -> bool | None:
        """Whether the change is good news given the metric's direction (None: neutral, none or flat)."""
        if self.delta is None or self.flat or self.metric.direction == "neutral":
            return None
        rising = self.delta > 0
        return rising if self.metric.direction == "higher_is_better" else not rising

    @property
    def change_colour(self) -> str:
        """The colour of the change on any surface: green only for good news, red for bad, grey otherwise."""
        good = self.good
        if good is None:
            return status_rule.NEUTRAL_COLOUR
        return status_rule.GOOD_COLOUR if good else status_rule.BAD_COLOUR

    @property
    def delta_arrow(self) -> Literal["up", "down", "off"]:
        """The card's arrow: the way the figure moved (none when the change rounds to nothing)."""
        if self.delta is None or self.flat:
            return "off"
        return "up" if self.delta > 0 else "down"

    @property
    def delta_tone(self) -> Literal["green", "red", "gray"]:
        """Streamlit's colour for the card's change, meaning what :attr:`change_colour` means: green only for good
        news, red for bad, grey for neutral figures and no change."""
        good = self.good
        return "gray" if good is None else ("green" if good else "red")

    @property
    def delta_text(self) -> str | None:
        """The change with its sign, «-۱۲٪» or «+۱۲ واحد درصد» (short, so a card never cuts it; the comparison's
        label, said once above the cards, says against what). The signed number is isolated left to right: in a
        right-to-left card its sign stays on the left of the digits whether words follow it or not. (The arrow and
        colour come from :attr:`delta_arrow` and :attr:`delta_tone`, not from the text.)"""
        if self.delta is None:
            return None
        sign = "" if self.flat else ("+" if self.delta > 0 else "-")
        if self.points is not None:
            return percentage_points(abs(self.points), sign)
        shown = fa.pct(abs(self.change or 0))
        return fa.ltr(sign + shown) if sign else shown

    @property
    def status_label(self) -> str:
        return status_rule.label(self.status) if self.status else ""

    @property
    def status_colour(self) -> str:
        return status_rule.colour(self.status)

    @property
    def forecast_text(self) -> str:
        """Compact forecast for a card: expected (low–high) and, while short, the monthly need."""
        f = self.forecast
        if f is None:
            return ""
        if f.closed:
            return texts.FORECAST_FINAL.format(value=self.metric.format(f.value))
        text = texts.FORECAST_CARD.format(
            expected=self.metric.format(round(f.expected)), low=fa.num(f.low), high=fa.num(f.high)
        )
        need = f.per_month_needed
        if f.shortfall > 0 and need:
            text += "؛ " + texts.FORECAST_NEED.format(need=self.metric.format(math.ceil(need)))
        return text
