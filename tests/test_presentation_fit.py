"""Presentation-grade screens and files (issue 12): one palette, the bundled county map, Persian signs and
labels, and in headless Chromium at 1366×768 and 1920×1080: presentation screens that fit without scrolling,
nothing cut with an ellipsis, no Latin text a person reads, nothing fetched from elsewhere, one map shape per
county. Screenshots go to test-artifacts/fit/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from karnama import metrics
from karnama.core import fa, palette, paths, texts
from karnama.core.counties import COUNTIES
from karnama.data.query import Filters
from karnama.exports import file_name
from karnama.web import charts
from tests.browser import wait_for_app

BUNDLED = paths.STATIC_DIR / "geo" / "counties.geojson"
SOURCE = paths.ROOT.parent / "shared" / "geo" / "khorasan-razavi-counties.geojson"
LATIN_ALLOWED = {"PDF", "Excel", "CSV", "SE", "PowerPoint", "OpenStreetMap", "ODbL"}
SIZES = [(1366, 768), (1920, 1080)]
DASHBOARD = ["overview", "supported_employment", "incentives", "centres_and_loans", "monitoring"]

# Elements whose text is cut: wider content than box with an ellipsis.
_CUT_JS = """() => [...document.querySelectorAll('[data-testid=stMain] *')].filter(e => {
  if (!e.offsetParent || e.children.length) return false;
  const s = getComputedStyle(e);
  return s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1 && e.innerText.trim();
}).map(e => e.innerText.trim())"""


# The text a person reads in the main area: without material-icon ligature names (drawn as icons, hidden from
# screen readers), styles and scripts.
_READ_JS = """() => { const c = document.querySelector('[data-testid=stMain]').cloneNode(true);
  c.querySelectorAll('[data-testid=stIconMaterial], style, script, [aria-hidden=true]').forEach(e => e.remove());
  return c.textContent; }"""


# Value labels of a chart's bars that run into its legend (the legend's white box hides them).
_UNDER_LEGEND_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((plot) => {
  const legend = plot.querySelector('.legend');
  if (!legend) return [];
  const l = legend.getBoundingClientRect();
  return [...plot.querySelectorAll('.bartext')].filter((t) => {
    const r = t.getBoundingClientRect();
    return r.width && r.left < l.right && r.right > l.left && r.top < l.bottom && r.bottom > l.top;
  }).map((t) => t.textContent);
})"""


def _latin(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z0-9]+(?:[_.:-][A-Za-z0-9]+)*", text)
    return [w for w in words if w not in LATIN_ALLOWED]


def test_one_palette_for_every_renderer():
    fig = charts.bars(
        __import__("pandas").DataFrame({"c": ["a", "b"], "t": [1, 2], "s": [2, 1]}),
        "c",
        {"s": texts.SE_STABILISED, "t": texts.TARGET},
    )
    assert [t.marker.color for t in fig.data] == [palette.ACHIEVED, palette.TARGET]
    assert palette.colour(texts.SERIES_TARGET) == palette.colour(texts.TARGET) == palette.TARGET
    # Every series colour stands out from white (graphics, 3:1) and chart text reads on white (4.5:1).
    assert all(palette.contrast(c, "#ffffff") >= 3 for c in (*palette.CYCLE, palette.TARGET))
    assert palette.contrast(palette.INK, "#ffffff") >= 4.5 and palette.contrast(palette.MUTED, "#ffffff") >= 4.5


def test_many_counties_give_sorted_horizontal_bars_with_labels():
    import pandas as pd

    frame = pd.DataFrame({"name_fa": [c.name_fa for c in COUNTIES], "v": range(len(COUNTIES))})
    ordered = charts.sort_by(frame, "v")
    fig = charts.bars(ordered, "name_fa", {"v": texts.SERIES_EMPLOYED})
    bar = fig.data[0]
    assert bar.orientation == "h" and list(bar.y)[0] == ordered["name_fa"][0]
    assert list(bar.x) == sorted(bar.x, reverse=True) and bar.text[0] == fa.num(max(bar.x))
    assert fig.layout.height >= 20 * len(COUNTIES)  # a readable row per county


def test_bundled_boundaries_have_every_county_and_the_attribution():
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    codes = [f["properties"]["code"] for f in data["features"]]
    assert sorted(codes) == sorted(c.code for c in COUNTIES)
    assert "OpenStreetMap" in data["attribution"] and "ODbL" in data["attribution"]
    assert 20_000 < BUNDLED.stat().st_size < 400_000
    rings, unmatched = charts.load_boundaries(BUNDLED, {c.name_fa: c.code for c in COUNTIES})
    assert set(rings) == set(codes) and unmatched == []


@pytest.mark.skipif(not SOURCE.is_file(), reason="the OSM extract (../shared/geo) is not here")
def test_boundary_script_rebuilds_the_bundled_file():
    pytest.importorskip("shapely")
    import sys

    sys.path.insert(0, str(paths.ROOT / "scripts"))
    import build_boundaries

    built = build_boundaries.build(SOURCE)
    bundled = json.loads(BUNDLED.read_text(encoding="utf-8"))
    assert [f["properties"]["code"] for f in built["features"]] == [
        f["properties"]["code"] for f in bundled["features"]
    ]
    assert json.loads(json.dumps(built, ensure_ascii=False)) == bundled


def test_signs_money_and_snapshot_labels_read_in_persian():
    assert fa.num(-5) == "\u200e\u2212۵"  # the left-to-right mark keeps the minus at the left of the digits
    assert fa.signed_pct(0.12).startswith("\u200e+")
    assert fa.rials(3.077e12) == "۳٬۰۷۷ میلیارد ریال"
    label = fa.snapshot_label(fa.snapshot_created("20261130T141523986171Z-af1eb9"), is_demo=False)
    assert label == "دادهٔ ۹ آذر ۱۴۰۵، ۱۷:۴۵" and not re.search("[0-9A-Za-z]", label)


def test_a_county_accounts_files_name_its_counties():
    assert file_name("pdf", Filters(1401, ()), scope=frozenset({"NEY"})) == "karnama-1401-NEY.pdf"
    assert file_name("pdf", Filters(1401, ())) == "karnama-1401-province.pdf"


def _watch_requests(page, app_url: str) -> list[str]:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:")) else None,
    )
    return outside


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_presentation_screens_fit(app_url, chromium, artifacts, size, demo_snapshot):
    width, height = size
    out = artifacts / "fit"
    out.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": width, "height": height})
    outside = _watch_requests(page, app_url)
    page.goto(f"{app_url}/present?year=1401")
    wait_for_app(page)
    screens = 1 + len(metrics.TOPICS)
    for i in range(screens):
        page.get_by_text(texts.PRESENT_COUNTER.format(n=fa.num(i + 1), total=fa.num(screens)), exact=True).wait_for(
            timeout=30000
        )
        if i:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
        page.wait_for_timeout(400)
        page.screenshot(path=str(out / f"present-{width}-{i + 1}.png"))
        doc = page.evaluate("() => [document.scrollingElement.scrollHeight, document.scrollingElement.scrollWidth]")
        assert doc[0] <= height and doc[1] <= width, f"screen {i + 1} scrolls: {doc}"
        main = page.locator("[data-testid=stMain]").evaluate("e => [e.scrollHeight, e.clientHeight]")
        assert main[0] <= main[1] + 2, f"screen {i + 1} overflows its frame: {main}"
        for name in (texts.PRESENT_PREV, texts.PRESENT_NEXT):
            box = page.get_by_role("button", name=name).bounding_box()
            assert box and box["y"] + box["height"] <= height and box["x"] >= 0
        # A clean full screen: no sidebar or header, the footer (place, year, as-of date, demo notice) on screen,
        # large type that grows with the projector, one chart per topic screen.
        assert not page.locator("[data-testid=stSidebar]").is_visible()
        assert not page.locator("[data-testid=stHeader]").is_visible()
        footer = page.get_by_text(texts.BRIEF_DEMO, exact=False).last
        box = footer.bounding_box()
        assert box and box["y"] + box["height"] <= height
        assert fa.date_long(demo_snapshot.as_of) in footer.inner_text()
        value_px = page.locator("[data-testid=stMetricValue] p").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert value_px >= (40 if height >= 1080 else 28)
        # Every figure on one line: a long one (money) takes a smaller type rather than wrapping.
        lines = page.locator("[data-testid=stMetricValue] p").evaluate_all(
            "es => es.map(e => [e.innerText, e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)])"
        )
        assert lines and all(ratio < 1.7 for _text, ratio in lines), f"screen {i + 1}: {lines}"
        if i:
            assert page.locator(".js-plotly-plot").count() == 1
            # the chart's type grows with the screen too (its names: 16 px on a 768-px-high screen)
            tick_px = page.locator(".js-plotly-plot .xtick text").first.evaluate(
                "e => parseFloat(getComputedStyle(e).fontSize)"
            )
            assert tick_px >= (21 if height >= 1080 else 15), tick_px
        assert page.evaluate(_CUT_JS) == []
        assert page.evaluate(_UNDER_LEGEND_JS) == [], f"screen {i + 1}: value labels under the legend"
        text = page.evaluate(_READ_JS)
        assert _latin(text) == [], _latin(text)
        if i < screens - 1:
            page.get_by_role("button", name=texts.PRESENT_NEXT).click()
            page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
    assert outside == []
    page.close()


def test_dashboard_pages_at_1366(app_url, chromium, artifacts):
    out = artifacts / "fit"
    out.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    outside = _watch_requests(page, app_url)
    for name in DASHBOARD:
        page.goto(f"{app_url}/{name}?year=1401")
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / f"page-{name}-1366.png"))
        assert "Page not found" not in page.content()
        assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
        assert page.evaluate(_CUT_JS) == [], name
        text = page.evaluate(_READ_JS)
        assert _latin(text) == [], (name, _latin(text))
        if name == "overview":
            shapes = page.evaluate(
                "() => Math.max(...[...document.querySelectorAll('.js-plotly-plot')].map("
                "g => (g.data || []).filter(t => t.fill === 'toself').length))"
            )
            assert shapes == len(COUNTIES)
            assert "OpenStreetMap" in text
    assert outside == []
    page.close()


def test_one_county_map_shows_only_that_county(app_url, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{app_url}/overview?year=1401&county=NEY")
    wait_for_app(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(g => (g.data || []).some(t => t.fill === 'toself'))",
        timeout=30000,
    )
    shapes = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => (g.data || [])"
        ".filter(t => t.fill === 'toself').map(t => t.meta)).flat()"
    )
    assert shapes == ["NEY"]
    page.close()


def test_phone_has_one_column_and_no_sideways_scroll(app_url, chromium, artifacts):
    page = chromium.new_page(viewport={"width": 360, "height": 780})
    page.goto(f"{app_url}/overview?year=1401")
    wait_for_app(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "fit" / "phone-overview.png"))
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360
    lefts = page.locator("[data-testid=stMetric]").evaluate_all(
        "es => es.map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(set(lefts)) == 1  # the cards stack in one column
    side = page.locator("[data-testid=stSidebar]").bounding_box()
    assert side is None or side["x"] + side["width"] <= 1 or side["x"] >= 359  # the folded sidebar is off screen
    page.close()


def test_pdf_and_deck_render_to_pictures(demo_snapshot, artifacts, tmp_path):
    from karnama.exports import build_export

    out = artifacts / "fit"
    out.mkdir(exist_ok=True)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(build_export("pdf", demo_snapshot, Filters(1401, ())))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(pdf), str(out / "pdf")], check=True)
    assert sorted(p.name for p in out.glob("pdf-*.png"))[:3]
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        pytest.skip("LibreOffice is not installed (scripts/install-system-deps.sh installs it)")
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(build_export("pptx", demo_snapshot, Filters(1401, ())))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True,
        timeout=180,
        capture_output=True,
        env={**os.environ, "FONTCONFIG_FILE": str(_fonts_conf(tmp_path))},
    )
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / "deck.pdf"), str(out / "deck")], check=True)
    assert len(list(out.glob("deck-*.png"))) >= 3
    assert deck_layout_problems(deck, tmp_path / "deck.pdf") == []
    # The check sees what it is for: the same deck with the label column squeezed to an eighth fails it.
    from pptx import Presentation
    from pptx.util import Emu

    squeezed = Presentation(str(deck))
    columns = list(next(s for s in squeezed.slides[1].shapes if s.has_table).table.columns)
    columns[-1].width = Emu(columns[-1].width // 8)
    squeezed.save(str(tmp_path / "squeezed.pptx"))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "squeezed.pptx")],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert deck_layout_problems(tmp_path / "squeezed.pptx", tmp_path / "squeezed.pdf")


_LETTER = re.compile("[\u0600-\u06ff]")  # Arabic-script letters and Persian digits
_WORD_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_INVISIBLE = "\u200c\u200d\u200e\u200f\u061c "


def _letters(word: str) -> str:
    """A word's letters, sorted: pdftotext gives Persian words in visual order with ligatures (لا) unreversed and
    an odd glyph mapped to a Latin letter, so words are compared as multisets of their Persian letters."""
    return "".join(sorted(_LETTER.findall(word)))


def _pieces_of_one_word(x0, y0, x1, y1, w, a0, b0, a1, b1, v) -> bool:
    """Two pieces of one word that LibreOffice's charts split at its zero-width non-joiner («تثبیت» | «‌شده»):
    side by side on one line, their boxes overlapping by the glyphs' side bearings (about 3 pt whatever the size
    of the type), not one over the other. Drawn as one word, not text over text."""
    if "\u200c" not in w + v or abs(y0 - b0) > 0.5 or abs(y1 - b1) > 0.5:
        return False
    overlap = min(x1, a1) - max(x0, a0)
    return overlap < 0.4 * (y1 - y0) and overlap < 0.6 * min(x1 - x0, a1 - a0)


def _fonts_conf(tmp_path: Path) -> Path:
    """A fontconfig file: the machine's fonts and the bundled Vazirmatn, the font the deck names. Without it
    LibreOffice drew the Persian text in whichever fallback the machine had, and one CI machine's split words at
    their zero-width non-joiner into pieces drawn over each other («تثبیت» / «‌شده»): the check measured the
    machine's fonts, not the deck."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{paths.FONTS_DIR}</dir>\n  <cachedir>{tmp_path / 'fontcache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def deck_layout_problems(deck: Path, rendered: Path) -> list[tuple]:
    """Measured on LibreOffice's rendering of the deck (``rendered``, a PDF): text drawn over other text (a table
    grown into the paragraph below it), a word in a table that crosses a column edge, or a piece of a word split
    across lines («پیشرف» / «ت»)."""
    from pptx import Presentation

    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(rendered), "-"], capture_output=True, text=True, check=True
    ).stdout
    problems: list[tuple] = []
    for n, (page, slide) in enumerate(zip(html.split("<page ")[1:], Presentation(str(deck)).slides), 1):
        words = [
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in _WORD_BOX.findall(page)
            if w.strip(_INVISIBLE)
        ]
        for i, (x0, y0, x1, y1, w) in enumerate(words):
            for a0, b0, a1, b1, v in words[i + 1 :]:
                if min(x1, a1) - max(x0, a0) > 1.5 and min(y1, b1) - max(y0, b0) > 0.5 * min(y1 - y0, b1 - b0):
                    if _pieces_of_one_word(x0, y0, x1, y1, w, a0, b0, a1, b1, v):
                        continue
                    problems.append((n, "drawn over", w, v))
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            edges = [shape.left / 12700]
            for column in shape.table.columns:
                edges.append(edges[-1] + column.width / 12700)
            top = shape.top / 12700
            bottom = min((s.top / 12700 for s in slide.shapes if s.top > shape.top + 12700), default=1e9)
            vocab = {_letters(w) for row in shape.table.rows for cell in row.cells for w in cell.text.split()}
            for x0, y0, x1, y1, w in words:
                if y0 < top - 1 or y1 > bottom + 1 or x1 < edges[0] - 1 or x0 > edges[-1] + 1:
                    continue
                if not any(a - 1 <= x0 and x1 <= b + 1 for a, b in zip(edges, edges[1:])):
                    problems.append((n, "crosses a column edge", w))
                elif _LETTER.search(w) and _letters(w) not in vocab:
                    problems.append((n, "part of a word", w))
    return problems
