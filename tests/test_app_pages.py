"""Every dashboard page through the real app: default view, one county, a county/year with no data, hostile URLs,
and key figures equal to `kpis --json`."""

from __future__ import annotations

import json

import pytest

from karnama import metrics
from karnama.web import nav
from tests.apptest_helpers import all_text, chart_alts, drawn_charts, metric_values, run_app
from tests.test_demo_cli import kpis

PAGES = [p.path.removeprefix("pages/").removesuffix(".py") for p in nav.PAGES]
DASHBOARD = ["overview", "supported_employment", "incentives", "centres_and_loans", "monitoring"]


@pytest.mark.parametrize("page", DASHBOARD)
def test_page_default_view(app_env, page):
    at = run_app(page)
    assert not at.exception, at.exception
    assert not at.error
    assert at.title and at.title[0].value
    # Every chart has a text alternative, and it never names an empty title («»).
    alts = chart_alts(at)
    assert alts and all(alts.values()) and not [a for a in alts.values() if "«»" in a], alts


@pytest.mark.parametrize("page", DASHBOARD)
def test_page_single_county_matches_cli(app_env, page):
    at = run_app(page, query={"year": "1402", "county": "SBZ"})
    assert not at.exception, at.exception
    expected = json.loads(kpis(app_env, "--year", "1402", "--county", "SBZ", "--json").stdout)["values"]
    shown = metric_values(at)
    assert shown, "no KPI cards"
    checked = 0
    for m in metrics.METRICS:
        if m.card_label in shown:
            assert shown[m.card_label] == m.format(expected[m.key]), (page, m.key)
            checked += 1
    assert checked >= 2
    assert "سبزوار" in all_text(at)


@pytest.mark.parametrize("page", DASHBOARD)
def test_page_county_year_without_data(app_env, page):
    # Kuhsorkh was split off in 1401: it has no data of its own in 1399.
    at = run_app(page, query={"year": "1399", "county": "KHS"})
    assert not at.exception, at.exception
    assert "داده‌ای ثبت نشده" in all_text(at)


@pytest.mark.parametrize("page", DASHBOARD)
@pytest.mark.parametrize(
    "query",
    [
        {"year": "99999999999999999999", "county": "MSH,<img src=x onerror=alert(1)>"},
        {"year": "1402.5", "county": ",,,", "snapshot": "../../../../etc/passwd"},
        {"year": "", "county": "MSH' OR 1=1 --"},
    ],
)
def test_page_hostile_url(app_env, page, query):
    at = run_app(page, query=query)
    assert not at.exception, at.exception
    assert at.title
    text = all_text(at)
    assert "onerror" not in text and "passwd" not in text


def test_filters_survive_a_page_change(app_env):
    at = run_app("overview", query={"year": "1402", "county": "NEY"})
    at.switch_page("pages/incentives.py").run()
    assert not at.exception
    assert at.session_state["f_year"] == 1402 and at.session_state["f_counties"] == ["NEY"]
    assert "نیشابور" in all_text(at)


def test_clicking_a_county_filters_to_it(monkeypatch):
    """The chart's trigger callback turns a clicked county (the point's customdata[0]) into the county filter."""
    from karnama.web import plot

    state = {"inc_county": {"county": "TRJ"}}
    monkeypatch.setattr(plot.st, "session_state", state)
    plot._filter_to_clicked("inc_county")
    assert state["f_counties"] == ["TRJ"]
    state = {"inc_county": {"county": None}, "f_counties": ["MSH"]}
    monkeypatch.setattr(plot.st, "session_state", state)
    plot._filter_to_clicked("inc_county")
    assert state["f_counties"] == ["MSH"]


def test_one_county_in_view_gets_its_row_not_a_chart_of_one_bar(app_env):
    """A county chart of a single county says nothing its table row does not: the row is shown, open."""
    from tests.apptest_helpers import tables

    province = run_app("supported_employment", query={"year": "1402"})
    assert any("se_county" in c for c, _fig in drawn_charts(province))
    one = run_app("supported_employment", query={"year": "1402", "county": "SBZ"})
    assert not one.exception
    assert not any("se_county" in c for c, _fig in drawn_charts(one))
    assert any(len(t) == 1 and "سبزوار" in t.to_string() for t in tables(one))


def _chart_places(at) -> dict[str, tuple[int, ...]]:
    """Each chart's place in the page (its index at every level): what Streamlit's page identifies it by."""
    places: dict[str, tuple[int, ...]] = {}

    def walk(node, path: tuple[int, ...]) -> None:
        for i, child in (getattr(node, "children", None) or {}).items():
            proto = getattr(child, "proto", None)
            if getattr(child, "type", "") == "bidi_component" and proto.component_name.endswith("karnama_plot"):
                places[proto.id.rsplit("-", 1)[-1]] = (*path, i)
            walk(child, (*path, i))

    walk(at.main, ())
    return places


@pytest.mark.parametrize("page", ["supported_employment", "incentives", "centres_and_loans", "monitoring"])
def test_choosing_a_county_keeps_every_chart_in_its_place(app_env, page):
    """Streamlit's page identifies an element by its place: a chart whose place moves is built anew in the browser
    (drawn from scratch) instead of redrawn. The freshness notes that a county brings and the county chart that
    one county replaces by its row keep one place, so every chart in both views stays where it was."""
    province = _chart_places(run_app(page, query={"year": "1401"}))
    county = _chart_places(run_app(page, query={"year": "1401", "county": "KHL"}))
    shared = province.keys() & county.keys()
    assert shared and {k: province[k] for k in shared} == {k: county[k] for k in shared}


def test_a_year_without_remote_monitoring_says_so_instead_of_listing_every_county(app_env):
    """The demo's remote monitoring starts in 1402: for 1401 the page says none was recorded, not «31 counties
    not yet monitored»; in 1403 the few counties left are named."""
    from karnama.core import fa, texts

    at = run_app("monitoring", query={"year": "1401"})
    assert not at.exception
    said = texts.MON_NO_REMOTE_YEAR.format(where=texts.PROVINCE, year=fa.year(1401))
    assert said in [i.value for i in at.info]
    at = run_app("monitoring", query={"year": "1403"})
    assert not [i.value for i in at.info if "پایش غیرحضوری ثبت نشده" in str(i.value)]


def test_a_centres_figures_for_one_county_say_they_are_that_countys_share(app_env):
    """A centre serves several counties: chosen one county, its row counts that county's clients only, and says so."""
    from karnama.core import texts

    at = run_app("supported_employment", query={"year": "1403", "county": "MSH"})
    assert not at.exception
    assert texts.SE_CENTRE_SCOPED.format(where="مشهد") in [c.value for c in at.caption]
    province = run_app("supported_employment", query={"year": "1403"})
    assert not [c.value for c in province.caption if "فقط با مددجویان" in str(c.value)]
