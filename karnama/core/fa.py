"""The one place for Persian: digits, number/percent/money formats, Jalali dates and month names, UI text.

Pages, charts and exports format through these functions so a number reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from numbers import Integral
from typing import overload

import jdatetime
from typing_extensions import TypeIs

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
THOUSANDS = "٬"  # U+066C Arabic thousands separator
DECIMAL = "٫"  # U+066B Arabic decimal separator
ZWNJ = "\u200c"
LRM = "\u200e"
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"

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


# The number-format code that makes Excel, PowerPoint and LibreOffice show a cell's or a label's digits in Persian
# (Persian locale, native digits), whatever the reader's Windows is set to.
OFFICE_DIGITS = "[$-3000429]"


def digits(value: object) -> str:
    """Text with Latin digits replaced by Persian ones."""
    return str(value).translate(_FA_DIGITS)


def _missing(value: object) -> TypeIs[None]:
    return value is None or (isinstance(value, float) and math.isnan(value))


def num(value: float | int | None, decimals: int = 0) -> str:
    """A number with Persian digits and separators: 1524 -> ۱٬۵۲۴, 2.5 -> ۲٫۵; missing -> an em dash."""
    if _missing(value):
        return "—"
    text = f"{_half_up(value, decimals):,.{decimals}f}"
    sign = ""
    if text.startswith("-"):
        # A real minus sign (a hyphen reads as a dash), after a left-to-right mark as in CLDR's Persian locale:
        # without it the bidi algorithm puts the sign at the right of the digits in RTL text («۵−»).
        sign, text = LRM + "\u2212", text[1:]
    text = text.replace(",", "\0").replace(".", DECIMAL).replace("\0", THOUSANDS)
    return sign + digits(text)


def _half_up(value: float | int, decimals: int) -> Decimal | float | int:
    """``value`` rounded half away from zero, as Excel, PowerPoint and people round (Python's own format rounds half
    to even: 62.5 -> ۶۲ on the page beside ۶۳ in the deck), read at 15 significant digits as Excel reads it (0.285
    × 100 is 28.499999999999996 in binary, 28.5 to a person)."""
    if isinstance(value, Integral) or not math.isfinite(value) or decimals not in _STEPS:
        return value  # a whole number, or every digit asked for (:func:`exact`): nothing to round
    return Decimal(f"{value:.15g}").quantize(_STEPS[decimals], rounding=ROUND_HALF_UP)


_STEPS = {d: Decimal(1).scaleb(-d) for d in range(7)}


def exact(value: float | int | None) -> str:
    """Every significant digit of a number (no rounding to a display precision): 0.7941176470588235 ->
    ۰٫۷۹۴۱۱۷۶۴۷۰۵۸۸۲۳۵, 12000000 -> ۱۲٬۰۰۰٬۰۰۰. For comparisons, where a rounded figure hides a change."""
    if value is None or _missing(value):
        return "—"
    number = float(value)
    if isinstance(value, int) or number.is_integer():
        return num(int(value))
    text = repr(number)
    if "e" in text or "E" in text:
        text = f"{number:.17f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return num(number, decimals)


def pct(ratio: float | None, decimals: int = 0) -> str:
    """A 0..1 ratio as a Persian percentage: 0.794 -> ۷۹٪."""
    if _missing(ratio):
        return "—"
    return num(ratio * 100, decimals) + "٪"


def signed_pct(ratio: float | None, decimals: int = 0) -> str:
    """A change as a signed percentage, e.g. +۱۲٪ or −۳٪."""
    if _missing(ratio):
        return "—"
    return (LRM + "+" if ratio > 0 else "") + pct(ratio, decimals)


def ltr(text: str) -> str:
    """Text isolated as left-to-right: a signed number («+۱۲») keeps its sign on the left of its digits inside a
    Persian sentence («+۱۲ واحد درصد»), where the bidirectional rules would otherwise put it on their right."""
    return LRI + text + PDI


def rtl(text: str) -> str:
    """Text isolated as right-to-left, for places that lay text out left to right (plotly's SVG hover and labels):
    keeps «٪» and a sign on the correct side of the digits and the label before the value."""
    return RLI + text + PDI


def rials(amount: float | int | None) -> str:
    """Money in rials, compact and always with its unit: whole میلیارد ریال from a billion up (3.077e12 ->
    ۳٬۰۷۷ میلیارد ریال, shorter than «۳٫۱ هزار میلیارد ریال» and exact to the billion), else میلیون ریال or ریال."""
    if amount is None or _missing(amount):
        return "—"
    size = abs(amount)
    for scale, unit in ((1e9, "میلیارد ریال"), (1e6, "میلیون ریال")):
        if size >= scale:
            return f"{num(amount / scale, 0 if size >= 10 * scale else 1)} {unit}"
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


def moment(value: dt.datetime | str | None) -> str:
    """A moment (UTC or ISO text) as Iran reads it: the Jalali date and the time in Tehran, «۹ آذر ۱۴۰۵، ۱۷:۴۵»."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo("Asia/Tehran"))
    return f"{date_long(local.date())}، {digits(f'{local.hour:02d}:{local.minute:02d}')}"


def snapshot_created(snapshot_id: str) -> dt.datetime | None:
    """When a snapshot was made, from its id (``20261130T141523986171Z-af1eb9``, UTC); None for another form."""
    try:
        return dt.datetime.strptime(snapshot_id[:15], "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def snapshot_label(created: dt.datetime | str | None, is_demo: bool) -> str:
    """A snapshot as a person names it: «دادهٔ ۹ آذر ۱۴۰۵، ۱۷:۴۵» (the id stays for support, in a details line)."""
    from karnama.core import texts

    return (texts.SNAPSHOT_LABEL_DEMO if is_demo else texts.SNAPSHOT_LABEL).format(date=moment(created))


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


@lru_cache(maxsize=256)
def jalali_year_bounds(jy: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of Jalali year ``jy`` (kept: every rerun asks for a few)."""
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


def jalali_month_bounds(jy: int, jm: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of Jalali month ``jm`` of year ``jy``."""
    first = jdatetime.date(jy, jm, 1).togregorian()
    nxt = jdatetime.date(jy + 1, 1, 1) if jm == 12 else jdatetime.date(jy, jm + 1, 1)
    return first, nxt.togregorian() - dt.timedelta(days=1)
