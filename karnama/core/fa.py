"""The one place for Persian: digits, number/percent/money formats, Jalali dates and month names, UI text.

Pages, charts and exports format through these functions so a number reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import overload

import jdatetime
from typing_extensions import TypeIs

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
THOUSANDS = "٬"  # U+066C Arabic thousands separator
DECIMAL = "٫"  # U+066B Arabic decimal separator
ZWNJ = "\u200c"

MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def digits(value: object) -> str:
    """Text with Latin digits replaced by Persian ones."""
    return str(value).translate(_FA_DIGITS)


def _missing(value: object) -> TypeIs[None]:
    return value is None or (isinstance(value, float) and math.isnan(value))


def num(value: float | int | None, decimals: int = 0) -> str:
    """A number with Persian digits and separators: 1524 -> ۱٬۵۲۴, 2.5 -> ۲٫۵; missing -> an em dash."""
    if _missing(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "\u2212", text[1:]  # a real minus sign; a hyphen reads as a dash in RTL
    text = text.replace(",", "\0").replace(".", DECIMAL).replace("\0", THOUSANDS)
    return sign + digits(text)


def pct(ratio: float | None, decimals: int = 0) -> str:
    """A 0..1 ratio as a Persian percentage: 0.794 -> ۷۹٪."""
    if _missing(ratio):
        return "—"
    return num(ratio * 100, decimals) + "٪"


def signed_pct(ratio: float | None, decimals: int = 0) -> str:
    """A change as a signed percentage, e.g. +۱۲٪ or −۳٪."""
    if _missing(ratio):
        return "—"
    return ("+" if ratio > 0 else "") + pct(ratio, decimals)


def rials(amount: float | int | None) -> str:
    """Money in rials, scaled to a readable unit that is always named (میلیارد ریال, میلیون ریال, ریال)."""
    if _missing(amount):
        return "—"
    for scale, unit in ((1e12, "هزار میلیارد ریال"), (1e9, "میلیارد ریال"), (1e6, "میلیون ریال")):
        if abs(amount) >= scale:
            return f"{num(amount / scale, 1)} {unit}"
    return f"{num(amount)} ریال"


@overload
def jalali(day: dt.date) -> jdatetime.date: ...
@overload
def jalali(day: None) -> None: ...
def jalali(day: dt.date | None) -> jdatetime.date | None:
    """A Gregorian date in the Jalali calendar (None stays None)."""
    return None if day is None else jdatetime.date.fromgregorian(date=day)


def date(day: dt.date | dt.datetime | None) -> str:
    """A date in the Jalali calendar, read as Persian: ۱۴۰۲/۰۵/۰۱."""
    if day is None:
        return "—"
    if isinstance(day, dt.datetime):
        day = day.date()
    j = jalali(day)
    return digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


def date_long(day: dt.date | None) -> str:
    """A date spelled out: ۱ تیر ۱۴۰۲."""
    if day is None:
        return "—"
    j = jalali(day)
    return f"{digits(j.day)} {MONTHS[j.month - 1]} {digits(j.year)}"


def month_label(month: int, year: int | None = None) -> str:
    """Jalali month name, optionally with its year: تیر ۱۴۰۲."""
    name = MONTHS[int(month) - 1]
    return name if year is None else f"{name} {digits(int(year))}"


def year(value: int) -> str:
    """A Jalali year as read (no thousands separator): ۱۴۰۲."""
    return digits(int(value))


def jalali_year_bounds(jy: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of Jalali year ``jy``."""
    first = jdatetime.date(jy, 1, 1).togregorian()
    last = jdatetime.date(jy + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return first, last


def year_elapsed(jy: int, as_of: dt.date) -> float:
    """Share (0..1) of Jalali year ``jy`` elapsed on ``as_of`` (inclusive)."""
    first, last = jalali_year_bounds(jy)
    if as_of < first:
        return 0.0
    if as_of >= last:
        return 1.0
    return ((as_of - first).days + 1) / ((last - first).days + 1)
