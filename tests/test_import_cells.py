"""Every normalisation rule of a cell: digits and separators, letters and spacing in names, Jalali and Excel
dates, years, months, counts, enums and plain text."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest

from karnama.core import texts
from karnama.core.schema import TABLES
from karnama.importer import cells
from karnama.importer.columns import county_lookup, specs
from karnama.importer.readers import decode_text


def j(y, m, d):
    return jdatetime.date(y, m, d).togregorian()


def reason(fn, value) -> str:
    with pytest.raises(cells.CellError) as exc:
        fn(value)
    return exc.value.reason


@pytest.mark.parametrize(
    "text,expected",
    [
        ("۱٬۲۳۴", 1234),
        ("١٢٣٤", 1234),
        ("1,234", 1234),
        ("۱۲۳۴", 1234),
        (" 12 ", 12),
        ("1,234,567", 1234567),
        ("۱،۲۳۴", 1234),
        ("\u200f۵۰۰\u200e", 500),
        (1234.0, 1234),
        (7, 7),
    ],
)
def test_counts_with_persian_and_arabic_digits_and_separators(text, expected):
    assert cells.parse_int(text) == expected


def test_decimal_separator_and_minus():
    assert cells.parse_float("۲٫۵") == 2.5
    assert cells.parse_float("2.5") == 2.5
    assert cells.parse_number("\u2212۳") == -3


@pytest.mark.parametrize(
    "value,message",
    [
        (-1, texts.IMP_NEGATIVE),
        ("-۴", texts.IMP_NEGATIVE),
        (1.5, texts.IMP_FRACTION),
        ("۲٫۵", texts.IMP_FRACTION),
        ("دوازده", texts.IMP_NOT_A_NUMBER),
        ("12a", texts.IMP_NOT_A_NUMBER),
        (True, texts.IMP_NOT_A_NUMBER),
        ("1,5", texts.IMP_NOT_A_NUMBER),
        ("12,34", texts.IMP_NOT_A_NUMBER),
        (float("inf"), texts.IMP_NOT_A_NUMBER),
    ],
)
def test_bad_counts_say_why(value, message):
    assert reason(cells.parse_int, value) == message


@pytest.mark.parametrize(
    "text",
    [
        "شهرستان خليل آباد",
        "خلیل‌آباد",
        "خلیل آباد",
        "خلیلآباد",
        "  خليل‌آباد ",
        "KHL",
        "khl",
        "Khalilabad",
        "شهرستان  خلیل\u200cآباد",
    ],
)
def test_county_spellings(text):
    lookup = cells.Lookup(county_lookup())
    assert lookup(text) == "KHL"


def test_arabic_kaf_and_yeh_in_county_and_unknown_county():
    lookup = cells.Lookup(county_lookup(), unknown=texts.IMP_UNKNOWN_COUNTY)
    assert lookup("كاشمر") == "KSH"
    assert lookup("نيشابور") == "NEY"
    assert reason(lookup, "تهران") == texts.IMP_UNKNOWN_COUNTY


@pytest.mark.parametrize(
    "value,expected",
    [
        ("1402/05/01", j(1402, 5, 1)),
        ("۱۴۰۲-۵-۱", j(1402, 5, 1)),
        ("١٤٠٢/٠٥/٠١", j(1402, 5, 1)),
        ("1402.5.1", j(1402, 5, 1)),
        ("14020501", j(1402, 5, 1)),
        (14020501.0, j(1402, 5, 1)),
        (" 1402/05/01 00:00:00", j(1402, 5, 1)),
        ("1403/12/30", j(1403, 12, 30)),
        (dt.datetime(2023, 7, 23, 0, 0), dt.date(2023, 7, 23)),
        (dt.date(2023, 7, 23), dt.date(2023, 7, 23)),
        (45130.0, dt.date(2023, 7, 23)),  # an Excel serial date in a cell without date formatting
    ],
)
def test_dates(value, expected):
    assert cells.parse_date(value) == expected


@pytest.mark.parametrize(
    "value,message",
    [
        ("1402/13/40", texts.IMP_IMPOSSIBLE_DATE),
        ("1402/12/30", texts.IMP_IMPOSSIBLE_DATE),  # 1402 is not leap
        ("1402/07/31", texts.IMP_IMPOSSIBLE_DATE),  # Mehr has 30 days
        ("2023/07/23", texts.IMP_GREGORIAN_DATE),
        ("20230723", texts.IMP_GREGORIAN_DATE),
        ("01/05/1402", texts.IMP_DATE_ORDER),
        ("دیروز", texts.IMP_NOT_A_DATE),
        (12.0, texts.IMP_NOT_A_DATE),
        (dt.time(10, 0), texts.IMP_NOT_A_DATE),
        (True, texts.IMP_NOT_A_DATE),
    ],
)
def test_bad_dates_say_why(value, message):
    assert reason(cells.parse_date, value) == message


def test_date_outside_the_dashboard_calendar():
    assert "میان" in reason(cells.parse_date, "1350/01/01")
    assert "میان" in reason(cells.parse_date, dt.date(1950, 1, 1))


def test_years():
    assert cells.parse_year("۱۴۰۲") == 1402
    assert cells.parse_year(1402.0) == 1402
    assert reason(cells.parse_year, 2023) == texts.IMP_GREGORIAN_YEAR
    assert reason(cells.parse_year, "۲۰۲۳") == texts.IMP_GREGORIAN_YEAR
    assert "میان" in reason(cells.parse_year, 1350)
    assert reason(cells.parse_year, "سال") == texts.IMP_NOT_A_YEAR
    assert reason(cells.parse_year, 1402.5) == texts.IMP_NOT_A_YEAR


def test_months():
    assert cells.parse_month("تیر") == 4
    assert cells.parse_month("اسفند") == 12
    assert cells.parse_month("۷") == 7
    assert "۱۲" in reason(cells.parse_month, 13)
    assert reason(cells.parse_month, 0) != ""
    assert reason(cells.parse_month, "تیرماه؟") == texts.IMP_NOT_A_MONTH


def test_enums_accept_machine_values_and_persian_labels_in_any_spelling():
    inc = specs(TABLES["incentives"], county_lookup())
    assert inc["kind"].parse("employer_share") == "employer_share"
    assert inc["kind"].parse("بیمه سهم کارفرمایی") == "employer_share"
    assert inc["kind"].parse("بيمه سهم كارفرمايي") == "employer_share"
    assert inc["purpose"].parse(" ایجادی ") == "creation"
    assert reason(inc["purpose"].parse, "نامعلوم") == texts.IMP_UNKNOWN_VALUE
    se = specs(TABLES["se_clients"], county_lookup())
    assert se["stage"].parse("۳") == 3
    assert se["stage"].parse(5.0) == 5
    assert se["stage"].parse("کاریابی") == 3
    assert reason(se["stage"].parse, 9) == texts.IMP_UNKNOWN_VALUE
    targets = specs(TABLES["targets"], county_lookup())
    assert targets["indicator"].parse("se_stabilised") == "se_stabilised"
    assert targets["county_code"].parse("کل استان") is None
    assert targets["county_code"].parse("مشهد") == "MSH"


def test_text_is_stored_as_written_never_interpreted():
    assert cells.parse_text("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert cells.parse_text('=HYPERLINK("http://x")') == '=HYPERLINK("http://x")'
    assert cells.parse_text("مركز  علي ") == "مرکز علی"
    assert cells.parse_text(12345.0) == "12345"
    assert texts.IMP_TOO_LONG.split("{")[0] in reason(cells.parse_text, "x" * 500)


def test_blank_cells():
    assert cells.is_blank(None) and cells.is_blank("") and cells.is_blank(" \u200c\u200f ")
    assert cells.is_blank(float("nan"))
    assert not cells.is_blank(0) and not cells.is_blank("0")


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1256", False), ("utf-16", False)])
def test_csv_encodings(encoding, bom):
    text = "شهرستان,سال\r\nكاشمر,1402\r\n"
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    assert decode_text(data) == text
