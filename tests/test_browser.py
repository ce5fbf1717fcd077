"""Every page in headless Chromium: right to left, Persian digits, no error box, nothing fetched from the
internet. Screenshots are saved under test-artifacts/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from karnama.web import nav
from tests.browser import wait_for_app

PERSIAN_DIGIT = re.compile("[۰-۹]")
DASHBOARD = {"overview", "supported_employment", "incentives", "centres_and_loans", "monitoring"}


@pytest.mark.parametrize("spec", nav.PAGES, ids=[p.url_path for p in nav.PAGES])
def test_page_renders_rtl_without_errors(app_url, chromium, spec, artifacts):
    page = chromium.new_page(viewport={"width": 1440, "height": 2200})
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(app_url) and not r.url.startswith("data:") and not r.url.startswith("blob:")
            else None
        ),
    )
    page.goto(f"{app_url}/{spec.url_path}?year=1402")
    dashboard = spec.url_path in DASHBOARD
    wait_for_app(page, "[data-testid=stMetricValue]" if dashboard else "h1")
    page.screenshot(path=str(artifacts / f"page-{spec.url_path}.png"), full_page=True)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    main = page.locator("[data-testid=stMain]")
    assert main.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("[data-testid=stSidebar]").evaluate("e => getComputedStyle(e).direction") == "rtl"
    title = page.locator("h1").first
    assert title.evaluate("e => getComputedStyle(e).textAlign") in ("right", "end", "start")
    if dashboard:
        assert title.inner_text().strip() == spec.title
        values = page.locator("[data-testid=stMetricValue]").all_inner_texts()
        assert values and all(PERSIAN_DIGIT.search(v) and not re.search("[0-9]", v) for v in values)
    assert "Page not found" not in page.content()
    assert outside == [], f"fetched from outside: {outside}"
    if dashboard:
        assert not clipped_chart_text(page), clipped_chart_text(page)
    page.close()


# Every axis tick label, value label and legend entry of every chart, drawn as text, that reaches outside its chart's
# box (a label cut off by a margin too narrow for it), as "chart index: text".
CLIPPED_JS = """
() => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((chart, i) => {
    const box = chart.querySelector('.main-svg').getBoundingClientRect();
    chart.querySelectorAll('.xtick text, .ytick text, .textpoint text, .legendtext').forEach((t) => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(`${i}: ${t.textContent}`);
    });
  });
  return out;
}
"""


def clipped_chart_text(page) -> list[str]:
    """Labels of the page's charts drawn (partly) outside their chart, once every chart has been drawn."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every((c) => c.querySelector('.main-svg'))"
    )
    page.wait_for_timeout(300)
    return page.evaluate(CLIPPED_JS)


def test_url_reproduces_the_view_after_reload(app_url, chromium):
    page = chromium.new_page(viewport={"width": 1440, "height": 1400})
    page.goto(f"{app_url}/incentives?year=1400&county=MSH")
    wait_for_app(page)
    first = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    assert "مشهد" in page.locator("[data-testid=stMain]").inner_text()
    page.reload()
    wait_for_app(page)
    assert page.locator("[data-testid=stMetricValue]").all_inner_texts() == first
    assert "year=1400" in page.url and "county=MSH" in page.url
    page.close()


def test_clicking_a_county_bar_filters_to_it(app_url, chromium):
    page = chromium.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{app_url}/incentives?year=1402")
    wait_for_app(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 3 && "
        "document.querySelectorAll('.js-plotly-plot')[1].querySelectorAll('g.point path').length > 0",
        timeout=20000,
    )
    bars = page.locator(".js-plotly-plot").nth(1).locator("g.point path")
    boxes = [bars.nth(i).bounding_box() or {"height": 0, "width": 0} for i in range(bars.count())]
    areas = [b["height"] * b["width"] for b in boxes]  # bars are horizontal with many counties: compare areas
    tallest = bars.nth(max(range(len(areas)), key=areas.__getitem__))  # Mashhad, the largest county
    tallest.scroll_into_view_if_needed()
    box = tallest.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**county=MSH**", timeout=15000)
    wait_for_app(page)
    assert "مشهد" in page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first.inner_text()
    page.close()


def test_clicking_a_county_progress_bar_filters_to_it(app_url, chromium):
    """The progress chart (supported employment: counties against their own targets) filters like the others."""
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{app_url}/supported_employment?year=1403")
    wait_for_app(page)
    chart = page.locator(".st-key-se_county .js-plotly-plot")
    chart.locator("g.point path").first.wait_for(state="attached", timeout=20000)
    # The bar of a county with something achieved (an empty bar has no area to click): its code from the figure.
    code, index = chart.evaluate(
        "(c) => { const d = c.data[0]; const i = d.x.findIndex((v) => v > 0.2); return [d.customdata[i][0], i]; }"
    )
    bar = chart.locator("g.point path").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**county={code}**", timeout=15000)
    page.close()


def test_the_keyboard_skip_link_is_persian_and_at_the_right(app_url, chromium):
    """Streamlit's skip link, the first thing a keyboard user meets, reads Persian at the top right."""
    from karnama.core import texts

    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{app_url}/overview?year=1402")
    wait_for_app(page)
    page.keyboard.press("Tab")
    link = page.locator("[data-testid=stSkipToContent]")
    assert link.evaluate("(e) => e === document.activeElement")
    assert link.inner_text().strip() == texts.SKIP_TO_CONTENT
    box = link.bounding_box()
    assert box["x"] + box["width"] > 1366 - 40 and box["width"] > 60  # at the right, wide enough for its words
    page.close()


# Every label a screen reader reads out (aria-label, placeholder, title) that still has a Latin word in it, outside
# the charts (plotly's) and the county names' own text.
ENGLISH_LABELS_JS = """
() => {
  const out = [];
  for (const el of document.querySelectorAll('[aria-label],[placeholder],[title]')) {
    if (el.closest('.karnama-plot')) continue;
    for (const a of ['aria-label', 'placeholder', 'title']) {
      const v = el.getAttribute(a);
      if (v && /[A-Za-z]{2,}/.test(v.replace(/\\(SE\\)|PDF|ZIP|CSV|Excel/g, ''))) out.push(`${a}: ${v}`);
    }
  }
  return out;
}
"""


def test_streamlits_labels_are_read_out_in_persian(app_url, chromium):
    """The sidebar, the select boxes (open, chosen counties, clear), the cards' help buttons, a progress bar, the
    login form's password toggle: Streamlit labels them in English; a Persian screen reader gets Persian."""
    from karnama.core import texts

    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{app_url}/overview?year=1402&county=NEY")
    wait_for_app(page, "[data-testid=stMetricValue]")
    page.locator(".st-key-f_counties [data-testid=stMultiSelect]").first.click()
    page.locator("[role=listbox]").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate(ENGLISH_LABELS_JS) == []
    labels = page.evaluate(
        "() => [...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'))"
    )
    assert texts.A11Y_LABELS["Collapse sidebar"] in labels and "حذف نیشابور" in labels  # the chosen county's ×
    assert texts.A11Y_LABELS["Clear all"] in labels and any(v.startswith("راهنمای ") for v in labels)
    page.keyboard.press("Escape")
    page.goto(f"{app_url}/data")
    wait_for_app(page, "h1")
    page.get_by_role("button", name=texts.LOGIN_BUTTON).first.click()
    page.locator("input[type=password]").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate(ENGLISH_LABELS_JS) == []
    assert texts.A11Y_LABELS["Show password"] in page.evaluate(
        "() => [...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'))"
    )
    page.close()
