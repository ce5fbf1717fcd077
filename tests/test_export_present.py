"""Presentation mode and the dashboard's download buttons: AppTest for the figures and navigation, headless
Chromium at 1920×1080 for what a projector shows (screenshots under test-artifacts/present/)."""

from __future__ import annotations

from karnama import metrics
from karnama.core import fa, texts
from karnama.data.query import Filters
from karnama.exports import content
from tests.apptest_helpers import metric_values, run_app
from tests.browser import wait_for_app


def test_presentation_walks_through_the_topics(app_env, demo_snapshot):
    at = run_app(page="present", query={"year": "1402", "county": "NEY"})
    assert not at.exception
    brief = content.build(demo_snapshot, Filters(1402, ("NEY",)))
    assert at.title[0].value == texts.BRIEF_HEADLINE
    shown = metric_values(at)
    for f in brief.headline:
        assert shown[f.metric.label] == f.metric.format(
            metrics.compute(demo_snapshot, Filters(1402, ("NEY",))).current[f.metric.key]
        )
    footer = " ".join(c.value for c in at.caption)
    assert fa.date_long(demo_snapshot.as_of) in footer and texts.BRIEF_DEMO in footer
    # the county is named in the footer's county box beside the note, not again in the note
    assert at.multiselect(key="f_counties").value == ["NEY"] and "نیشابور" not in footer
    assert at.button(key="present_prev").disabled
    for topic in brief.topics:
        at.button(key="present_next").click().run()
        assert not at.exception
        assert at.title[0].value == topic.title
        for label, value in metric_values(at).items():
            figure = next(f for f in topic.figures if f.metric.label == label)
            assert value == figure.text
    assert at.button(key="present_next").disabled
    at.button(key="present_prev").click().run()
    assert at.title[0].value == brief.topics[-2].title


def test_presentation_changes_year_and_county_from_its_footer_and_keeps_the_screen(app_env, demo_snapshot):
    """The hidden sidebar holds no filter boxes in presentation mode: the footer does. Another county or year
    redraws the same topic screen for it, and the URL (shared with the dashboard) follows."""
    at = run_app(page="present", query={"year": "1401"})
    assert not at.sidebar.get("selectbox") or all(w.key != "f_year" for w in at.sidebar.selectbox)
    assert all(w.key != "f_counties" for w in at.sidebar.multiselect)
    at.button(key="present_next").click().run()
    topic = content.build(demo_snapshot, Filters(1401)).topics[0]
    assert at.title[0].value == topic.title
    at.multiselect(key="f_counties").select("NEY").run()
    assert not at.exception
    assert at.title[0].value == topic.title  # the same screen, now for the county
    county = content.build(demo_snapshot, Filters(1401, ("NEY",))).topics[0]
    assert metric_values(at) == {f.metric.label: f.text for f in county.figures}
    assert at.query_params["county"] == "NEY"
    at.selectbox(key="f_year").select(1402).run()
    year = content.build(demo_snapshot, Filters(1402, ("NEY",))).topics[0]
    assert metric_values(at) == {f.metric.label: f.text for f in year.figures}
    assert at.query_params["year"] == "1402"
    footer = " ".join(c.value for c in at.caption)
    assert at.multiselect(key="f_counties").value == ["NEY"] and fa.year(1402) in footer


def test_dashboard_offers_the_three_exports_and_the_meeting_pack(app_env):
    at = run_app(page="overview", query={"year": "1401"})
    assert not at.exception
    labels = [e.proto.label for e in at.sidebar.get("download_button")]
    assert labels == [texts.EXPORT_PDF, texts.EXPORT_PPTX, texts.EXPORT_XLSX, texts.PACK_BUTTON]


def test_download_buttons_give_the_files(app_url, chromium, artifacts):
    page = chromium.new_page(viewport={"width": 1440, "height": 1400}, accept_downloads=True)
    page.goto(f"{app_url}/overview?year=1402&county=NEY")
    wait_for_app(page)
    magic = {texts.EXPORT_PDF: b"%PDF", texts.EXPORT_PPTX: b"PK", texts.EXPORT_XLSX: b"PK"}
    for label, head in magic.items():
        with page.expect_download(timeout=60000) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        assert download.suggested_filename.startswith("karnama-1402-NEY.")
        path = artifacts / "present" / download.suggested_filename
        path.parent.mkdir(exist_ok=True)
        download.save_as(str(path))
        assert path.read_bytes().startswith(head)
    page.close()
