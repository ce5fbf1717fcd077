"""The cumulative-against-target charts of the exports (issue 12): one per metric with a target, in the brief, on
a PDF page and as a native line chart on its own slide; and the audit table without a raw UTC column."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from karnama import metrics
from karnama.core import fa, texts
from karnama.core.paths import ROOT
from karnama.data.query import Filters
from karnama.exports import build_export, content
from karnama.status import months_shown
from tests.test_exports import kpis_json, squash

TARGETED = [m for m in metrics.METRICS if m.target]
PARTIAL, WHOLE = 1403, 1401  # the demo's as-of date (15 Aban 1403) is in the middle of 1403


@pytest.mark.parametrize("year", [PARTIAL, WHOLE])
def test_brief_holds_one_running_sum_per_target_metric(demo_dir, demo_snapshot, year):
    values = kpis_json(demo_dir, year)["values"]
    brief = content.build(demo_snapshot, Filters(year))
    months = months_shown(year, demo_snapshot.as_of)
    assert (months < 12) == (year == PARTIAL)
    assert [c.key for c in brief.cumulative] == [m.key for m in TARGETED]
    for chart, m in zip(brief.cumulative, TARGETED):
        assert chart.by == "cumulative" and chart.categories == tuple(fa.MONTHS)  # Farvardin first (drawn right)
        achieved, target, pace = chart.series
        shown = achieved.values[:months]
        assert all(v is not None for v in shown) and all(v is None for v in achieved.values[months:])
        assert list(shown) == sorted(shown)  # a running sum never falls
        assert shown[-1] == pytest.approx(values[m.key])  # the as-of month holds the year's figure of kpis --json
        assert list(target.values) == pytest.approx([values[m.target]] * 12)
        assert pace.values[-1] == pytest.approx(values[m.target]) and pace.values[0] == pytest.approx(
            values[m.target] / 12
        )
        kpi = next(f for f in brief.target_figures if f.metric.key == m.key)
        assert kpi.status_label and kpi.status_label in chart.subtitle and kpi.forecast_text in chart.subtitle


def test_pdf_has_a_page_of_cumulative_charts(demo_snapshot):
    brief = content.build(demo_snapshot, Filters(PARTIAL))
    out = ROOT / "test-artifacts" / "exports"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"brief-{PARTIAL}-cumulative.pdf"
    path.write_bytes(build_export("pdf", demo_snapshot, Filters(PARTIAL)))
    text = squash(
        subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(path), "-"], capture_output=True, text=True).stdout
    )
    assert squash(texts.CUMULATIVE_TITLE) in text
    for chart in brief.cumulative:
        # poppler moves the brackets of «(SE)»: compare the title's Persian part after the colon
        assert squash(chart.title.split(":")[-1]) in text and squash(chart.title.split(" (")[0]) in text
        assert squash(chart.subtitle.split("؛")[0]) in text
    png = out / "brief-cumulative"
    subprocess.run(["pdftoppm", "-r", "60", "-f", "3", "-l", "3", "-png", str(path), str(png)], check=True)
    image = Image.open(next(out.glob("brief-cumulative-*3.png"))).convert("L")
    w, h = image.size
    # the page title is set from the right margin; each of the charts has ink (lines, grid, labels)
    title = image.crop((0, int(h * 0.03), w, int(h * 0.09))).point(lambda p: 255 if p < 128 else 0).getbbox()
    assert title is not None and title[2] > w * 0.85 and (w - title[2]) < title[0]
    for i in range(len(brief.cumulative)):
        band = image.crop((0, int(h * (0.15 + 0.27 * i)), w, int(h * (0.15 + 0.27 * (i + 1)))))
        assert sum(1 for p in band.getdata() if p < 200) > 0.01 * w * h * 0.27


@pytest.mark.parametrize("year", [PARTIAL, WHOLE])
def test_deck_has_one_line_chart_per_target_metric(demo_dir, demo_snapshot, year):
    values = kpis_json(demo_dir, year)["values"]
    months = months_shown(year, demo_snapshot.as_of)
    deck = Presentation(io.BytesIO(build_export("pptx", demo_snapshot, Filters(year))))
    lines = [
        (slide, shape.chart)
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart and shape.chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
    ]
    assert len(lines) == len(TARGETED)
    for (slide, chart), m in zip(lines, TARGETED):
        assert sum(1 for s in slide.shapes if s.has_chart) == 1  # on its own slide
        assert list(chart.plots[0].categories) == list(fa.MONTHS)
        assert chart.category_axis.reverse_order  # Farvardin at the right
        running, target, _pace = (list(s.values) for s in chart.plots[0].series)
        assert running[months - 1] == pytest.approx(values[m.key])
        assert all(v is None for v in running[months:])
        assert target[0] == pytest.approx(values[m.target])
        slide_text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert m.card_label in slide_text
        brief_chart = next(c for c in content.build(demo_snapshot, Filters(year)).cumulative if c.key == m.key)
        assert brief_chart.subtitle in slide_text


def test_audit_table_shows_jalali_time_not_raw_utc():
    from karnama.web.auditing import audit_frame

    entry = {
        "seq": 3,
        "utc": "2023-03-21T20:45:00+00:00",
        "jalali": "1402/01/02 00:15:00",
        "event": "login_success",
        "account": "ney",
        "details": {},
    }
    frame = audit_frame([entry])
    assert not any("UTC" in str(c) for c in frame.columns)
    assert not any("2023" in str(v) for v in frame.iloc[0])
    assert frame.iloc[0][texts.AUDIT_COL_TIME] == "۱۴۰۲/۰۱/۰۲ ۰۰:۱۵:۰۰"


def test_the_month_charts_of_a_year_in_progress_end_at_the_as_of_month(app_env, demo_snapshot):
    """A month still to come holds no data, not zero: the web's month charts stop where the PDF's do."""

    from karnama import status
    from karnama.core import fa
    from tests.apptest_helpers import drawn_charts, run_app

    j = fa.jalali(demo_snapshot.as_of)
    assert status.months_shown(j.year, demo_snapshot.as_of) == j.month < 12  # the demo's last year is in progress
    for page, key in (("supported_employment", "se_months"), ("monitoring", "mon_months")):
        for year in (j.year, j.year - 1):
            at = run_app(page, query={"year": str(year)})
            assert not at.exception
            (fig,) = [fig for chart_id, fig in drawn_charts(at) if key in chart_id]
            shown = fig["data"][0]["x"]
            last_month = j.month if year == j.year else 12
            assert shown and shown[-1].startswith(fa.MONTHS[last_month - 1]), (page, year, shown)
