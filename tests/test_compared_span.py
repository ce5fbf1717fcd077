"""A year in progress: the change compares the same complete months of both years, while the value beside it is
the year so far. Every table therefore shows this year's figure over the compared months next to the previous
one, under headers that name those months, and the figures equal ``kpis --json``'s ``comparison``."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from karnama import metrics, status
from karnama.cli.main import main
from karnama.core import fa, schema, texts
from karnama.data import catalog
from karnama.data.query import Filters
from karnama.exports import build_export, content
from karnama.exports.pdf import MIN_CELL_SIZE, _BriefPDF, figure_columns
from tests.apptest_helpers import run_app, tables


def _json(data_dir, year: int) -> dict:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["kpis", "--data-dir", str(data_dir), "--json", "--year", str(year)]) == 0
    return json.loads(buf.getvalue())


@pytest.fixture(scope="module")
def in_progress(demo_snapshot) -> int:
    """The demo's year in progress (its as-of date falls inside it)."""
    years = [y for y in catalog.years(demo_snapshot) if status.comparison(y, demo_snapshot.as_of).same_period]
    assert years, "the demo has a year in progress"
    return years[-1]


def test_table_of_a_year_in_progress_shows_both_sides_of_the_change(demo_dir, demo_snapshot, in_progress):
    expected = _json(demo_dir, in_progress)
    brief = content.build(demo_snapshot, Filters(in_progress))
    c = brief.comparison
    header = content.table_header(brief.year, c)
    assert header[5:] == [c.current_short, c.short, texts.COL_CHANGE]
    assert c.span(in_progress)[-4:] == fa.year(in_progress) and c.short.endswith(fa.year(in_progress - 1))
    now, before = expected["comparison"]["current"], expected["comparison"]["previous"]
    for f in brief.headline:
        row = content.table_row(f)
        m, key = f.metric, f.metric.key
        assert len(row) == len(header) == len(content.table_colours(f))
        assert row[1] == m.format(expected["values"][key])  # the year so far
        assert row[5] == m.format(now[key]) and row[6] == m.format(before[key])
        # The change reads off the two columns beside it, recomputed here from the JSON.
        if m.unit == "ratio":
            assert row[7] == metrics.change_text(None, now[key] - before[key])
        elif before[key]:
            assert row[7] == metrics.change_text((now[key] - before[key]) / before[key])
    assert any(expected["values"][f.metric.key] != now[f.metric.key] for f in brief.headline), (
        "the demo's year so far differs from its compared months (else this test shows nothing)"
    )


def test_a_closed_year_keeps_one_previous_column(demo_snapshot, in_progress):
    brief = content.build(demo_snapshot, Filters(in_progress - 1))
    assert not brief.comparison.same_period
    header = content.table_header(brief.year, brief.comparison)
    assert len(header) == 7 and header[5] == texts.COL_VALUE.format(year=fa.year(in_progress - 2))
    assert all(len(content.table_row(f)) == 7 for f in brief.headline)


def test_pdf_cells_shrink_to_fit_their_column(demo_snapshot, in_progress):
    brief = content.build(demo_snapshot, Filters(in_progress))
    pdf = _BriefPDF(brief, 1)
    pdf.add_page()
    columns = figure_columns(brief)
    assert sum(c.width for c in columns) == pytest.approx(180)
    rows = [content.table_row(f) for f in brief.headline] + [[c.title for c in columns]]
    for row in rows:
        for col, text in zip(columns, row, strict=True):
            pdf.fit_font("B", 9.5, text, col.width - 1.5)
            assert pdf.get_string_width(text) <= col.width - 1.5 or pdf.font_size_pt == MIN_CELL_SIZE, text
    pdf.fit_font("", 9.5, metrics.change_text(None, 0.12), 20)
    assert pdf.get_string_width(metrics.change_text(None, 0.12)) <= 20


def test_workbook_and_deck_notes_of_a_year_in_progress(demo_dir, demo_snapshot, in_progress):
    expected = _json(demo_dir, in_progress)
    c = status.comparison(in_progress, demo_snapshot.as_of)
    wb = load_workbook(io.BytesIO(build_export("xlsx", demo_snapshot, Filters(in_progress))))
    summary = list(wb[texts.XLSX_SUMMARY].values)
    header = summary[0]
    key, now, before = header.index(texts.XLSX_KEY), header.index(c.current_short), header.index(c.short)
    for r in summary[1:]:
        assert r[now] == pytest.approx(expected["comparison"]["current"][r[key]]), r[key]
        assert r[before] == pytest.approx(expected["comparison"]["previous"][r[key]]), r[key]
    deck = Presentation(io.BytesIO(build_export("pptx", demo_snapshot, Filters(in_progress))))
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    se = metrics.BY_KEY["se_stabilised"]
    shown = metrics.exact(se, expected["comparison"]["current"]["se_stabilised"])
    assert texts.NOTES_SPAN.format(span=c.current_short, value=shown) in notes


@pytest.mark.slow
def test_incentives_table_of_a_year_in_progress(app_env, demo_dir, in_progress, demo_snapshot):
    expected = _json(demo_dir, in_progress)
    c = status.comparison(in_progress, demo_snapshot.as_of)
    at = run_app(page="incentives", query={"year": str(in_progress)})
    assert not at.exception
    table = next(t for t in tables(at) if texts.INC_KIND in (t.index.name, *t.columns))
    if table.index.name == texts.INC_KIND:
        table = table.reset_index()
    now = f"{texts.INC_PEOPLE} — {c.current_short}"
    before = f"{texts.INC_PEOPLE} — {c.short}"
    kinds = {v: k for k, v in schema.INCENTIVE_KINDS.items()}
    purposes = {v: k for k, v in schema.INCENTIVE_PURPOSES.items()}
    for _, row in table.iterrows():
        key = f"incentive_{kinds[row[texts.INC_KIND]]}_{purposes[row[texts.INC_PURPOSE]]}"
        assert row[f"{texts.INC_PEOPLE} — {texts.COL_VALUE.format(year=fa.year(in_progress))}"] == fa.num(
            expected["values"][key]
        ), key
        assert row[now] == fa.num(expected["comparison"]["current"][key]), key
        assert row[before] == fa.num(expected["comparison"]["previous"][key]), key


def test_the_month_in_progress_says_how_many_days_it_holds(demo_snapshot, in_progress):
    as_of = demo_snapshot.as_of
    j = fa.jalali(as_of)
    assert status.partial_month(in_progress, as_of) == j.month
    assert status.month_name(in_progress, j.month, as_of) == texts.PARTIAL_MONTH_MARK.format(
        month=fa.MONTHS[j.month - 1], days=fa.digits(j.day)
    )
    assert status.month_name(in_progress, 1, as_of) == fa.MONTHS[0]
    assert status.partial_month(in_progress - 1, as_of) is None  # a closed year has whole months only
    last_day = fa.jalali_month_bounds(in_progress, j.month)[1]
    assert status.partial_month(in_progress, last_day) is None  # a month's last day completes it
    brief = content.build(demo_snapshot, Filters(in_progress))
    months = [c for t in brief.topics for c in t.charts if c.by == "month"]
    assert months and all(c.categories[-1] == status.month_name(in_progress, j.month, as_of) for c in months)
    closed = content.build(demo_snapshot, Filters(in_progress - 1))
    # (monitoring's timeline starts in Bahman of the year before: those two months carry their year)
    assert all(c.categories[-12:] == tuple(fa.MONTHS) for t in closed.topics for c in t.charts if c.by == "month"), (
        "a closed year's months carry no mark"
    )
    assert str(j.day) not in (status.partial_month_note(in_progress, as_of) or "")  # Persian digits only
    assert status.partial_month_note(in_progress - 1, as_of) is None


@pytest.mark.slow
def test_monthly_charts_of_a_year_in_progress_name_the_partial_month(app_env, demo_snapshot, in_progress):
    note = status.partial_month_note(in_progress, demo_snapshot.as_of)
    for page in ("supported_employment", "monitoring"):
        at = run_app(page=page, query={"year": str(in_progress)})
        assert not at.exception
        assert note in [c.value for c in at.caption], page
        closed = run_app(page=page, query={"year": str(in_progress - 1)})
        tail = texts.PARTIAL_MONTH_NOTE.split("؛")[-1].strip()
        assert tail in note and not any(tail in c.value for c in closed.caption), page
