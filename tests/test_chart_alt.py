"""Every chart carries a Persian text alternative that says what it shows (read by screen readers from the chart's
aria-label): the extremes of a bar chart, each line's peak and latest month, each share of a donut."""

from __future__ import annotations

import pandas as pd

from karnama.core import fa
from karnama.web import charts


def test_bars_name_the_largest_and_smallest_county_as_shown():
    frame = pd.DataFrame(
        {"county_code": ["MSH", "NEY", "TRH"], "name_fa": ["مشهد", "نیشابور", "تربت حیدریه"], "v": [3.0, 12.0, 1.0]}
    )
    alt = charts.describe(charts.bars(frame, "name_fa", {"v": "نفر"}, codes="county_code"), "اشتغال")
    assert "«اشتغال»" in alt and fa.num(3) in alt
    assert "بیشترین نیشابور" in alt and "کمترین تربت حیدریه" in alt


def test_a_line_over_months_gives_each_lines_peak_and_latest_month():
    frame = pd.DataFrame(
        {
            "year": [1402, 1402, 1402, 1403],
            "month": [10, 11, 12, 1],
            "in_person": [5, 40, 7, 9],
            "remote": [0, 2, 30, 4],
        }
    )
    fig = charts.months_line(frame, "month", {"in_person": "حضوری", "remote": "غیرحضوری"}, year_col="year")
    alt = charts.describe(fig, "روند پایش")
    assert alt.startswith("نمودار «روند پایش» در ۴ ماه")
    assert fa.month_label(10, 1402) in alt and fa.month_label(1, 1403) in alt
    assert f"حضوری: بیشترین در {fa.month_label(11, 1402)} ({fa.num(40)})، آخرین ماه {fa.num(9)}" in alt
    assert f"غیرحضوری: بیشترین در {fa.month_label(12, 1402)} ({fa.num(30)})، آخرین ماه {fa.num(4)}" in alt


def test_a_target_line_is_not_read_as_a_series():
    frame = pd.DataFrame({"month": [1, 2, 3], "v": [1, 2, 3]})
    alt = charts.describe(charts.months_line(frame, "month", {"v": "تثبیت"}, target=170, target_label="هدف"), "روند")
    assert "تثبیت:" in alt and "هدف:" not in alt


def test_a_donut_reads_out_every_share_with_its_count():
    alt = charts.describe(charts.donut(["فعال", "تعطیل <ب>"], [30, 10]), "نتیجه")
    assert alt == f"نمودار «نتیجه»: فعال {fa.pct(0.75)} ({fa.num(30)})، تعطیل <ب> {fa.pct(0.25)} ({fa.num(10)})."


def test_a_chart_with_nothing_to_summarise_keeps_its_name():
    one_month = charts.months_line(pd.DataFrame({"month": [1], "v": [1]}), "month", {"v": "تثبیت"})
    assert charts.describe(one_month, "روند") == "نمودار «روند»."
    assert charts.describe(one_month) == ""
