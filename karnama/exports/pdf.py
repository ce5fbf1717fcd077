"""The PDF brief: A4 portrait, right to left, real (searchable, copyable) Persian text in the bundled Vazirmatn.

fpdf2's HarfBuzz shaping engine joins the letters, keeps the zero-width non-joiner, orders Latin words and numbers
inside Persian sentences and mirrors brackets and «», so text is passed to it unshaped (arabic-reshaper and
python-bidi would shape it a second time). Charts are matplotlib SVG, embedded as vectors.

One fix for text extraction: a ligature glyph of a right-to-left run (لا, هٔ in Vazirmatn) stands for several
letters. PDF readers that extract right-to-left text by reading glyphs from right to left (poppler's pdftotext,
evince, okular; also pdfminer, pypdf, PyMuPDF) then reverse the letters inside the ligature too, so «تسهیلات»
copies as «تسهیالت». Before writing, such glyphs get their letters in visual order, which those readers turn
back into reading order. Glyph drawing is untouched.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from karnama.core import fa, paths, texts
from karnama.exports import static_charts
from karnama.exports.content import Brief, Chart, span_header, table_colours, table_header, table_row

FONTS_DIR = paths.FONTS_DIR
FONT = "Vazirmatn"
TEAL = (15, 110, 122)
GREY = (73, 80, 87)
LIGHT = (233, 236, 239)
MARGIN = 15.0  # mm
PAGE_W, PAGE_H = 210.0, 297.0
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_H = 14.0


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # mm
    bold: bool = False


CELL_PAD = 1.5  # mm kept free in a cell
MIN_CELL_SIZE = 6.5  # pt: smallest a cell's text shrinks to
SHRINK = 0.85  # a cell's type shrinks this far on one line before it wraps to two
LEADING = 1.2  # line height of a wrapped cell, in font heights


class _BriefPDF(FPDF):
    """A4 portrait with a footer naming the place, year, snapshot date and the page in Persian digits."""

    def __init__(self, brief: Brief, total_pages: int) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.brief = brief
        self.total_pages = total_pages
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.add_font(FONT, "", str(FONTS_DIR / "Vazirmatn-Regular.ttf"))
        self.add_font(FONT, "B", str(FONTS_DIR / "Vazirmatn-Bold.ttf"))
        self.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
        self.set_title(f"{texts.BRIEF_TITLE} — {brief.where} — {texts.BRIEF_YEAR.format(year=fa.year(brief.year))}")
        self.set_author(texts.APP_NAME)
        self.set_subject(texts.BRIEF_SNAPSHOT.format(id=brief.snapshot_id))
        self.set_lang("fa")
        self.set_creator("Karnama")

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(PAGE_H - FOOTER_H + 2)
        self.set_draw_color(*LIGHT)
        self.line(MARGIN, self.get_y(), PAGE_W - MARGIN, self.get_y())
        self.set_y(self.get_y() + 1.5)
        self.set_text_color(*GREY)
        self.set_font(FONT, "", 8)
        footer = self.brief.footer + (f" — {texts.BRIEF_DEMO}" if self.brief.is_demo else "")
        self.cell(CONTENT_W * 0.8, 5, footer, align="R")
        self.set_x(MARGIN)
        self.cell(
            CONTENT_W * 0.2,
            5,
            texts.BRIEF_PAGE.format(n=fa.num(self.page_no()), total=fa.num(self.total_pages)),
            align="L",
        )
        self.set_text_color(0, 0, 0)

    def line_text(
        self,
        text: str,
        size: float,
        bold: bool = False,
        height: float | None = None,
        color: tuple[int, int, int] = (0, 0, 0),
        align: str = "R",
    ) -> None:
        """A paragraph across the content width, right-aligned by default, wrapped if long."""
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.set_x(MARGIN)
        self.multi_cell(CONTENT_W, height or size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def grid(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        row_h: float = 6.5,
        size: float = 8.5,
        colours: Sequence[Sequence[str | None]] | None = None,
    ) -> None:
        """A right-to-left table: the first column at the right; a tinted header row and hairlines; ``colours``
        gives a text colour per cell (None = black)."""

        def draw(cells: Sequence[str], header: bool, tints: Sequence[str | None] = ()) -> None:
            x = PAGE_W - MARGIN
            y = self.get_y()
            if header:
                self.set_fill_color(*LIGHT)
                self.rect(MARGIN, y, sum(c.width for c in columns), row_h, style="F")
            for i, (col, value) in enumerate(zip(columns, cells)):
                x -= col.width
                self.set_xy(x, y)
                tint = tints[i] if i < len(tints) else None
                self.set_text_color(*(_rgb(tint) if tint else (0, 0, 0)))
                style = "B" if header or col.bold else ""
                self.fitted_cell(col.width, row_h, value, style, size, align="R" if col is columns[0] else "C")
            self.set_text_color(0, 0, 0)
            self.set_draw_color(*LIGHT)
            self.line(MARGIN, y + row_h, PAGE_W - MARGIN, y + row_h)
            self.set_xy(MARGIN, y + row_h)

        draw([c.title for c in columns], header=True)
        for i, row in enumerate(rows):
            draw(row, header=False, tints=colours[i] if colours else ())

    def fit_font(self, style: str, size: float, text: str, width: float, floor: float = MIN_CELL_SIZE) -> bool:
        """Set the font at ``size``, or smaller (down to ``floor``) until ``text`` fits ``width``; whether it fits."""
        self.set_font(FONT, style, size)
        while size > floor and self.get_string_width(text) > width:
            size = max(size - 0.25, floor)
            self.set_font(FONT, style, size)
        return self.get_string_width(text) <= width

    def fitted_cell(self, width: float, height: float, text: str, style: str, size: float, align: str) -> None:
        """One table cell that never runs past its column: the type a little smaller, then two lines (a change
        such as «۱۲ واحد درصد افزایش», a month span, money), and only a single long word at the smallest size."""
        room = width - CELL_PAD
        if self.fit_font(style, size, text, room, floor=max(MIN_CELL_SIZE, size * SHRINK)) or " " not in text:
            self.fit_font(style, self.font_size_pt, text, room)
            self.cell(width, height, text, align=align)
            return
        while True:
            line_h = self.font_size * LEADING
            lines: list[str] = self.multi_cell(  # type: ignore[assignment]  # output="LINES" returns the lines
                room, line_h, text, align=align, dry_run=True, output="LINES"
            )
            if len(lines) * line_h <= height or self.font_size_pt <= MIN_CELL_SIZE:
                break
            self.set_font(FONT, style, max(self.font_size_pt - 0.25, MIN_CELL_SIZE))
        x, y = self.get_x(), self.get_y()
        self.set_xy(x + CELL_PAD / 2, y + max(height - len(lines) * line_h, 0) / 2)
        self.multi_cell(room, line_h, text, align=align)

    def chart(self, chart: Chart, height: float) -> None:
        """A chart with its title, as vector graphics across the content width."""
        self.line_text(chart.title, 10, bold=True, height=6, color=TEAL)
        note = chart.without_target_text  # a progress chart's counties with no bar, named under it
        image_h = height - 7 - (5 if note else 0)
        svg = static_charts.render(chart, CONTENT_W, image_h)
        self.image(io.BytesIO(svg), x=MARGIN, y=self.get_y() + 1, w=CONTENT_W, h=image_h)
        self.set_y(self.get_y() + image_h + 1)
        if note:
            self.line_text(note, 8, height=5, color=GREY)


# mm, right to left, 180 in all: a closed year's table, and a year in progress's with this year's figure over the
# compared months as well (content.table_header).
COLUMN_WIDTHS = (56, 24, 15, 11, 26, 28, 20)
SPAN_COLUMN_WIDTHS = (44, 19, 13, 11, 27, 22, 22, 22)


def figure_columns(brief: Brief) -> list[Column]:
    header = table_header(brief.year, brief.comparison)
    widths = SPAN_COLUMN_WIDTHS if span_header(brief.comparison) else COLUMN_WIDTHS
    return [Column(title, width, bold=i == 1) for i, (title, width) in enumerate(zip(header, widths, strict=True))]


def _rgb(colour: str) -> tuple[int, int, int]:
    """'#c92a2a' -> (201, 42, 42)."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _cover(pdf: _BriefPDF, brief: Brief) -> None:
    pdf.add_page()
    pdf.set_fill_color(*TEAL)
    pdf.rect(0, 0, PAGE_W, 8, style="F")
    pdf.set_y(60)
    pdf.line_text(texts.APP_NAME, 16, bold=True, height=10, color=TEAL)
    pdf.line_text(texts.BRIEF_ORG, 11, height=7, color=GREY)
    pdf.ln(10)
    pdf.line_text(texts.BRIEF_TITLE, 28, bold=True, height=15)
    pdf.line_text(brief.where, 18, height=11)
    pdf.line_text(texts.BRIEF_YEAR.format(year=fa.year(brief.year)), 18, bold=True, height=11, color=TEAL)
    pdf.ln(8)
    pdf.line_text(texts.BRIEF_AS_OF.format(as_of=fa.date_long(brief.as_of)), 12, height=8)
    pdf.line_text(
        texts.BRIEF_SNAPSHOT.format(id=fa.snapshot_label(fa.snapshot_created(brief.snapshot_id), brief.is_demo)),
        10,
        height=7,
        color=GREY,
    )
    pdf.line_text(texts.SNAPSHOT_DETAILS.format(id=brief.snapshot_id), 7, height=5, color=GREY)
    pdf.ln(6)
    pdf.line_text(brief.verdict, 11, bold=True, height=7)
    for f in brief.forecast_figures:
        pdf.line_text(
            f"{f.metric.card_label}: {f.status_label} — {f.forecast_text}", 9.5, height=6, color=_rgb(f.status_colour)
        )
    if brief.is_demo:
        pdf.ln(10)
        y = pdf.get_y()
        pdf.set_fill_color(255, 243, 191)
        pdf.rect(MARGIN, y, CONTENT_W, 24, style="F")
        pdf.set_y(y + 3)
        pdf.line_text(texts.BRIEF_DEMO, 11, bold=True, height=6)
        pdf.line_text(texts.DEMO_BANNER, 9, height=5)


def _headline(pdf: _BriefPDF, brief: Brief) -> None:
    pdf.add_page()
    pdf.line_text(texts.BRIEF_HEADLINE, 18, bold=True, height=11, color=TEAL)
    pdf.line_text(f"{brief.where} — {texts.BRIEF_YEAR.format(year=fa.year(brief.year))}", 11, height=7, color=GREY)
    pdf.ln(4)
    pdf.grid(
        figure_columns(brief),
        [table_row(f) for f in brief.headline],
        row_h=9,
        size=9.5,
        colours=[table_colours(f) for f in brief.headline],
    )
    pdf.ln(3)
    if brief.comparison is not None:  # which basis the changes use
        pdf.line_text(f"{texts.COL_BASIS}: {brief.comparison.label}", 9, height=5.5, color=GREY)
    if brief.elapsed < 1:  # a partial year: progress reads against the share of the year gone
        pdf.line_text(texts.PACE.format(elapsed=fa.pct(brief.elapsed)), 9, height=5.5, color=GREY)
    pdf.ln(3)
    pdf.line_text(brief.verdict, 10, height=6.5)
    if brief.notes:
        pdf.ln(4)
        pdf.line_text(texts.NOTES_TITLE.format(n=fa.num(len(brief.notes))), 12, bold=True, height=8, color=TEAL)
        for line in brief.notes[:12]:
            pdf.line_text(f"• {line}", 9, height=5.5)


def _cumulative(pdf: _BriefPDF, brief: Brief) -> None:
    """One page: each target metric's running sum by month against its target, its status and forecast under the
    title (in the status colour), the charts sharing the page's height."""
    pdf.add_page()
    pdf.line_text(texts.CUMULATIVE_TITLE, 16, bold=True, height=10, color=TEAL)
    pdf.line_text(f"{brief.where} — {texts.BRIEF_YEAR.format(year=fa.year(brief.year))}", 10, height=6, color=GREY)
    pdf.ln(2)
    each = (PAGE_H - FOOTER_H - pdf.get_y() - 4) / len(brief.cumulative)
    colours = {f.metric.key: f.status_colour for f in brief.target_figures}
    for chart in brief.cumulative:
        pdf.line_text(chart.title, 10.5, bold=True, height=6, color=TEAL)
        if chart.subtitle:
            pdf.line_text(chart.subtitle, 8.5, height=5, color=_rgb(colours.get(chart.key, "#495057")))
        height = min(80.0, each - 13)
        svg = static_charts.render(chart, CONTENT_W, height)
        pdf.image(io.BytesIO(svg), x=MARGIN, y=pdf.get_y() + 0.5, w=CONTENT_W, h=height)
        pdf.set_y(pdf.get_y() + height + 2)


COUNTY_CHART_MIN_H = 45.0  # mm


def _topic(pdf: _BriefPDF, brief: Brief, index: int) -> None:
    topic = brief.topics[index]
    pdf.add_page()
    pdf.line_text(topic.title, 16, bold=True, height=10, color=TEAL)
    if topic.verdict:
        pdf.line_text(topic.verdict, 9, height=5.5)
        pdf.ln(1)
    rows = [table_row(f) for f in topic.figures]
    row_h = 7.0 if len(rows) <= 5 else 6.0
    table_h = row_h * (len(rows) + 1) + 3
    room = PAGE_H - MARGIN - FOOTER_H - pdf.get_y() - table_h
    county = next((c for c in topic.charts if c.by == "county"), None)
    month = next((c for c in topic.charts if c.by == "month"), None)
    month_h = min(56.0, room * 0.35) if county else min(90.0, room)
    if county:
        # A progress chart's key (statuses, the target and the pace named above its bars) needs room of its own.
        key_h = 12 if county.states else 0
        # Several series: a legend row and a bar per series in each county's band; a floor, so that a few counties
        # (a view of two or three) still get bars that can carry their figures.
        legend_h = 8 if len(county.series) > 1 else 0
        bands = len(county.categories) * max(4.4, 3.2 * len(county.series))
        county_h = min(room - (month_h if month else 0), max(COUNTY_CHART_MIN_H, 16 + key_h + legend_h + bands))
        pdf.chart(county, county_h)
    if month:
        pdf.chart(month, month_h)
    pdf.ln(2)
    pdf.grid(figure_columns(brief), rows, row_h=row_h, size=8.5, colours=[table_colours(f) for f in topic.figures])


def ligatures_in_reading_order(pdf: FPDF) -> None:
    """Give each right-to-left ligature glyph its letters in visual order (see the module docstring)."""
    for font in pdf.fonts.values():
        subset = getattr(font, "subset", None)
        if subset is None:
            continue
        for glyph, _cid in subset.items():
            letters = getattr(glyph, "unicode", None)
            if (
                isinstance(letters, tuple)
                and len(letters) > 1
                and any(unicodedata.bidirectional(chr(c)) in ("R", "AL") for c in letters)
            ):
                glyph.unicode = tuple(reversed(letters))


def render(brief: Brief) -> bytes:
    """The whole brief as PDF bytes: cover, headline KPIs, the cumulative-against-target charts, one page per
    topic."""
    pdf = _BriefPDF(brief, total_pages=2 + bool(brief.cumulative) + len(brief.topics))
    _cover(pdf, brief)
    _headline(pdf, brief)
    if brief.cumulative:
        _cumulative(pdf, brief)
    for i in range(len(brief.topics)):
        _topic(pdf, brief, i)
    assert pdf.page_no() == pdf.total_pages  # page numbers were drawn with this total
    ligatures_in_reading_order(pdf)
    return bytes(pdf.output())
