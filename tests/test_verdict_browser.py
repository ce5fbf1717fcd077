"""In the browser: a fall of a higher-is-better figure is never green (the computed colour of the delta), a rise is,
and the change reads with its sign (issue 11), on the left of its digits whether words follow («+۱۲ واحد درصد») or
not («+۹٪»)."""

from __future__ import annotations

import re

import pytest

from karnama import metrics
from karnama.data import catalog
from karnama.data.query import Filters
from tests.browser import wait_for_app

pytestmark = pytest.mark.browser


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


# The sign's box and the box of the digit after it, as drawn (x of their left edges).
SIGN_AND_DIGIT_JS = """
(e) => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.search(/[+-]/);
    if (at < 0) continue;
    const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                         return r.getBoundingClientRect().left; };
    return [box(at), box(at + 1)];
  }
  return null;
}
"""
BIDI_CONTROLS = "\u2066\u2067\u2068\u2069\u200e\u200f"


def _cases(snapshot):
    """(year, metric, change) of headline cards: falls and rises of higher-is-better figures."""
    falls, rises = [], []
    for year in sorted(catalog.years(snapshot)):
        values = metrics.compute(snapshot, Filters(year))
        for m in metrics.headline():
            kpi = values.kpi(m)
            if m.direction != "higher_is_better" or kpi.flat:
                continue
            (falls if kpi.delta < 0 else rises).append((year, m, kpi))
    return falls, rises


def test_a_falling_higher_is_better_delta_is_never_green(app_url, chromium, artifacts, demo_snapshot):
    falls, rises = _cases(demo_snapshot)
    assert falls and rises  # the demo has both, so this test can fail
    assert any(k.points is not None for _, _, k in [*falls, *rises])  # and changes in percentage points
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    checked = 0
    for year in sorted({y for y, _, _ in falls}):
        page.goto(f"{app_url}/?year={year}")
        wait_for_app(page)
        for y, m, kpi in [*falls, *rises]:
            if y != year:
                continue
            card = page.locator("[data-testid=stMetric]").filter(has_text=m.card_label).first
            delta = card.locator("[data-testid=stMetricDelta]")
            colour = _rgb(delta.evaluate("e => getComputedStyle(e).color"))
            text = delta.inner_text().strip().strip(BIDI_CONTROLS)
            sign_x, digit_x = delta.evaluate(SIGN_AND_DIGIT_JS)
            assert sign_x < digit_x, (year, m.key, text)  # «+۱۲», never «۱۲+»
            r, g, _b = colour
            if kpi.delta < 0:
                assert r > g, (year, m.key, colour)  # red, not green
                assert text.startswith("-"), text
                assert card.locator("[data-testid=stMetricDeltaIcon-Down]").count() == 1
            else:
                assert g > r, (year, m.key, colour)
                assert text.startswith("+"), text
            checked += 1
        page.screenshot(path=str(artifacts / f"verdict-deltas-{year}.png"), full_page=True)
    assert checked >= len(falls)
