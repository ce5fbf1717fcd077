"""One spreadsheet cell to one typed value, or a Persian reason why not.

Real files mix Persian (۱۲۳) and Arabic-Indic (١٢٣) digits, ٬ and , as thousands separators, Arabic yeh/kaf,
ZWNJ or a space or nothing inside names, Jalali dates typed as text (1402/05/01, ۱۴۰۲-۵-۱) and Excel dates.
Each parser accepts all of those and raises :class:`CellError` for anything else.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

import jdatetime

from karnama.core import fa, texts
from karnama.core.normalize import fa_text, fa_text_raw, latin_digits, name_key
from karnama.data.query import CALENDAR_YEARS

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of plausible Excel dates (1954..2119); a bare number outside this is not read as a date.
EXCEL_SERIAL_RANGE = (20_000, 80_000)
GREGORIAN_YEARS = (1900, 2100)
MAX_TEXT = 200

_SPACES = re.compile(r"[\s\u00a0\u202f\u200c\u200e\u200f\u202a-\u202e\ufeff]+")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# Thousands separators only count where they really separate groups of three digits (so 1,5 is not 15).
_GROUPED = re.compile(r"[+-]?\d{1,3}([,٬،'’]\d{3})+(\.\d+)?")
_DATE_YMD = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})")
_DATE_DMY = re.compile(r"\d{1,2}[/\-.]\d{1,2}[/\-.]\d{4}")
_TIME_TAIL = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
# C0 controls and DEL (tab, line feed and carriage return are ordinary whitespace in a cell).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INTEGER = re.compile(r"[+-]?\d+")


def has_control(value: object) -> bool:
    """Text holding a NUL or another invisible control character (never typed; a damaged or crafted file)."""
    return isinstance(value, str) and _CONTROL.search(value) is not None


class CellError(ValueError):
    """A cell that cannot be read as its column's type; ``reason`` is Persian."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_blank(value: object) -> bool:
    """Empty cell: None, NaN or text that is only spaces and invisible marks."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return _SPACES.sub("", value) == ""
    return False


def show(value: object) -> str:
    """A cell value as it should appear in a report (plain text, trimmed to a readable length)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = _CONTROL.sub(lambda m: chr(0x2400 + ord(m[0])) if m[0] != "\x7f" else "\u2421", str(value))
    return text if len(text) <= 60 else text[:57] + "…"


def _number_text(text: str) -> str:
    """Latin digits, no spaces or invisible marks, a Latin minus and decimal point."""
    t = _SPACES.sub("", latin_digits(text)).replace("\u2212", "-").replace("٫", ".")
    if _GROUPED.fullmatch(t):
        t = re.sub(r"[,٬،'’]", "", t)
    return t


def parse_number(value: object) -> float:
    """Any number: an Excel number, or text with Persian/Arabic digits and separators (۱٬۲۳۴٫۵)."""
    if isinstance(value, bool):
        raise CellError(texts.IMP_NOT_A_NUMBER)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(texts.IMP_NOT_A_NUMBER)
        return float(value)
    if isinstance(value, str):
        t = _number_text(value)
        if _PLAIN.fullmatch(t):
            return float(t)
    raise CellError(texts.IMP_NOT_A_NUMBER)


def parse_int(value: object, minimum: int | None = 0, maximum: int | None = None) -> int:
    """A whole number in range; negative, fractional or text values are refused with the reason. Whole numbers
    typed as text are read exactly (not through a float, which would round 20 digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        t = _number_text(value) if isinstance(value, str) else ""
        if _INTEGER.fullmatch(t):
            n = int(t)
        else:
            number = parse_number(value)
            if not number.is_integer():
                raise CellError(texts.IMP_FRACTION)
            n = int(number)
    if minimum is not None and n < minimum:
        raise CellError(
            texts.IMP_NEGATIVE if minimum == 0 and n < 0 else texts.IMP_TOO_SMALL.format(min=fa.num(minimum))
        )
    if maximum is not None and n > maximum:
        raise CellError(texts.IMP_TOO_LARGE.format(max=fa.num(maximum)))
    return n


def parse_float(value: object, minimum: float | None = None) -> float:
    number = parse_number(value)
    if minimum is not None and number < minimum:
        raise CellError(texts.IMP_NEGATIVE)
    return number


def check_jalali_year(year: int) -> int:
    """A Jalali year the dashboard's calendar covers; a Gregorian year gets its own message."""
    if GREGORIAN_YEARS[0] <= year <= GREGORIAN_YEARS[1]:
        raise CellError(texts.IMP_GREGORIAN_YEAR)
    if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
        raise CellError(texts.IMP_YEAR_RANGE.format(lo=fa.year(CALENDAR_YEARS[0]), hi=fa.year(CALENDAR_YEARS[1])))
    return year


def parse_year(value: object) -> int:
    """A Jalali year such as 1402 (۱۴۰۲)."""
    try:
        year = parse_int(value, minimum=None)
    except CellError:
        raise CellError(texts.IMP_NOT_A_YEAR) from None
    return check_jalali_year(year)


_MONTH_KEYS = {name_key(m): i for i, m in enumerate(fa.MONTHS, start=1)}


def parse_month(value: object) -> int:
    """A Jalali month: 1..12 or its Persian name (تیر)."""
    if isinstance(value, str) and name_key(value) in _MONTH_KEYS:
        return _MONTH_KEYS[name_key(value)]
    try:
        number = parse_number(value)
    except CellError:
        raise CellError(texts.IMP_NOT_A_MONTH) from None
    return parse_int(number, minimum=1, maximum=12)


def _jalali(year: int, month: int, day: int) -> dt.date:
    if GREGORIAN_YEARS[0] <= year <= GREGORIAN_YEARS[1]:
        raise CellError(texts.IMP_GREGORIAN_DATE)
    check_jalali_year(year)
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise CellError(texts.IMP_IMPOSSIBLE_DATE) from None


def _check_range(day: dt.date) -> dt.date:
    check_jalali_year(jdatetime.date.fromgregorian(date=day).year)
    return day


def parse_date(value: object) -> dt.date:
    """A day: Jalali text (1402/05/01, ۱۴۰۲-۵-۱, 14020501), or an Excel date cell (stored Gregorian)."""
    if isinstance(value, dt.datetime):
        return _check_range(value.date())
    if isinstance(value, dt.date):
        return _check_range(value)
    if isinstance(value, bool) or isinstance(value, (dt.time, dt.timedelta)):
        raise CellError(texts.IMP_NOT_A_DATE)
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            n = int(value)
            if EXCEL_SERIAL_RANGE[0] <= n <= EXCEL_SERIAL_RANGE[1]:
                return _check_range(EXCEL_EPOCH + dt.timedelta(days=n))
            if 10_000_000 <= n <= 99_999_999:
                return _jalali(n // 10_000, n // 100 % 100, n % 100)
        raise CellError(texts.IMP_NOT_A_DATE)
    if isinstance(value, str):
        t = _TIME_TAIL.sub("", latin_digits(value).strip())
        t = _SPACES.sub("", t)
        m = _DATE_YMD.fullmatch(t)
        if m:
            return _jalali(int(m[1]), int(m[2]), int(m[3]))
        if re.fullmatch(r"\d{8}", t):
            return _jalali(int(t[:4]), int(t[4:6]), int(t[6:]))
        if _DATE_DMY.fullmatch(t):
            raise CellError(texts.IMP_DATE_ORDER)
    raise CellError(texts.IMP_NOT_A_DATE)


def parse_text(value: object) -> str:
    """Plain text, normalised (Persian letters, Latin digits, single spaces). Never interpreted: a value such as
    ``<script>`` or ``=HYPERLINK(…)`` is stored as the characters it is."""
    if isinstance(value, bool):
        value = str(value).upper()
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date()
    text = fa_text(value)
    if len(text) > MAX_TEXT:
        raise CellError(texts.IMP_TOO_LONG.format(max=fa.num(MAX_TEXT)))
    return text


# Every character is_blank removes: those \s matches (exactly the ones str.isspace() is true for) and the invisible
# marks that are not whitespace. ``not text.strip(BLANK_CHARS)`` is is_blank of a str; it stops at the first visible
# character instead of copying the text (a test compares the set with every code point).
BLANK_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"
)


def blank_texts(values: list[str]) -> list[bool]:
    """:func:`is_blank` of many ``str`` cells, without a regular expression per cell."""
    return [not v.strip(BLANK_CHARS) for v in values]


def control_texts(values: list[str]) -> list[bool]:
    """:func:`has_control` of many ``str`` cells: one search over all of them, each cell only when one is found."""
    if _CONTROL.search("".join(values)) is None:
        return [False] * len(values)
    return [_CONTROL.search(v) is not None for v in values]


def parse_texts(values: list[str]) -> list[str | CellError]:
    """:func:`parse_text` of many plain ``str`` cells at once (the same result for each, or its CellError): the
    cells are normalised as one string, since a text column holds a different value on most rows. Only for cells
    that are not blank and hold no control character (the caller checks those first)."""
    if not values:
        return []
    # "\x00" separates the cells: no cell holds it (a control character), and normalising neither changes it nor
    # lets a run of spaces reach across it. A cell with one anyway is normalised on its own.
    if any("\x00" in v for v in values):
        return [_text_or_error(v) for v in values]
    joined = fa_text_raw("\x00".join(values)).split("\x00")
    return [
        t if len(t) <= MAX_TEXT else CellError(texts.IMP_TOO_LONG.format(max=fa.num(MAX_TEXT)))
        for t in map(str.strip, joined)
    ]


def _text_or_error(value: str) -> str | CellError:
    try:
        return parse_text(value)
    except CellError as exc:
        return exc


class Lookup:
    """Matching a typed name or code against known values (counties, enum members) in any common spelling."""

    def __init__(
        self,
        entries: Mapping[str, object],
        *,
        blank_words: tuple[str, ...] = (),
        unknown: str = texts.IMP_UNKNOWN_VALUE,
    ) -> None:
        self._unknown = unknown
        self._keys: dict[str, object] = {}
        for spelling, value in entries.items():
            self._keys.setdefault(name_key(spelling), value)
        self._blank = {name_key(w) for w in blank_words}

    def __call__(self, value: object) -> object:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = name_key(value)
        if key in self._blank:
            return None
        if key in self._keys:
            return self._keys[key]
        raise CellError(self._unknown)
