"""The overview page, run as a user would through app.py, with filters from the URL and the sidebar."""

from __future__ import annotations

from karnama import metrics
from karnama.core import fa, texts
from karnama.data.query import Filters
from tests.apptest_helpers import metric_values, run_app


def test_overview_default_is_reference_year_with_article_figures(app_env, demo_snapshot):
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "نمای کلی"
    values = metric_values(at)
    assert values[metrics.BY_KEY["incentive_stabilisation_total"].card_label] == "۱٬۵۲۴ نفر"
    assert values[metrics.BY_KEY["incentive_creation_total"].card_label] == "۲۱۰ نفر"
    assert values[metrics.BY_KEY["centre_employment"].card_label] == "۲۰۲ نفر"
    assert at.query_params["year"] == ["1401"] or at.query_params["year"] == "1401"


def test_overview_for_a_county_and_year(app_env, demo_snapshot):
    at = run_app(query={"year": "1402", "county": "NEY"})
    assert not at.exception
    expected = metrics.compute(demo_snapshot, Filters(1402, ("NEY",)))
    values = metric_values(at)
    for key in ("se_stabilised", "incentive_stabilisation_total", "loans_count", "remote_monitoring_county_coverage"):
        m = metrics.BY_KEY[key]
        assert values[m.card_label] == m.format(expected.current[key]), key
    assert "نیشابور" in at.caption[0].value and fa.year(1402) in at.caption[0].value


def test_sidebar_change_updates_values_and_url(app_env, demo_snapshot):
    at = run_app()
    at.multiselect(key="f_counties").set_value(["MSH"]).run()
    at.selectbox(key="f_year").set_value(1402).run()
    assert not at.exception
    expected = metrics.compute(demo_snapshot, Filters(1402, ("MSH",)))
    m = metrics.BY_KEY["se_stabilised"]
    assert metric_values(at)[m.card_label] == m.format(expected.current["se_stabilised"])
    assert dict(at.query_params) in ({"year": "1402", "county": "MSH"}, {"year": ["1402"], "county": ["MSH"]})


def test_hostile_url_falls_back_with_notice(app_env):
    at = run_app(
        query={"year": "<script>alert(1)</script>", "county": "'; DROP TABLE loans;--", "snapshot": "../../etc"}
    )
    assert not at.exception
    assert len(at.warning) >= 3
    assert "<script>" not in "".join(w.value for w in at.warning)
    assert at.metric  # the default view still renders


def test_the_comparison_basis_is_said_once_above_the_cards(app_env, demo_snapshot):
    """Every card compares the same spans: one line above them says which, instead of the same two lines on each."""
    for page, year in (("overview", 1403), ("incentives", 1402), ("present", 1403)):
        at = run_app(page=page, query={"year": str(year)})
        assert not at.exception
        label = metrics.compute(demo_snapshot, Filters(year)).comparison.label
        saying = [c.value for c in at.caption if label in c.value]
        assert saying == [f"{texts.COL_BASIS}: {label}"], (page, saying)
        assert len(at.metric) >= 3 and any(m.proto.delta for m in at.metric), page
