"""The meeting agenda as a PDF: A4 portrait, right to left, the same font, shaping and text-extraction fix as the
brief (exports/pdf.py). Its content is made by karnama/meeting/pack.py; this module only lays it out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fpdf import FPDF

from karnama.core import fa, texts
from karnama.exports import pdf as brief_pdf


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Agenda:
    title: str
    stamp: tuple[str, ...]  # place, year, snapshot (Jalali), scope: printed under the title and in every footer
    sections: tuple[Section, ...] = field(default_factory=tuple)
    is_demo: bool = False


class _AgendaPDF(FPDF):
    def __init__(self, agenda: Agenda) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.agenda = agenda
        self.set_margins(brief_pdf.MARGIN, brief_pdf.MARGIN, brief_pdf.MARGIN)
        self.set_auto_page_break(True, margin=brief_pdf.FOOTER_H + 4)
        self.add_font(brief_pdf.FONT, "", str(brief_pdf.FONTS_DIR / "Vazirmatn-Regular.ttf"))
        self.add_font(brief_pdf.FONT, "B", str(brief_pdf.FONTS_DIR / "Vazirmatn-Bold.ttf"))
        self.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
        self.set_title(agenda.title)
        self.set_author(texts.APP_NAME)
        self.set_lang("fa")
        self.set_creator("Karnama")

    def footer(self) -> None:
        self.set_y(brief_pdf.PAGE_H - brief_pdf.FOOTER_H + 2)
        self.set_font(brief_pdf.FONT, "", 7.5)
        self.set_text_color(*brief_pdf.GREY)
        # The view and the snapshot on every page (scope and account are on the first page, under the title).
        text = " — ".join(self.agenda.stamp[:2]) + (f" — {texts.BRIEF_DEMO}" if self.agenda.is_demo else "")
        self.cell(brief_pdf.CONTENT_W * 0.9, 5, text, align="R")
        self.set_x(brief_pdf.MARGIN)
        self.cell(brief_pdf.CONTENT_W * 0.1, 5, fa.num(self.page_no()), align="L")
        self.set_text_color(0, 0, 0)

    def paragraph(self, text: str, size: float, bold: bool = False, colour: Sequence[int] = (0, 0, 0)) -> None:
        self.set_font(brief_pdf.FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_x(brief_pdf.MARGIN)
        self.multi_cell(brief_pdf.CONTENT_W, size * 0.6, text, align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)


def render(agenda: Agenda) -> bytes:
    """The agenda as PDF bytes (real, searchable Persian text)."""
    pdf = _AgendaPDF(agenda)
    pdf.add_page()
    pdf.paragraph(agenda.title, 20, bold=True, colour=brief_pdf.TEAL)
    pdf.ln(2)
    for line in agenda.stamp:
        pdf.paragraph(line, 10, colour=brief_pdf.GREY)
    for number, section in enumerate(agenda.sections, start=1):
        pdf.ln(5)
        pdf.paragraph(f"{fa.num(number)}. {section.title}", 13, bold=True, colour=brief_pdf.TEAL)
        pdf.ln(1)
        for line in section.lines or (texts.AGENDA_NOTHING,):
            pdf.paragraph(f"• {line}", 10.5)
            pdf.ln(0.8)
    brief_pdf.ligatures_in_reading_order(pdf)
    return bytes(pdf.output())
