"""The PowerPoint deck: 16:9, right-to-left paragraphs, native (editable) charts, figures in the speaker notes.

python-pptx has no switch for right-to-left text, so every Persian paragraph gets ``rtl="1"`` on its ``a:pPr``
with right alignment. Tables are written in visual order, the first column on the right: PowerPoint honours
``rtl="1"`` on ``a:tblPr`` but LibreOffice Impress ignores it and drew the label column on the left. PowerPoint
shapes Persian itself, so text is written as it is. Chart categories are Persian county and month names; data
labels and value axes use the number format ``[$-3000429]`` (Persian digits in PowerPoint and LibreOffice).
Text asks for the bundled Vazirmatn font; where it is not installed PowerPoint substitutes a system font.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from karnama import verdict
from karnama.core import fa, palette, texts
from karnama.exports.content import (
    Brief,
    Chart,
    Figure,
    Topic,
    previous_header,
    span_header,
    table_colours,
    table_header,
    table_row,
)

FONT = "Vazirmatn"
FA_INT = fa.OFFICE_DIGITS + "#,##0"
# Percentages are written ×100 with the Persian sign as text: Excel's own "%" format would show the Latin sign,
# beside tables that read «۴۵٪»
FA_PCT = fa.OFFICE_DIGITS + '0"٪"'
PCT_SCALE = 100
FA_INT_NO_ZERO = FA_INT + ";-" + FA_INT + ";"  # an empty month gets no "۰" label over the axis
TEAL = RGBColor(0x0F, 0x6E, 0x7A)
GREY = RGBColor(0x49, 0x50, 0x57)
DARK = RGBColor(0x21, 0x25, 0x29)
LIGHT = RGBColor(0xE9, 0xEC, 0xEF)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)


def _rtl_paragraph(paragraph, align=PP_ALIGN.RIGHT) -> None:
    paragraph.alignment = align
    paragraph._p.get_or_add_pPr().set("rtl", "1")


def _font(run, size: float, bold: bool = False, color: RGBColor = DARK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "fa-IR")
    # Persian letters are "complex script": without a:cs PowerPoint picks the theme's complex-script font.
    for tag in ("a:cs",):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rpr, qn(tag))
        el.set("typeface", FONT)


def write(text_frame, lines: Sequence[tuple[str, float, bool, RGBColor]], align=PP_ALIGN.RIGHT) -> None:
    """Replace a text frame's text with right-to-left paragraphs of (text, size, bold, colour)."""
    text_frame.word_wrap = True
    for i, (text, size, bold, color) in enumerate(lines):
        p = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()
        _rtl_paragraph(p, align)
        _font(_run(p, text), size, bold, color)


def _textbox(slide, x, y, w, h, lines, align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(x, y, w, h)
    box.text_frame.vertical_anchor = anchor
    write(box.text_frame, lines, align)
    return box


def _title(slide, text: str, subtitle: str | None = None) -> None:
    lines = [(text, 28, True, TEAL)]
    if subtitle:
        lines.append((subtitle, 14, False, GREY))
    _textbox(slide, MARGIN, Inches(0.3), SLIDE_W - 2 * MARGIN, Inches(1.1), lines)


def _footer(slide, brief: Brief, number: int, total: int) -> None:
    text = brief.footer + (f" — {texts.BRIEF_DEMO}" if brief.is_demo else "")
    _textbox(
        slide,
        Inches(2.0),
        SLIDE_H - Inches(0.5),
        SLIDE_W - Inches(2.0) - MARGIN,
        Inches(0.35),
        [(text, 10, False, GREY)],
    )
    _textbox(
        slide,
        MARGIN,
        SLIDE_H - Inches(0.5),
        Inches(1.5),
        Inches(0.35),
        [(texts.PRESENT_COUNTER.format(n=fa.num(number), total=fa.num(total)), 10, False, GREY)],
        align=PP_ALIGN.LEFT,
    )


# A generous letter width in em: bold headings, and the wider fallback fonts of a machine without Vazirmatn.
LETTER_EM = 0.75
CELL_PAD_PT = 18  # the cell's left and right margins (0.1 in each) and some slack
# A wrapped line's height, in font sizes: Vazirmatn's own line is 1.56 em (1.71 by its Windows metrics), and rows
# sized for 1.2 cut their second line off where the font is installed.
LINE_SPACING = 1.65
# Average advance of a Persian letter, in ems, where lines wrap: bold DejaVu Sans (LibreOffice's fallback) measures
# 0.5–0.64, Vazirmatn 0.4–0.45. LETTER_EM stays wider, as it only keeps a word from being split.
WRAP_EM = 0.6
MIN_TABLE_SIZE = 8  # pt: the smallest type of a table


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], size: float, hints: Sequence[float], total_pt: float
) -> tuple[list[float], list[float]]:
    """Column widths in points for a table ``total_pt`` wide: every column at least as wide as its longest word
    (so no word is ever split), the rest shared by how much longer its longest line is. Returns (widths, the
    minimum widths); the minimums may add up to more than ``total_pt`` (then the type must get smaller)."""
    cols = list(zip(header, *rows))
    need = [
        max(len(word) for t in col for word in (str(t).split() or [""])) * LETTER_EM * size + CELL_PAD_PT
        for col in cols
    ]
    want = [max(len(str(t)) for t in col) * LETTER_EM * size + CELL_PAD_PT for col in cols]
    spare = total_pt - sum(need)
    if spare <= 0:
        return [total_pt * n / sum(need) for n in need], need
    gaps = [max(wa - n, 0) + h for wa, n, h in zip(want, need, hints)]
    return [n + spare * g / sum(gaps) for n, g in zip(need, gaps)], need


def text_height(text: str, size: float, width_pt: float, margin_pt: float = 3.0) -> int:
    """The height (EMU) of ``text`` set at ``size`` pt in a box ``width_pt`` wide, wrapped at spaces, with
    ``margin_pt`` above and below."""
    room = max(width_pt - CELL_PAD_PT, 1.0)
    lines, line = 1, 0.0
    for word in text.split():
        w = len(word) * WRAP_EM * size
        if line and line + WRAP_EM * size + w > room:
            lines, line = lines + 1, w
        else:
            line += (WRAP_EM * size if line else 0) + w
    return int((lines * size * LINE_SPACING + 2 * margin_pt) * 12700)


def _figure_hints(widths: Sequence[float], brief: Brief) -> list[float]:
    """Width hints for a KPI table (:func:`table_header`): a year in progress's extra column, this year's compared
    months, takes the previous figure's hint."""
    return [*widths[:5], widths[5], *widths[5:]] if span_header(brief.comparison) else list(widths)


def _table(
    slide,
    x,
    y,
    w,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float = 12,
    row_h=Inches(0.36),
    colours: Sequence[Sequence[str | None]] | None = None,
    max_h: int | None = None,
) -> int:
    """A native table laid out right to left (logical column 0 is the rightmost), its column widths from its content
    (``widths`` only breaks ties), the type made smaller until every word fits its column, cells wrapping, each
    row as tall as its most wrapped cell; ``colours`` gives a text colour per body cell (None = the dark text
    colour), the whole no taller than ``max_h`` (EMU) where the type allows. Returns the table's height (EMU), so
    what follows it starts below it."""
    total_pt = w / 12700
    while True:  # the largest type at which every word fits its column and the table its height
        pts, need = column_widths(header, rows, size, widths, total_pt)
        heights = [
            max(int(row_h), *(text_height(str(value), size, pts[c]) for c, value in enumerate(cells)))
            for cells in [list(header), *rows]
        ]
        if size <= MIN_TABLE_SIZE or (sum(need) <= total_pt and (max_h is None or sum(heights) <= max_h)):
            break
        size -= 0.5
    shape = slide.shapes.add_table(len(rows) + 1, len(header), x, y, w, row_h * (len(rows) + 1))
    table = shape.table
    table.horz_banding = False
    last = len(header) - 1

    def at(c: int) -> int:
        """The visual column of logical column ``c`` (the first one on the right), the same in every viewer."""
        return last - c

    for i, width in enumerate(pts):
        table.columns[at(i)].width = Emu(int(width * 12700))
    for r, cells in enumerate([list(header), *rows]):
        table.rows[r].height = Emu(heights[r])
        for c, value in enumerate(cells):
            cell = table.cell(r, at(c))
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = LIGHT if r == 0 else WHITE
            cell.text_frame.text = ""
            cell.text_frame.word_wrap = True
            tint = colours[r - 1][c] if colours and r > 0 and c < len(colours[r - 1]) else None
            write(
                cell.text_frame,
                [(value, size, r == 0 or c == 1, _rgb(tint) if tint else DARK)],
                align=PP_ALIGN.RIGHT if c == 0 else PP_ALIGN.CENTER,
            )
    return sum(heights)


def add_chart(slide, chart: Chart, x, y, w, h):
    """A native PowerPoint chart: horizontal bars by county (first at the top, growing from the right),
    columns by month (first month at the right). Returns the graphic frame."""
    data = CategoryChartData(number_format=FA_PCT if chart.percent else FA_INT)
    data.categories = list(chart.categories)
    scale = PCT_SCALE if chart.percent else 1
    mark = _progress_mark(chart)
    if mark is not None:  # first, so that it is drawn behind the bars
        data.add_series(mark[1], [mark[0] * scale] * len(chart.categories))
    for series in chart.series:
        data.add_series(series.name, [v * scale if v is not None else None for v in series.values])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.by == "county" else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, x, y, w, h, data)
    c = frame.chart
    c.font.size = Pt(10 if chart.by == "month" or len(chart.categories) <= 20 else 8.5)
    c.font.name = FONT
    c.has_title = False
    c.has_legend = len(chart.series) > 1 and mark is None  # a progress chart has its key above it
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
    plot = c.plots[0]
    plot.gap_width = 30 if chart.by == "county" else 60
    plot.overlap = 100 if mark is not None else 0
    drawn = list(plot.series)
    if mark is not None:
        behind = drawn.pop(0)
        behind.format.fill.solid()
        behind.format.fill.fore_color.rgb = _rgb(PACE_BAR)
        behind.invert_if_negative = False
    for i, series in enumerate(drawn):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(
            palette.colour(chart.series[i].name, i).lstrip("#").upper()
        )
        series.invert_if_negative = False
    if chart.states:  # a progress chart: each county's bar in its status colour (the key is over the chart)
        plot.vary_by_categories = False
        for point, colour in zip(drawn[0].points, chart.colours):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colour)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = FA_PCT if chart.percent else (FA_INT_NO_ZERO if chart.by == "month" else FA_INT)
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(9)
    if mark is not None:  # the mark is read from the key, not from 34 labels
        behind.data_labels.show_value = False
    crowded = chart.by == "county" and len(chart.categories) > 20 and len(chart.series) > 1
    if crowded:
        # 34 counties × several series: labels of the other series would collide; the first series (the figure
        # the counties are sorted by) keeps its labels, the others are read against it and in the notes.
        c.legend.font.size = Pt(11)
        for series in list(plot.series)[1:]:
            series.data_labels.show_value = False
            series.data_labels.number_format = labels.number_format
            series.data_labels.number_format_is_linked = False
    c.category_axis.reverse_order = True  # first county at the top / first month at the right
    c.category_axis.has_major_gridlines = False
    c.category_axis.tick_labels.font.size = c.font.size
    if chart.by == "county":
        _every_label(c.category_axis)
    value = c.value_axis
    value.has_major_gridlines = chart.by == "month"
    value.tick_labels.number_format = FA_PCT if chart.percent else FA_INT
    value.tick_labels.number_format_is_linked = False
    _whole_steps(value, chart)
    if chart.by == "county":
        value.reverse_order = True  # bars grow from the right, names stay on the right
        value.visible = False  # the data labels carry the figures
    value.minimum_scale = 0
    return frame


PACE_BAR = palette.NO_DATA  # pale grey: where a county on pace would be, behind its bar
# The key's square for them is drawn hollow, in the key's grey: the pale fill is 1.3:1 on white, too faint for a
# sign in a line of text (the mark is also said in the key's words, so the pale bars are not the only way to read it).


def _progress_mark(chart: Chart) -> tuple[float, str] | None:
    """Where a progress chart's county bars are read against, and its name: the share of the year elapsed (or, for
    a closed year, the target). A native bar chart cannot draw the web's and the PDF's line across the counties,
    so each county gets a pale bar to that mark behind its own."""
    return _pace_mark(chart.pace) if chart.states else None


def _pace_mark(pace: float | None) -> tuple[float, str]:
    """The last of the progress chart's lines: the pace for a year in progress, else the target."""
    return verdict.progress_lines(pace)[-1]


def _every_label(axis) -> None:
    """Name every category (``c:tickLblSkip`` 1): left to choose, LibreOffice dropped every other county of 34."""
    ax = axis._element
    skip = ax.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = etree.Element(qn("c:tickLblSkip"))
        # schema order: … lblAlgn, lblOffset, tickLblSkip, tickMarkSkip, noMultiLvlLbl, extLst
        after = [ax.find(qn(t)) for t in ("c:noMultiLvlLbl", "c:extLst")]
        anchor = next((a for a in after if a is not None), None)
        if anchor is not None:
            anchor.addprevious(skip)
        else:
            ax.append(skip)
    skip.set("val", "1")


def add_line_chart(slide, chart: Chart, x, y, w, h):
    """A native line chart of a cumulative chart: the running sum (markers, gaps after the last month of data),
    the target and the even pace (dashed); the first month at the right, the value axis beside it. Returns the
    graphic frame."""
    data = CategoryChartData(number_format=FA_INT)
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, w, h, data)
    c = frame.chart
    c.font.size = Pt(11)
    c.font.name = FONT
    c.has_title = False
    c.has_legend = True
    c.legend.position = XL_LEGEND_POSITION.TOP
    c.legend.include_in_layout = False
    widths = (Pt(3), Pt(2), Pt(1.5))
    for i, series in enumerate(c.plots[0].series):
        series.smooth = False
        line = series.format.line
        line.color.rgb = _rgb(palette.colour(chart.series[i].name, i))
        line.width = widths[min(i, 2)]
        if i == 0:
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 6
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = line.color.rgb
            series.marker.format.line.color.rgb = line.color.rgb
        else:
            series.marker.style = XL_MARKER_STYLE.NONE
        if i == 2:
            line.dash_style = MSO_LINE.DASH
    c.category_axis.reverse_order = True  # Farvardin at the right, the value axis crosses there
    c.category_axis.has_major_gridlines = False
    value = c.value_axis
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = LIGHT
    value.tick_labels.number_format = FA_INT
    value.tick_labels.number_format_is_linked = False
    _whole_steps(value, chart)
    value.minimum_scale = 0
    return frame


SMALL_COUNT = 5  # a count axis up to this: PowerPoint's own steps would be halves, read «۰ ۱ ۱ ۲ ۲» in whole numbers


def _whole_steps(value, chart: Chart) -> None:
    """A count axis with small values steps by one (as the web's and the PDF's do)."""
    if chart.percent:
        return
    top = max((v for s in chart.series for v in s.values if v is not None and not math.isnan(v)), default=0)
    if top <= SMALL_COUNT:
        value.major_unit = 1


def _cumulative_slide(prs, brief: Brief, chart: Chart, number: int, total: int) -> None:
    """One target metric's running sum against its target, its status and forecast as the subtitle."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    figure = next(f for f in brief.target_figures if f.metric.key == chart.key)
    lines = [(chart.title, 24, True, TEAL)]
    if chart.subtitle:
        lines.append((chart.subtitle, 14, False, _rgb(figure.status_colour)))
    _textbox(slide, MARGIN, Inches(0.3), SLIDE_W - 2 * MARGIN, Inches(1.1), lines)
    top, bottom = Inches(1.5), SLIDE_H - Inches(0.6)
    add_line_chart(slide, chart, MARGIN, top, SLIDE_W - 2 * MARGIN, bottom - top)
    _footer(slide, brief, number, total)
    _notes(slide, brief, [figure])


def _notes(slide, brief: Brief, figures: Sequence[Figure], sentence: str = "") -> None:
    """Speaker notes: the verdict sentence, the exact figures (unrounded), the compared previous figures, targets,
    status and changes, and the source snapshot."""
    prev = previous_header(brief.year, brief.comparison)
    span = span_header(brief.comparison)
    lines = [sentence] if sentence else []
    for f in figures:
        parts = [
            texts.NOTES_FIGURE.format(label=f.metric.label, value=f.exact),
        ]
        if span:
            parts.append(texts.NOTES_SPAN.format(span=span, value=f.exact_compared))
        parts.append(texts.NOTES_SPAN.format(span=prev, value=f.exact_previous))
        if f.target:
            parts.append(texts.NOTES_TARGET.format(value=f.metric.format(f.target)))
        if f.status:
            parts.append(f"{texts.COL_STATUS}: {f.status_label}")
        if f.forecast is not None:
            parts.append(f.forecast_text)
        if f.delta is not None:
            parts.append(texts.NOTES_CHANGE.format(year=prev, value=f.change_text))
        lines.append("؛ ".join(parts))
    lines.append(
        texts.NOTES_SOURCE.format(
            id=brief.snapshot_id, as_of=fa.date_long(brief.as_of), where=brief.where, year=fa.year(brief.year)
        )
    )
    if brief.is_demo:
        lines.append(texts.DEMO_BANNER)
    lines += brief.notes  # the notes and decisions about this view, for whoever presents it
    frame = slide.notes_slide.notes_text_frame
    frame.text = ""
    write(frame, [(line, 12, False, DARK) for line in lines])


def _rgb(colour: str) -> RGBColor:
    """'#c92a2a' -> RGBColor(0xC9, 0x2A, 0x2A)."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def _cover(prs, brief: Brief) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    band = slide.shapes.add_shape(1, 0, 0, SLIDE_W, Inches(0.35))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = TEAL
    band.line.fill.background()
    band.shadow.inherit = False
    lines = [
        (texts.APP_NAME, 20, True, TEAL),
        (texts.BRIEF_ORG, 14, False, GREY),
        ("", 10, False, DARK),
        (texts.BRIEF_TITLE, 40, True, DARK),
        (brief.where, 24, False, DARK),
        (texts.BRIEF_YEAR.format(year=fa.year(brief.year)), 24, True, TEAL),
        ("", 10, False, DARK),
        (texts.BRIEF_AS_OF.format(as_of=fa.date_long(brief.as_of)), 16, False, DARK),
        (
            texts.BRIEF_SNAPSHOT.format(id=fa.snapshot_label(fa.snapshot_created(brief.snapshot_id), brief.is_demo)),
            12,
            False,
            GREY,
        ),
    ]
    if brief.is_demo:
        lines += [("", 8, False, DARK), (texts.BRIEF_DEMO, 14, True, RGBColor(0xC9, 0x2A, 0x2A))]
    _textbox(slide, Inches(1.0), Inches(0.9), SLIDE_W - Inches(2.0), Inches(6.0), lines, anchor=MSO_ANCHOR.MIDDLE)
    _notes(slide, brief, brief.headline, brief.verdict)


def _headline(prs, brief: Brief, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, texts.BRIEF_HEADLINE, f"{brief.where} — {texts.BRIEF_YEAR.format(year=fa.year(brief.year))}")
    row_h = Inches(0.38)
    table_top, text_h = Inches(1.45), Inches(1.45)  # the verdict, forecasts and basis under the table
    height = _table(
        slide,
        MARGIN,
        table_top,
        SLIDE_W - 2 * MARGIN,
        table_header(brief.year, brief.comparison),
        [table_row(f) for f in brief.headline],
        colours=[table_colours(f) for f in brief.headline],
        widths=_figure_hints((3.8, 1.9, 1.3, 1.2, 2.0, 1.9, 1.5), brief),
        size=12,
        row_h=row_h,
        max_h=SLIDE_H - Inches(0.6) - table_top - text_h,
    )
    # Under the table (rows with money may wrap to two lines): the verdict, the forecasts, the comparison basis.
    lines = [(brief.verdict, 12, True, DARK)]
    lines += [
        (f"{f.metric.card_label}: {f.forecast_text}", 10, False, _rgb(f.status_colour)) for f in brief.forecast_figures
    ]
    if brief.comparison is not None:
        lines.append((f"{texts.COL_BASIS}: {brief.comparison.label}", 9, False, GREY))
    top = table_top + height + Inches(0.2)
    _textbox(slide, MARGIN, top, SLIDE_W - 2 * MARGIN, SLIDE_H - Inches(0.6) - top, lines)
    _footer(slide, brief, 2, total)
    _notes(slide, brief, brief.headline, brief.verdict)


def _topic_figures(prs, brief: Brief, topic: Topic, number: int, total: int) -> None:
    """The topic's figures as a table (right, where the reader starts) and its months as a chart (left)."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, topic.title, f"{brief.where} — {texts.BRIEF_YEAR.format(year=fa.year(brief.year))}")
    month = next((c for c in topic.charts if c.by == "month"), None)
    top, bottom = Inches(1.5), SLIDE_H - Inches(0.65)
    width = SLIDE_W - 2 * MARGIN
    header = table_header(brief.year, brief.comparison)
    # A year in progress's table has a column more (this year's compared months): it takes more of the slide.
    share = 0.66 if span_header(brief.comparison) else 0.56
    table_w = Emu(int(width * share)) if month else width  # OOXML coordinates are whole EMUs
    rows = [table_row(f) for f in topic.figures]
    _table(
        slide,
        MARGIN + width - table_w,
        top,
        table_w,
        header,
        rows,
        colours=[table_colours(f) for f in topic.figures],
        widths=_figure_hints((3.2, 1.6, 1.2, 1.0, 1.8, 1.6, 1.5), brief),
        size=12 if len(rows) <= 6 else 11,
        row_h=Inches(0.45) if len(rows) <= 6 else Inches(0.38),
        max_h=bottom - top,
    )
    if month:
        chart_w = width - table_w - Inches(0.3)
        title_h = text_height(month.title, 13, chart_w / 12700, margin_pt=3)  # a long title takes two lines
        _textbox(slide, MARGIN, top, chart_w, title_h, [(month.title, 13, True, TEAL)])
        add_chart(slide, month, MARGIN, top + title_h, chart_w, bottom - top - title_h)
    _footer(slide, brief, number, total)
    _notes(slide, brief, topic.figures, topic.verdict)


def _topic_counties(prs, brief: Brief, topic: Topic, chart: Chart, number: int, total: int) -> None:
    """The topic's county chart across the whole slide; a progress chart has its key above it (what each colour
    says, and the share of the year elapsed, which a county on pace has reached)."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, topic.title, chart.title)
    key_h = Inches(0.45) if chart.states else 0
    if chart.states:
        _progress_key(slide, chart, Inches(1.45), Inches(0.4))
    top, bottom = Inches(1.45) + key_h, SLIDE_H - Inches(0.6)
    add_chart(slide, chart, MARGIN, top, SLIDE_W - 2 * MARGIN, bottom - top)
    _footer(slide, brief, number, total)
    _notes(slide, brief, topic.figures, topic.verdict)


def _progress_key(slide, chart: Chart, y, h) -> None:
    """One right-to-left line: a square in each status colour before its word, then the pale bars' mark (the share
    of the year elapsed, or for a closed year the target)."""
    box = slide.shapes.add_textbox(MARGIN, y, SLIDE_W - 2 * MARGIN, h)
    box.text_frame.word_wrap = True
    p = box.text_frame.paragraphs[0]
    _rtl_paragraph(p, PP_ALIGN.RIGHT)
    for word, colour in reversed(chart.legend):  # the furthest behind first, as the bars under it
        _font(_run(p, "■ "), 14, False, _rgb(colour))
        _font(_run(p, word + "    "), 12, False, DARK)
    _font(_run(p, "□ "), 14, False, GREY)
    _font(_run(p, _pace_mark(chart.pace)[1]), 12, False, GREY)
    if chart.without_target_text:
        _font(_run(p, " — " + chart.without_target_text), 12, False, GREY)


def _run(paragraph, text: str):
    run = paragraph.add_run()
    run.text = text
    return run


def slide_plan(brief: Brief) -> list[tuple[str, Topic | None, Chart | None]]:
    """The slides in order: cover, headline, one cumulative-against-target slide per target metric, then per
    topic its figures and (with several counties) its county chart."""
    plan: list[tuple[str, Topic | None, Chart | None]] = [("cover", None, None), ("headline", None, None)]
    plan += [("cumulative", None, c) for c in brief.cumulative]
    for topic in brief.topics:
        plan.append(("figures", topic, None))
        plan += [("counties", topic, c) for c in topic.charts if c.by == "county"]
    return plan


def render(brief: Brief) -> bytes:
    """The deck as .pptx bytes, slides as in :func:`slide_plan`."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    plan = slide_plan(brief)
    total = len(plan)
    for number, (kind, topic, chart) in enumerate(plan, start=1):
        if kind == "cover":
            _cover(prs, brief)
        elif kind == "headline":
            _headline(prs, brief, total)
        elif kind == "cumulative" and chart is not None:
            _cumulative_slide(prs, brief, chart, number, total)
        elif kind == "figures" and topic is not None:
            _topic_figures(prs, brief, topic, number, total)
        elif topic is not None and chart is not None:
            _topic_counties(prs, brief, topic, chart, number, total)
    # The file's own properties (python-pptx's template said 2013 and no title): what a file list shows.
    props = prs.core_properties
    year = texts.BRIEF_YEAR.format(year=fa.year(brief.year))
    props.title = f"{texts.APP_NAME} — {texts.BRIEF_TITLE} — {brief.where}، {year}"
    props.author = props.last_modified_by = texts.APP_NAME
    props.subject = brief.footer
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
