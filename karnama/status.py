"""The one status rule, the comparison span and the year-end forecast: every screen and export reads these.

Status: for a metric with a target, the share of the target achieved is compared with the share of the Jalali
year elapsed at the snapshot's as-of date (a closed year is 100% elapsed). ``pace = share / elapsed``:

    pace >= AHEAD     -> ahead      (جلوتر از برنامه)
    pace >= ON_TRACK  -> on_track   (مطابق برنامه)
    pace >= AT_RISK   -> at_risk    (در معرض عقب‌ماندن)
    otherwise         -> behind     (عقب‌تر از برنامه)

A county without a target of its own is ``no_target`` (it never inherits the province's verdict).

Comparison: a closed year is compared with the whole previous year; a year in progress with the same months of
the previous year, 1 Farvardin to the end of the last complete month before the as-of date (month-bounded,
because incentives and centre employment are reported per month).

Forecast (metrics with a target): the run-rate so far carried to the end of the year, ``value / elapsed``; the
low–high range adds the remaining months at the monthly rate minus / plus the standard deviation of the complete
months' values. A closed year's forecast is its actual value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import jdatetime

from karnama.core import fa, texts

# Thresholds of pace (share of target / share of year elapsed), in one place.
AHEAD = 1.05
ON_TRACK = 0.95
AT_RISK = 0.85

STATES: tuple[str, ...] = ("ahead", "on_track", "at_risk", "behind", "no_target")
LABELS: dict[str, str] = {
    "ahead": texts.STATUS_AHEAD,
    "on_track": texts.STATUS_ON_TRACK,
    "at_risk": texts.STATUS_AT_RISK,
    "behind": texts.STATUS_BEHIND,
    "no_target": texts.STATUS_NO_TARGET,
}
# One colour per state (text on white meets WCAG AA contrast); charts, tables and exports read these. "Ahead" is
# blue, not a second green: side by side on the map two greens could not be told apart.
COLOURS: dict[str, str] = {
    "ahead": "#1864ab",
    "on_track": "#2f7d32",
    "at_risk": "#b35c00",
    "behind": "#c92a2a",
    "no_target": "#6c757d",
}
LAGGING: frozenset[str] = frozenset({"behind"})  # the states a laggard list names

# Delta colours by a metric's direction (see metrics.Metric.direction): good, bad, neutral.
GOOD_COLOUR = "#2f7d32"
BAD_COLOUR = "#c92a2a"
NEUTRAL_COLOUR = "#6c757d"


def elapsed(year: int, as_of: dt.date) -> float:
    """Share (0..1) of Jalali ``year`` elapsed on ``as_of``; a closed year is 1."""
    return fa.year_elapsed(year, as_of)


def months_shown(year: int, as_of: dt.date) -> int:
    """How many months of ``year`` the data can hold: all 12 for a past year, up to the as-of month for the
    current one (so a partial year does not end in a row of zeros)."""
    j = fa.jalali(as_of)
    if year < j.year:
        return 12
    return j.month if year == j.year else 0


def month_reached(year: int, month: int, as_of: dt.date) -> bool:
    """Whether Jalali ``year``/``month`` has begun on ``as_of`` (a month still to come holds no data, not zero)."""
    return month <= months_shown(year, as_of)


def partial_month(year: int, as_of: dt.date) -> int | None:
    """The month of ``year`` the as-of date falls inside without completing it (None: every month shown is whole).
    Its bar is short because the month is, not because the figure fell."""
    j = fa.jalali(as_of)
    if j.year != year or as_of >= fa.jalali_month_bounds(j.year, j.month)[1]:
        return None
    return j.month


def month_name(year: int, month: int, as_of: dt.date) -> str:
    """A month on a chart axis; the month still in progress says how many of its days the data covers:
    «آبان (۱۵ روز)»."""
    name = fa.month_label(month)
    if partial_month(year, as_of) != month:
        return name
    return texts.PARTIAL_MONTH_MARK.format(month=name, days=fa.digits(fa.jalali(as_of).day))


def partial_month_note(year: int, as_of: dt.date) -> str | None:
    """Under a monthly chart of a year in progress: which month is partial and through which day (None: none)."""
    month = partial_month(year, as_of)
    if month is None:
        return None
    return texts.PARTIAL_MONTH_NOTE.format(month=fa.month_label(month, year), day=fa.digits(fa.jalali(as_of).day))


def status(value: float | None, target: float | None, share_elapsed: float) -> str:
    """The state of a figure against its target at ``share_elapsed`` of the year (``no_target`` without one)."""
    if not target or target <= 0:
        return "no_target"
    share = (value or 0) / target
    if share_elapsed <= 0:
        return "on_track"
    pace = share / share_elapsed
    if pace >= AHEAD:
        return "ahead"
    if pace >= ON_TRACK:
        return "on_track"
    if pace >= AT_RISK:
        return "at_risk"
    return "behind"


def year_label(year: int, as_of: dt.date) -> str:
    """A Jalali year on a trend axis; a year still in progress says so: «۱۴۰۳ (تا ۱۵ آبان)»."""
    if 0 < elapsed(year, as_of) < 1:
        j = jdatetime.date.fromgregorian(date=as_of)
        return texts.PARTIAL_YEAR_MARK.format(year=fa.year(year), as_of=f"{fa.digits(j.day)} {fa.MONTHS[j.month - 1]}")
    return fa.year(year)


def label(state: str | None) -> str:
    return LABELS.get(state or "", "—")


def colour(state: str | None) -> str:
    return COLOURS.get(state or "", COLOURS["no_target"])


@dataclass(frozen=True)
class Comparison:
    """What a change is measured against: the previous year's whole year or its first ``months`` months."""

    year: int  # the chosen Jalali year
    basis: str  # "same_period" or "whole_year"
    months: int  # months 1..months of both years are compared (12 for whole years)
    start: dt.date  # Gregorian span of the previous year compared
    end: dt.date

    def span(self, year: int) -> str:
        """The compared months of ``year``: «فروردین تا مهر ۱۴۰۲» («فروردین ۱۴۰۲» for one month)."""
        if self.months == 1:
            return texts.COMPARE_SPAN_ONE.format(month=fa.MONTHS[0], year=fa.year(year))
        return texts.COMPARE_SPAN.format(first=fa.MONTHS[0], last=fa.MONTHS[self.months - 1], year=fa.year(year))

    @property
    def label(self) -> str:
        """«فروردین تا مهر ۱۴۰۳ نسبت به فروردین تا مهر ۱۴۰۲» or «نسبت به کل سال ۱۴۰۲»."""
        if self.same_period:
            return texts.COMPARE_SAME_PERIOD.format(now=self.span(self.year), before=self.span(self.year - 1))
        return texts.COMPARE_WHOLE_YEAR.format(year=fa.year(self.year - 1))

    @property
    def phrase(self) -> str:
        """:attr:`label` as it follows a change in a sentence («۷٪ کاهش در فروردین تا مهر ۱۴۰۳ نسبت به …»)."""
        if self.same_period:
            return texts.COMPARE_SAME_PERIOD_IN.format(now=self.span(self.year), before=self.span(self.year - 1))
        return self.label

    @property
    def same_period(self) -> bool:
        """Whether only part of the year is compared (a year in progress): the year so far then differs from the
        figure the change is computed from, and tables show that figure too (:attr:`current_short`)."""
        return self.basis == "same_period"

    @property
    def short(self) -> str:
        """The previous figure's column header: «سال ۱۴۰۲» or «فروردین تا مهر ۱۴۰۲»."""
        if self.same_period:
            return self.span(self.year - 1)
        return texts.COL_VALUE.format(year=fa.year(self.year - 1))

    @property
    def current_short(self) -> str:
        """The header of this year's figure over the compared months: «فروردین تا مهر ۱۴۰۳»."""
        return self.span(self.year)

    def as_json(self) -> dict:
        return {"basis": self.basis, "from": self.start.isoformat(), "to": self.end.isoformat()}


def comparison(year: int, as_of: dt.date) -> Comparison:
    """The comparison span of ``year`` seen on ``as_of`` (see the module docstring)."""
    j = jdatetime.date.fromgregorian(date=as_of)
    if as_of >= fa.jalali_year_bounds(year)[1] or j.year != year:
        first, last = fa.jalali_year_bounds(year - 1)
        return Comparison(year, "whole_year", 12, first, last)
    month_end = fa.jalali_month_bounds(year, j.month)[1]
    months = j.month if as_of >= month_end else j.month - 1
    months = max(months, 1)  # in Farvardin itself there is no complete month: compare Farvardin with Farvardin
    first = fa.jalali_year_bounds(year - 1)[0]
    last = fa.jalali_month_bounds(year - 1, months)[1]
    return Comparison(year, "same_period", months, first, last)


@dataclass(frozen=True)
class Forecast:
    """The year-end outlook of a metric with a target."""

    value: float  # achieved so far
    expected: float
    low: float
    high: float
    target: float
    closed: bool
    months_left: float  # months of the year still to come (0 for a closed year)

    @property
    def shortfall(self) -> float:
        """How far the expected year-end value falls short of the target (0 when it reaches it)."""
        return max(self.target - self.expected, 0.0)

    @property
    def still_needed(self) -> float:
        return max(self.target - self.value, 0.0)

    @property
    def per_month_needed(self) -> float | None:
        """How many more per remaining month reach the target (None for a closed year)."""
        if self.closed or self.months_left <= 0:
            return None
        return self.still_needed / self.months_left

    def as_json(self) -> dict:
        out: dict[str, float | int | None] = {
            "expected": _round(self.expected),
            "low": _round(self.low),
            "high": _round(self.high),
            "target": _round(self.target),
            "shortfall": _round(self.shortfall),
        }
        need = self.per_month_needed
        out["per_month_needed"] = None if need is None else _round(need)
        return out


def _round(x: float) -> float | int:
    r = round(x, 1)
    return int(r) if float(r).is_integer() else r


def forecast(
    value: float | None, target: float | None, share_elapsed: float, months: Sequence[float]
) -> Forecast | None:
    """The forecast of a figure: ``months`` are the values of the complete months of the year so far."""
    if not target:
        return None
    done = float(value or 0)
    if share_elapsed >= 1:
        return Forecast(done, done, done, done, float(target), True, 0.0)
    if share_elapsed <= 0:
        return None
    left = 12 * (1 - share_elapsed)
    rate = done / (12 * share_elapsed)
    spread = _stdev(months)
    expected = done / share_elapsed
    low = done + max(rate - spread, 0.0) * left
    high = done + (rate + spread) * left
    return Forecast(done, expected, min(low, expected), max(high, expected), float(target), False, left)


def _stdev(values: Sequence[float]) -> float:
    xs = [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if len(xs) < 2:
        return 0.0
    mean = sum(xs) / len(xs)
    return math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
