"""The PDF brief, the PowerPoint deck and the Excel workbook, made through the CLI a user runs, checked against
``kpis --json`` for the same filters. PDF pages are rendered to PNG under test-artifacts/exports/ for a look."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import PP_ALIGN

from karnama import metrics, status, verdict
from karnama.core import fa, texts
from karnama.core.paths import ROOT
from karnama.data import catalog
from karnama.data.query import Filters, run
from karnama.exports import FORMATS, add_listener, build_export, content, file_name, remove_listener
from karnama.exports.pptx_deck import slide_plan
from tests import fixtures

YEAR = 1401
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def karnama(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "karnama", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def kpis_json(data_dir, year, *county) -> dict:
    extra = ["--county", county[0]] if county else []
    proc = karnama("kpis", "--data-dir", str(data_dir), "--year", str(year), "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def export(data_dir, out: Path, fmt: str, year: int, *county) -> bytes:
    extra = [a for c in county for a in ("--county", c)]
    proc = karnama(
        "export", "--data-dir", str(data_dir), "--format", fmt, "--year", str(year), "--out", str(out), *extra
    )
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


def squash(text: str) -> str:
    """Text without bidi controls or whitespace: poppler places spaces next to numbers on either side in
    right-to-left lines, so comparisons ignore spacing but not the order of letters and words."""
    return re.sub(r"\s+", "", BIDI_CONTROLS.sub("", text))


def has_persian(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) == "AL" for ch in text)


@pytest.fixture(scope="module")
def out_dir() -> Path:
    path = ROOT / "test-artifacts" / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def kpis_1401(demo_dir) -> dict:
    return kpis_json(demo_dir, YEAR)


# --- PDF -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def brief_pdf(demo_dir, out_dir) -> Path:
    path = out_dir / f"brief-{YEAR}-province.pdf"
    export(demo_dir, path, "pdf", YEAR)
    return path


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def page_text(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_pages_render_and_are_a4_right_to_left(brief_pdf, out_dir):
    pages = pdf_pages(brief_pdf)
    # cover, headline KPIs, the cumulative-against-target page, one page per topic
    assert pages == 3 + len(metrics.TOPICS)
    for old in out_dir.glob("brief-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(brief_pdf), str(out_dir / "brief-page")], check=True)
    images = sorted(out_dir.glob("brief-page-*.png"))
    assert len(images) == pages
    for i, image in enumerate(images):
        im = Image.open(image).convert("L")
        w, h = im.size
        assert abs(h / w - 297 / 210) < 0.01  # A4 portrait
        # Titles are set from the right margin: in the title band, ink reaches the right margin and the
        # title's right edge is further right than its left edge is left.
        top, bottom = (0.18, 0.45) if i == 0 else (0.03, 0.13)
        band = im.crop((0, int(h * top), w, int(h * bottom))).point(lambda p: 255 if p < 128 else 0)
        box = band.getbbox()
        assert box is not None and box[2] > w * 0.85 and (w - box[2]) < box[0], image.name
    # a topic page carries its county chart: bars in the chart's band (an empty band has no ink at all)
    topic = Image.open(images[3]).convert("L").crop((0, int(h * 0.15), w, int(h * 0.5)))
    dark = sum(1 for p in topic.getdata() if p < 200)
    assert dark > 0.02 * topic.size[0] * topic.size[1]


def test_pdf_text_is_real_persian_in_reading_order(brief_pdf, kpis_1401):
    pages = [page_text(brief_pdf, i) for i in range(1, pdf_pages(brief_pdf) + 1)]
    whole = "".join(pages)
    # real letters, not presentation-form glyph codes of a pre-shaped string
    assert not PRESENTATION_FORMS.search(whole)
    cover = squash(pages[0])
    for phrase in (
        texts.BRIEF_TITLE,
        texts.PROVINCE,
        texts.BRIEF_YEAR.format(year=fa.year(YEAR)),
        "۱۵آبان۱۴۰۳",
        kpis_1401["snapshot"],
        "دادهٔنمونه",
    ):
        assert squash(phrase) in cover, phrase
    # ligatures (لا, هٔ), the zero-width non-joiner and Persian digits come back as typed
    for phrase in (
        "تسهیلات اشتغال‌زایی",
        "شهرستان‌های پایش‌شدهٔ غیرحضوری",
        "اعضای خانوادهٔ شاغل‌شده از طریق مراکز",
        "یارانه ارتقاء کارایی",
    ):
        assert phrase in BIDI_CONTROLS.sub("", whole), phrase
    for i, page in enumerate(pages[1:], start=2):
        assert squash(texts.BRIEF_PAGE.format(n=fa.num(i), total=fa.num(len(pages)))) in squash(page)


def test_pdf_figures_equal_kpis_json_in_logical_order(brief_pdf, kpis_1401):
    values = kpis_1401["values"]
    # -layout keeps each table row on one line, as laid out on the page: a right-to-left row has its label at
    # the right of its figures
    rows = BIDI_CONTROLS.sub(
        "",
        subprocess.run(
            ["pdftotext", "-layout", "-f", "2", "-l", "2", str(brief_pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
    ).splitlines()
    for m in metrics.headline():
        label = m.label.split(" (")[0]  # poppler moves the brackets of «(SE)»: compare the Persian words
        line = next(r for r in rows if label in r)
        value = m.format(values[m.key])
        assert squash(value) in squash(line), m.key
        assert line.index(label) > line.index(value.split()[0]), m.key
        if m.target:
            assert squash(m.format(values[m.target])) in squash(line)
    headline = squash(page_text(brief_pdf, 2))
    assert "۱٬۵۲۴" in headline and "۲۱۰" in headline  # the article's totals, with the Persian separator
    topics = {t: squash(page_text(brief_pdf, 4 + i)) for i, t in enumerate(metrics.TOPICS)}
    for m in metrics.METRICS:
        assert squash(m.format(values[m.key])) in topics[m.topic], m.key


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""

    def lum(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("year", [1401, 1403], ids=["closed-year", "year-in-progress"])
def test_every_text_colour_in_the_pdf_reads_at_4_5_to_1(demo_snapshot, monkeypatch, year):
    """Every colour text is drawn in, in a real render of the brief (fpdf2 text and matplotlib chart text, which
    sits on the white page or the light header tint), has WCAG AA contrast (4.5:1) with its background."""
    import matplotlib.colors
    import matplotlib.text
    from fpdf import FPDF

    from karnama.exports import pdf as pdf_module

    seen: set[tuple[int, int, int]] = set()
    set_text_color, draw = FPDF.set_text_color, matplotlib.text.Text.draw

    def record_pdf(self, r, g=-1, b=-1):
        seen.add((r, r, r) if g == -1 else (r, g, b))
        return set_text_color(self, r, g, b)

    def record_chart(self, renderer):
        if self.get_visible() and self.get_text().strip():
            seen.add(tuple(round(v * 255) for v in matplotlib.colors.to_rgb(self.get_color())))
        return draw(self, renderer)

    monkeypatch.setattr(FPDF, "set_text_color", record_pdf)
    monkeypatch.setattr(matplotlib.text.Text, "draw", record_chart)
    build_export("pdf", demo_snapshot, Filters(year))
    assert len(seen) >= 5  # black, grey, teal, status and change colours at least
    # Coloured text stands on white; the only text on the light header tint is black (21:1 on white, 17:1 on it).
    assert _contrast((0, 0, 0), pdf_module.LIGHT) >= 4.5
    assert {c: round(_contrast(c, (255, 255, 255)), 2) for c in seen if _contrast(c, (255, 255, 255)) < 4.5} == {}


def test_pdf_embeds_the_bundled_font(brief_pdf):
    fonts = subprocess.run(["pdffonts", str(brief_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines() if "Vazirmatn" in line]
    assert len(rows) == 2 and all(" yes yes yes " in line for line in rows)


# --- PowerPoint ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deck(demo_dir, out_dir):
    path = out_dir / f"deck-{YEAR}-province.pptx"
    export(demo_dir, path, "pptx", YEAR)
    return Presentation(str(path))


def _charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def test_deck_is_16_9_with_the_planned_slides(deck, demo_snapshot):
    assert deck.slide_width * 9 == deck.slide_height * 16 or abs(deck.slide_width / deck.slide_height - 16 / 9) < 1e-3
    brief = content.build(demo_snapshot, Filters(YEAR))
    targeted = [m for m in metrics.METRICS if m.target]  # one cumulative-against-target slide each
    assert len(deck.slides) == len(slide_plan(brief)) == 2 + len(targeted) + 2 * len(metrics.TOPICS)
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert not pictures  # charts are charts, not images


def test_deck_geometry_is_whole_emus(deck):
    """OOXML positions and sizes are integers: a fractional one (python-pptx writes what it is given) makes
    PowerPoint offer to repair the file and python-pptx itself unable to read the shape back."""
    fractional = []
    for n, slide in enumerate(deck.slides, 1):
        for el in slide._element.iter():
            if el.tag.endswith("}off") or el.tag.endswith("}ext"):
                fractional += [
                    (n, k, v) for k, v in el.attrib.items() if k in ("x", "y", "cx", "cy") and not v.isdigit()
                ]
    assert fractional == []
    assert all(isinstance(s.left, int) for slide in deck.slides for s in slide.shapes)


def test_every_text_colour_in_the_deck_reads_at_4_5_to_1(deck):
    """Every coloured run (titles, table cells in status colours, verdicts, footers, chart labels) on its white
    slide."""
    colours = set()
    parts = [slide._element for slide in deck.slides]
    parts += [s.chart._chartSpace for slide in deck.slides for s in slide.shapes if s.has_chart]
    for part in parts:
        for el in part.iter():
            if el.tag.endswith("}rPr") or el.tag.endswith("}defRPr"):
                for fill in el:
                    if fill.tag.endswith("}solidFill"):
                        colours.update(c.get("val") for c in fill if c.tag.endswith("}srgbClr"))
    assert len(colours) >= 4
    rgb = {c: tuple(int(c[i : i + 2], 16) for i in (0, 2, 4)) for c in colours}
    assert {
        c: round(_contrast(v, (255, 255, 255)), 2) for c, v in rgb.items() if _contrast(v, (255, 255, 255)) < 4.5
    } == {}


def test_deck_charts_are_native_with_county_and_month_categories(deck, demo_snapshot, kpis_1401):
    values = kpis_1401["values"]
    by_county = run(demo_snapshot, "kpi_by_county", Filters(YEAR).params())
    names = set(catalog.county_names(demo_snapshot).values())
    charts = [c for slide in deck.slides for c in _charts(slide)]
    county = [c for c in charts if c.chart_type == XL_CHART_TYPE.BAR_CLUSTERED]
    month = [c for c in charts if c.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED]
    assert len(county) == len(month) == len(metrics.TOPICS)
    sums = {
        "se": "se_stabilised",
        "incentives": "incentive_stabilisation_total",
        "centres": "centre_employment",
        "loans": "loans_count",
    }
    for topic, chart in zip(metrics.TOPICS, county):
        cats = list(chart.plots[0].categories)
        assert set(cats) <= names and len(cats) >= 25
        series = list(chart.plots[0].series[0].values)
        frame = by_county.set_index("name_fa")
        if topic == "se":  # every county has its own SE target: each one's progress, the furthest behind first
            # 1401 is closed: a pale bar to the target (100%) behind each county's, drawn first, without labels
            behind, bars = chart.plots[0].series
            assert behind.name == texts.PROGRESS_TARGET_LINE and not behind.data_labels.show_value
            assert list(behind.values) == [100.0] * len(cats) and chart.plots[0].overlap == 100
            series = list(bars.values)
            ranked = verdict.county_status(by_county, metrics.BY_KEY["se_stabilised"], 1.0)  # 1401 is closed
            ranked = ranked[ranked["target"] > 0]  # counties split off later have no target in 1401
            assert cats == ranked["name_fa"].tolist()
            progress = [frame.loc[c, "se_stabilised"] / frame.loc[c, "se_target"] for c in cats]
            assert series == pytest.approx([100 * p for p in progress])  # written ×100 with the Persian «٪»
            assert chart.plots[0].data_labels.number_format == '[$-3000429]0"٪"'
            assert series == sorted(series)
            points = bars.points
            colours = ["#" + str(points[i].format.fill.fore_color.rgb).lower() for i in range(len(cats))]
            assert colours == [status.colour(s) for s in ranked["status"]]
            assert chart.category_axis.reverse_order  # the furthest behind at the top
            continue
        assert series == sorted(series, reverse=True)  # largest county first (at the top)
        column = {
            "se": "se_stabilised",
            "incentives": "incentive_stabilisation_total",
            "centres": "centre_employment",
            "loans": "loans_count",
            "monitoring": "in_person_monitoring_project_coverage",
        }[topic]
        scale = 100 if topic == "monitoring" else 1  # a share is written ×100 with the Persian «٪»
        assert [scale * frame.loc[c, column] for c in cats] == pytest.approx(series)
        if topic in sums:  # every county in the chart: the bars add up to the province figure of kpis --json
            assert sum(series) == values[sums[topic]]
        assert chart.category_axis.reverse_order  # first county at the top
        assert "[$-3000429]" in chart.plots[0].data_labels.number_format  # Persian digits in labels
    for topic, chart in zip(metrics.TOPICS, month):
        cats = list(chart.plots[0].categories)
        if topic == "monitoring":  # its timeline starts in Bahman of the year before, as the dashboard's page draws it
            timeline = run(demo_snapshot, "monitoring_by_month", Filters(YEAR).params())
            assert cats == [fa.month_label(11, YEAR - 1), fa.month_label(12, YEAR - 1), *fa.MONTHS]
            assert [s.name for s in chart.plots[0].series] == [
                texts.SERIES_IN_PERSON_VISITS,
                texts.SERIES_REMOTE_VISITS,
            ]
            assert list(chart.plots[0].series[0].values) == timeline["in_person"].tolist()
            assert list(chart.plots[0].series[1].values) == timeline["remote"].tolist()
            continue
        assert cats == list(fa.MONTHS)  # 1401 is a whole year in the demo
        assert chart.category_axis.reverse_order  # Farvardin at the right
        if topic in sums:
            assert sum(chart.plots[0].series[0].values) == values[sums[topic]]


def _paragraphs(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield from shape.text_frame.paragraphs
            if shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        yield from cell.text_frame.paragraphs
        yield from slide.notes_slide.notes_text_frame.paragraphs


def test_deck_persian_paragraphs_are_right_to_left(deck):
    persian = [p for p in _paragraphs(deck) if has_persian("".join(r.text for r in p.runs))]
    assert len(persian) > 200
    for p in persian:
        assert p._p.pPr is not None and p._p.pPr.get("rtl") == "1", "".join(r.text for r in p.runs)
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table:
                # Written in visual order, the label column rightmost, for every viewer (LibreOffice ignores
                # a:tblPr rtl); with rtl="1" as well PowerPoint would flip it back to the left.
                assert shape._element.graphic.graphicData.tbl.tblPr.get("rtl") is None
                for row in shape.table.rows:
                    assert list(row.cells)[-1].text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT
    for slide in deck.slides:  # the title (the first text on a slide) is set from the right
        title = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip())
        assert title.text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT


def test_deck_cover_names_the_snapshot_in_persian(deck, demo_snapshot):
    """The cover says which data it shows as people read it (Jalali date, Persian digits), as the PDF does,
    not the snapshot's Latin id with its Gregorian timestamp."""
    cover = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    label = fa.snapshot_label(fa.snapshot_created(demo_snapshot.id), demo_snapshot.is_demo)
    assert label in cover
    assert demo_snapshot.id not in cover
    assert not re.search(r"[A-Za-z0-9]", cover), cover


def test_deck_figures_and_notes_equal_kpis_json(deck, kpis_1401):
    values = kpis_1401["values"]
    headline = deck.slides[1]
    table = next(s for s in headline.shapes if s.has_table).table
    # Read from the right: the label, then the year's figure.
    shown = {cells[-1].text: cells[-2].text for cells in (list(row.cells) for row in list(table.rows)[1:])}
    for m in metrics.headline():
        assert shown[m.label] == m.format(values[m.key]), m.key
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    assert kpis_1401["snapshot"] in notes
    assert f"{fa.num(values['loans_amount_rials'])} ریال" in notes  # exact, not rounded to میلیارد
    assert fa.pct(values["in_person_monitoring_project_coverage"], 2) in notes
    for m in metrics.METRICS:
        if m.unit not in ("rial", "ratio"):
            assert f"{m.label}: {m.format(values[m.key])}" in notes, m.key


# --- Excel ---------------------------------------------------------------------------------------------


def test_workbook_numbers_equal_kpis_json_for_a_county(demo_dir, out_dir, demo_snapshot):
    path = out_dir / "workbook-1402-NEY.xlsx"
    export(demo_dir, path, "xlsx", 1402, "نیشابور")
    expected = kpis_json(demo_dir, 1402, "NEY")["values"]
    wb = load_workbook(path)
    assert wb.sheetnames == [texts.XLSX_ABOUT, texts.XLSX_SUMMARY, *texts.TOPIC_SHORT.values(), texts.XLSX_MONTHS]
    assert all(ws.sheet_view.rightToLeft for ws in wb)
    for ws in wb:  # Persian headers, and numbers in Persian digits whatever the reader's Windows is set to
        latin = [c.value for c in ws[1] if re.search("[A-Za-z]{2,}", str(c.value or "").replace("(SE)", ""))]
        assert not latin, ws.title  # «(SE)», the source's own acronym, aside
        formats = {c.number_format for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, float | int)}
        assert all(f.startswith("[$-3000429]") for f in formats - {"General"}), (ws.title, formats)
    summary = wb[texts.XLSX_SUMMARY]
    header = [c.value for c in summary[1]]
    col = {h: i for i, h in enumerate(header)}
    value_col, target_col = col[texts.COL_VALUE.format(year=fa.year(1402))], col[texts.COL_TARGET]
    seen = set()
    for row in summary.iter_rows(min_row=2):
        key = row[col[texts.XLSX_KEY]].value
        cell = row[value_col]
        assert isinstance(cell.value, (int, float)) or cell.value is None
        assert cell.value == pytest.approx(expected[key]) if expected[key] is not None else cell.value is None
        m = metrics.BY_KEY[key]
        if m.target:
            assert row[target_col].value == expected[m.target]
        if m.unit == "ratio":
            assert cell.number_format.endswith("%")
        seen.add(key)
    assert seen == {m.key for m in metrics.METRICS}
    for topic in texts.TOPIC_SHORT.values():  # one county, numbers as numbers
        ws = wb[topic]
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == ["NEY"] and rows[0][0] == "نیشابور"
        assert all(isinstance(v, (int, float)) for v in rows[0][2:] if v is not None and not isinstance(v, str))
    months = wb[texts.XLSX_MONTHS]
    se = [r[2] for r in months.iter_rows(min_row=2, values_only=True)]
    assert len(se) == 12 and sum(se) == expected["se_stabilised"]


def test_workbook_neutralises_formula_text(store, out_dir):
    tables = fixtures.tables()
    names = tables["counties"].column("name_fa").to_pylist()
    i = tables["counties"].column("code").to_pylist().index("NEY")
    names[i] = '=HYPERLINK("http://example.com","x")'
    tables["counties"] = tables["counties"].set_column(1, "name_fa", [names])
    snap = store.publish(tables, source="formula test", as_of=fixtures.AS_OF)
    data = build_export("xlsx", snap, Filters(1402))
    (out_dir / "workbook-formula.xlsx").write_bytes(data)
    ws = load_workbook(out_dir / "workbook-formula.xlsx")[texts.TOPIC_SHORT["se"]]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


# --- scope, the audit hook, the CLI -------------------------------------------------------------------


def test_scope_limits_every_format_to_the_users_counties(demo_snapshot):
    names = catalog.county_names(demo_snapshot)
    brief = content.build(demo_snapshot, Filters(1402), scope={"NEY", "KSH"})
    assert set(brief.by_county["county_code"]) == {"NEY", "KSH"}
    assert brief.where == "، ".join(names[c] for c in ("KSH", "NEY"))
    scoped = metrics.compute(demo_snapshot, Filters(1402), scope={"NEY", "KSH"}).current
    assert {f.metric.key: f.value for f in brief.headline} == {m.key: scoped[m.key] for m in metrics.headline()}
    # asking for a county outside the scope gives nothing of it
    data = build_export("pptx", demo_snapshot, Filters(1402, ("MSH",)), scope={"NEY"})
    deck = Presentation(io.BytesIO(data))
    text = "\n".join(
        p.text for slide in deck.slides for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs
    )
    cats = [c for slide in deck.slides for ch in _charts(slide) for c in ch.plots[0].categories]
    assert names["MSH"] not in cats and names["MSH"] not in text


def test_every_export_goes_through_the_hook(demo_snapshot):
    seen = []
    add_listener(seen.append)
    try:
        data = build_export("xlsx", demo_snapshot, Filters(1402, ("NEY",)), scope={"NEY"})
    finally:
        remove_listener(seen.append)
    assert len(seen) == 1
    record = seen[0]
    assert (record.fmt, record.snapshot_id, record.year, record.counties, record.scope, record.size) == (
        "xlsx",
        demo_snapshot.id,
        1402,
        ("NEY",),
        frozenset({"NEY"}),
        len(data),
    )
    assert file_name("pdf", Filters(1402, ("NEY", "MSH"))) == "karnama-1402-NEY-MSH.pdf"
    assert set(FORMATS) == {"pdf", "pptx", "xlsx"}


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--format", "pdf", "--year", "1390"], "سال ۱۳۹۰"),
        (["--format", "pdf", "--year", "1401", "--county", "ناکجاآباد"], "ناکجاآباد"),
        (["--format", "docx", "--year", "1401"], "invalid choice"),
    ],
)
def test_export_cli_refuses_bad_input(demo_dir, tmp_path, args, needle):
    out = tmp_path / "x.bin"
    proc = karnama("export", "--data-dir", str(demo_dir), "--out", str(out), *args)
    assert proc.returncode == 2 and needle in proc.stderr
    assert not out.exists()


def test_unknown_format_or_county_is_a_persian_error(demo_snapshot):
    with pytest.raises(ValueError, match="قالب خروجی"):
        build_export("docx", demo_snapshot, Filters(1401))
    with pytest.raises(ValueError, match="شهرستان"):
        build_export("pdf", demo_snapshot, Filters(1401, ("XXX",)))


def test_one_county_brief_has_no_county_chart(demo_snapshot):
    brief = content.build(demo_snapshot, Filters(1403, ("NEY",)))
    for topic in brief.topics:
        assert [c.by for c in topic.charts] == ["month"]
        # 1403 runs to the snapshot's as-of date (15 Aban): months up to Aban only, Aban marked as partial;
        # monitoring's timeline starts in Bahman of the year before
        before = (fa.month_label(11, 1402), fa.month_label(12, 1402)) if topic.key == "monitoring" else ()
        assert topic.charts[0].categories == (
            *before,
            *fa.MONTHS[:7],
            texts.PARTIAL_MONTH_MARK.format(month="آبان", days="۱۵"),
        )


def test_a_small_count_axis_in_the_deck_steps_by_one():
    """A county's month chart of 0-2 people: PowerPoint's own steps would be halves, which whole-number labels read
    «۰ ۱ ۱ ۲ ۲»; counts up to a few step by one, larger counts and shares keep PowerPoint's steps."""
    from pptx.util import Inches

    from karnama.exports.content import Chart, Series
    from karnama.exports.pptx_deck import add_chart, add_line_chart

    slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    months = ("فروردین", "اردیبهشت", "خرداد")

    def unit(adder, values, percent=False):
        chart = Chart("x", "month", months, (Series("الف", values),), percent=percent)
        return adder(slide, chart, Inches(0), Inches(0), Inches(4), Inches(3)).chart.value_axis.major_unit

    assert unit(add_chart, (0, 2, 1)) == 1 and unit(add_line_chart, (0, 1, 2)) == 1
    assert unit(add_chart, (0, 40, 12)) is None and unit(add_chart, (0.1, 0.4, 0.2), percent=True) is None


def test_the_pdf_county_chart_writes_each_figure_outside_its_bar():
    """Bars grow from the right; each figure sits beyond its bar's end on the white page (inside, it was dark text
    on a dark bar) and an empty county's «۰» in the plot, left of the axis, not against its name."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from karnama.exports import static_charts
    from karnama.exports.content import Chart, Series

    names = ("مشهد", "نیشابور", "سبزوار", "کلات")
    chart = Chart("طرح‌ها", "county", names, (Series(texts.SERIES_PROJECTS, (290.0, 55.0, 9.0, 0.0)),))
    fig, ax = plt.subplots(figsize=(6, 3))
    static_charts._draw_county(ax, chart, 8)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    bars = [p for p in ax.patches if p.get_height() > 0]
    labels = [t for t in ax.texts if t.get_text()]
    assert [t.get_text() for t in labels] == [fa.num(v) for v in (290, 55, 9, 0)]
    axis_x = ax.transData.transform((0, 0))[0]
    for bar, label in zip(bars, labels):
        box, text = bar.get_window_extent(renderer), label.get_window_extent(renderer)
        assert text.x1 <= box.x0 + 0.5, (label.get_text(), text, box)  # left of the bar's end
        assert text.x1 < axis_x  # in the plot, never over the names at the right
    plt.close(fig)


def test_deck_rows_are_as_tall_as_the_decks_font_sets_its_lines():
    """The deck names Vazirmatn: where it is installed its lines are 1.56 em apart (its own metrics), and rows sized
    for 1.2 cut a wrapped cell's second line off (LibreOffice with the font)."""
    from fontTools.ttLib import TTFont

    from karnama.core.paths import ROOT
    from karnama.exports import pptx_deck

    for weight in ("Regular", "Bold"):
        font = TTFont(ROOT / "static" / "fonts" / f"Vazirmatn-{weight}.ttf")
        hhea = font["hhea"]
        line = (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm
        one_line = pptx_deck.text_height("یک", 12, 200, margin_pt=0)
        assert one_line >= 12 * line * 12700, weight


def test_the_deck_file_says_what_it_is(deck):
    """A file list shows the deck's own properties: its title and date, not python-pptx's template's (2013)."""
    props = deck.core_properties
    assert texts.APP_NAME in props.title and fa.year(YEAR) in props.title and props.author == texts.APP_NAME
    assert props.created.year >= 2026
