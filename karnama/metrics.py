"""Every KPI defined once: key, Persian label, unit, the query and column it comes from, its target.

Pages, exports and the CLI read these definitions; ``compute`` runs each query once for a year and the one
before it (for the year-over-year change) and returns the values with their targets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from karnama.core import fa, texts
from karnama.data.query import Filters, run
from karnama.data.snapshots import Snapshot

UNITS = {"people": "نفر", "projects": "طرح", "jobs": "شغل", "counties": "شهرستان", "rials": "ریال", "ratio": "٪"}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    query: str
    topic: str
    target: str | None = None  # the values key its target is reported under (indicator = this metric's key)
    headline: bool = False
    help: str = ""
    short: str = ""  # a shorter label for cards
    card: bool = True  # False for figures that only make sense beside another (a denominator)

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
        if self.unit == "rials":
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
        "kpi_se",
        "se",
        target="se_target",
        headline=True,
        help="فقط شغل تثبیت‌شده در هدف شمرده می‌شود.",
        short="اشتغال تثبیت‌شده (SE)",
    ),
    Metric("se_placed", "به‌کارگماری در مراکز پشتیبانی شغلی", "people", "kpi_se", "se"),
    Metric("se_enrolled", "پذیرش در مراکز پشتیبانی شغلی", "people", "kpi_se", "se"),
    Metric(
        "incentive_stabilisation_total", "مشوق‌های بیمه‌ای تثبیت", "people", "kpi_incentives", "incentives", headline=True
    ),
    Metric(
        "incentive_creation_total", "مشوق‌های بیمه‌ای ایجادی", "people", "kpi_incentives", "incentives", headline=True
    ),
    Metric(
        "incentive_employer_share_stabilisation", "بیمه سهم کارفرمایی — تثبیت", "people", "kpi_incentives", "incentives"
    ),
    Metric(
        "incentive_self_employment_stabilisation", "بیمه خویش‌فرمایی — تثبیت", "people", "kpi_incentives", "incentives"
    ),
    Metric(
        "incentive_efficiency_subsidy_stabilisation",
        "یارانه ارتقاء کارایی — تثبیت",
        "people",
        "kpi_incentives",
        "incentives",
    ),
    Metric("incentive_employer_share_creation", "مشوق کارفرمایی ایجادی", "people", "kpi_incentives", "incentives"),
    Metric("incentive_self_employment_creation", "بیمه خویش‌فرمایی ایجادی", "people", "kpi_incentives", "incentives"),
    Metric(
        "incentive_efficiency_subsidy_creation", "یارانه ارتقاء کارایی ایجادی", "people", "kpi_incentives", "incentives"
    ),
    Metric("incentive_amount_rials", "مبلغ مشوق‌های بیمه‌ای", "rials", "kpi_incentives", "incentives"),
    Metric(
        "centre_employment",
        "اشتغال از طریق مراکز دارای مجوز",
        "people",
        "kpi_centres",
        "centres",
        target="centre_employment_target",
        headline=True,
        help="مددجویان و اعضای خانوادهٔ آنان",
        short="اشتغال از طریق مراکز",
    ),
    Metric("centre_clients_employed", "مددجویان شاغل‌شده از طریق مراکز", "people", "kpi_centres", "centres"),
    Metric("centre_family_employed", "اعضای خانوادهٔ شاغل‌شده از طریق مراکز", "people", "kpi_centres", "centres"),
    Metric("centre_graduates", "دانش‌آموختگان دانشگاهی شاغل‌شده", "people", "kpi_centres", "centres"),
    Metric(
        "loans_count",
        "طرح‌های دارای تسهیلات اشتغال‌زایی",
        "projects",
        "kpi_loans",
        "loans",
        headline=True,
        short="طرح‌های تسهیلات",
    ),
    Metric("loans_amount_rials", "مبلغ تسهیلات اشتغال‌زایی", "rials", "kpi_loans", "loans", headline=True),
    Metric(
        "loans_planned_jobs",
        "اشتغال پیش‌بینی‌شده در طرح‌ها",
        "jobs",
        "kpi_loans",
        "loans",
        target="loans_planned_jobs_target",
    ),
    Metric("loans_amount_per_job", "مبلغ تسهیلات به ازای هر شغل", "rials", "kpi_loans", "loans"),
    Metric(
        "remote_monitoring_county_coverage",
        "پوشش پایش غیرحضوری شهرستان‌ها",
        "ratio",
        "kpi_monitoring",
        "monitoring",
        headline=True,
        help="شهرستان‌های پایش‌شده از راه دور به همهٔ شهرستان‌ها",
        short="پایش غیرحضوری شهرستان‌ها",
    ),
    Metric("remote_counties_monitored", "شهرستان‌های پایش‌شدهٔ غیرحضوری", "counties", "kpi_monitoring", "monitoring"),
    Metric("counties_total", "شهرستان‌ها", "counties", "kpi_monitoring", "monitoring", card=False),
    Metric(
        "in_person_monitoring_project_coverage",
        "پوشش پایش حضوری طرح‌ها",
        "ratio",
        "kpi_monitoring",
        "monitoring",
        headline=True,
        help="طرح‌های تسهیلات سال قبل که حضوری بازدید شده‌اند",
        short="پایش حضوری طرح‌ها",
    ),
    Metric("in_person_projects_visited", "طرح‌های بازدیدشدهٔ حضوری", "projects", "kpi_monitoring", "monitoring"),
    Metric("projects_due", "طرح‌های نیازمند پایش (تسهیلات سال قبل)", "projects", "kpi_monitoring", "monitoring"),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
TARGET_KEYS: dict[str, str] = {m.target: m.key for m in METRICS if m.target}


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
    """Values for the chosen year and the one before, and targets, keyed by metric key."""

    filters: Filters
    current: dict[str, float | int | None] = field(default_factory=dict)
    previous: dict[str, float | int | None] = field(default_factory=dict)
    targets: dict[str, float | int | None] = field(default_factory=dict)

    def change(self, key: str) -> float | None:
        """Relative change against the previous Jalali year (None where the previous value is 0 or missing)."""
        now, before = self.current.get(key), self.previous.get(key)
        if now is None or not before:
            return None
        return (now - before) / before

    def target(self, metric: Metric) -> float | int | None:
        return self.targets.get(metric.target) if metric.target else None

    def as_json_values(self) -> dict:
        """The flat ``values`` object of ``kpis --json``: every metric and every target of the chosen year."""
        out = dict(self.current)
        for m in METRICS:
            if m.target:
                out[m.target] = self.targets.get(m.target)
        return out


def compute(
    snapshot: Snapshot, filters: Filters, scope: Iterable[str] | None = None, metrics: Iterable[Metric] = METRICS
) -> KpiValues:
    """Run each query the metrics need once, for the chosen year and the one before."""
    metrics = list(metrics)
    result = KpiValues(filters)
    for qname in dict.fromkeys(m.query for m in metrics):
        frame = run(snapshot, qname, filters.params(), scope)
        rows = {int(r["year"]): r for r in frame.to_dict("records")}
        for m in metrics:
            if m.query != qname:
                continue
            result.current[m.key] = _clean(rows.get(filters.year, {}).get(m.key))
            result.previous[m.key] = _clean(rows.get(filters.year - 1, {}).get(m.key))
    if any(m.target for m in metrics):
        targets = run(snapshot, "kpi_targets", filters.params(), scope)
        for r in targets.to_dict("records"):
            target_key = BY_KEY[r["indicator"]].target if r["indicator"] in BY_KEY else None
            if int(r["year"]) == filters.year and target_key:
                result.targets[target_key] = _clean(r["target"])
        for m in metrics:
            if m.target:
                result.targets.setdefault(m.target, None)
    return result


def pace_status(share_of_target: float, elapsed: float) -> str:
    """Ahead / on / behind plan: the share achieved against the share of the year elapsed."""
    if elapsed <= 0:
        return texts.PACE_ON
    ratio = share_of_target / elapsed
    if ratio >= 1.05:
        return texts.PACE_AHEAD
    if ratio >= 0.95:
        return texts.PACE_ON
    return texts.PACE_BEHIND
