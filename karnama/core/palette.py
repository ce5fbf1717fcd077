"""The one colour palette of every chart: plotly (web/charts.py), matplotlib (exports/static_charts.py) and the
PowerPoint deck (exports/pptx_deck.py) all take a series' colour from here, so «هدف» is the same colour on the
dashboard, in presentation mode, in the PDF and in the deck.

Every series colour has at least 3:1 contrast with white (WCAG 1.4.11, graphics); value labels are drawn in INK
beside the bars (16:1), never on them."""

from __future__ import annotations

from karnama.core import texts

BRAND = "#0f6e7a"  # dark teal: titles, the main series
INK = "#212529"  # body text on white (16:1)
MUTED = "#495057"  # secondary text on white (8.6:1)
GRID = "#e9ecef"
NO_DATA = "#dee2e6"

# Series by meaning. A series not listed takes the next colour of CYCLE.
ACHIEVED = BRAND  # stabilised / achieved / the main count
TARGET = "#e8590c"  # orange: the target, everywhere
PLACED = "#6c5fa7"  # purple: placements (before stabilisation)
SECOND = "#2b8a3e"  # green: a second kind (creation, remote, family members)
THIRD = "#6b7178"  # grey: a third kind

CYCLE = (ACHIEVED, SECOND, PLACED, THIRD, "#c92a2a", "#1971c2")
PALETTE = CYCLE  # series colours in order, for callers that colour by position

SERIES: dict[str, str] = {
    texts.TARGET: TARGET,
    texts.SERIES_TARGET: TARGET,
    texts.SERIES_PACE: THIRD,
    texts.SE_STABILISED: ACHIEVED,
    texts.SERIES_ACHIEVED: ACHIEVED,
    texts.SE_CUMULATIVE: ACHIEVED,
    texts.SE_PLACED: PLACED,
    texts.INC_STAB: ACHIEVED,
    texts.SERIES_STABILISATION: ACHIEVED,
    texts.INC_CREATION: SECOND,
    texts.SERIES_CREATION: SECOND,
    texts.CEN_CLIENTS: ACHIEVED,
    texts.SERIES_EMPLOYED: ACHIEVED,
    texts.CEN_FAMILY: SECOND,
    texts.CEN_GRADUATES: PLACED,
    texts.LOAN_PROJECTS: ACHIEVED,
    texts.SERIES_PROJECTS: ACHIEVED,
    texts.LOAN_JOBS: SECOND,
    texts.MON_IN_PERSON: ACHIEVED,
    texts.SERIES_IN_PERSON_VISITS: ACHIEVED,
    texts.MON_REMOTE: SECOND,
    texts.SERIES_REMOTE_VISITS: SECOND,
    texts.SERIES_COVERAGE: ACHIEVED,
}

# The map's sequential scale (light to dark teal) and the text colour that stays legible on each end. Its light end
# is a visible teal: near-white (#e6f4f1 before), the lowest county faded into the white page and its borders, and
# read as the grey of a county without data (NO_DATA).
SCALE = ((0.0, "#b8dfd8"), (0.5, "#5fb3b3"), (1.0, "#0b4f59"))


def colour(name: str, index: int = 0) -> str:
    """The colour of the series called ``name`` (its Persian label); unknown names cycle by ``index``."""
    return SERIES.get(name) or CYCLE[index % len(CYCLE)]


def colours(names: list[str] | tuple[str, ...]) -> list[str]:
    """Colours for series shown together: by meaning, and never the same colour twice in one chart."""
    out: list[str] = []
    for i, name in enumerate(names):
        c = colour(name, i)
        if c in out:
            c = next((x for x in CYCLE if x not in out), c)
        out.append(c)
    return out


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` (or plotly's ``rgb(r, g, b)``) as an (r, g, b) tuple (fpdf2, python-pptx)."""
    if hex_colour.startswith("rgb"):
        r, g, b = (int(float(x)) for x in hex_colour[hex_colour.index("(") + 1 : -1].split(",")[:3])
        return r, g, b
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1)."""

    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(hex_colour)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """INK or white, whichever reads better on ``background``."""
    return INK if contrast(INK, background) >= contrast("#ffffff", background) else "#ffffff"
