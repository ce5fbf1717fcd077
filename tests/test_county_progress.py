"""The per-county chart against targets: each county's progress to its own target, coloured by the one status
rule, furthest behind first, with the share of the year elapsed marked (karnama.web.charts.county_progress, drawn
by figures.county_breakdown on the pages whose metric has per-county targets)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pyarrow as pa
import pytest

from karnama import metrics, verdict
from karnama import status as status_rule
from karnama.core import fa, palette, texts
from karnama.data import query
from karnama.data.snapshots import SnapshotStore
from karnama.web import charts
from tests import fixtures
from tests.apptest_helpers import drawn_charts, run_app, tables
from tests.test_exports import squash

SE = metrics.BY_KEY["se_stabilised"]
WORDS = {s: status_rule.LABELS[s] for s in status_rule.STATES if s != "no_target"}


def _by_county(rows: list[tuple[str, str, float, float | None]]) -> pd.DataFrame:
    """Rows shaped as kpi_by_county's: (code, name, stabilised, own target)."""
    return pd.DataFrame(rows, columns=["county_code", "name_fa", "se_stabilised", "se_target"])


def _progress(by_county: pd.DataFrame, elapsed: float):
    ranked = verdict.county_status(by_county, SE, elapsed)
    ranked = ranked[ranked["target"] > 0].reset_index(drop=True)
    return charts.county_progress(ranked, elapsed, texts.SE_STABILISED, SE.format)


def test_bars_go_from_the_furthest_behind_coloured_by_status_with_the_pace_and_the_target_marked():
    # Half the year elapsed: 9 of 10 is ahead (pace 1.8), 5 of 10 on track (1.0), 4 of 10 at risk (0.8 < 0.85:
    # behind), 0 of 4 behind; a county without a target of its own is not a bar.
    by_county = _by_county(
        [
            ("A", "الف", 9, 10),
            ("B", "ب", 5, 10),
            ("C", "ج", 4.5, 10),
            ("D", "د", 0, 4),
            ("E", "هـ", 7, None),
        ]
    )
    fig = _progress(by_county, 0.5)
    bars = fig.data[0]
    assert bars.type == "bar" and bars.orientation == "h"
    assert list(bars.y) == ["د", "ج", "ب", "الف"]  # furthest behind first (at the top: the axis is reversed)
    assert fig.layout.yaxis.autorange == "reversed"
    assert list(bars.x) == [0.0, 0.45, 0.5, 0.9]
    c = status_rule.COLOURS
    assert list(bars.marker.color) == [c["behind"], c["at_risk"], c["on_track"], c["ahead"]]
    assert list(bars.text) == ["۰٪", "۴۵٪", "۵۰٪", "۹۰٪"]
    assert [d[0] for d in bars.customdata] == ["D", "C", "B", "A"]  # a click filters to the county
    assert fa.rtl(texts.PROGRESS_HOVER.format(label=texts.SE_STABILISED, value="۹ نفر", target="۱۰ نفر")) in [
        d[3] for d in bars.customdata
    ]
    assert [d[4] for d in bars.customdata] == [WORDS["behind"], WORDS["at_risk"], WORDS["on_track"], WORDS["ahead"]]
    # A zero bar has its label beside it, a long one inside its tip.
    assert bars.textposition[0] == "outside" and bars.textposition[-1] == "inside"
    # The legend names every status shown, in the rule's order; colour is never alone.
    legend = [(t.name, t.marker.color) for t in fig.data[1:]]
    assert legend == [(WORDS[s], c[s]) for s in ("ahead", "on_track", "at_risk", "behind")]
    # The target at 100% and the share of the year elapsed, both named above the bars.
    assert sorted(s.x0 for s in fig.layout.shapes) == [0.5, 1.0]
    notes = {a.x: a.text for a in fig.layout.annotations}
    assert notes[1.0] == fa.rtl(texts.PROGRESS_TARGET_LINE)
    assert notes[0.5] == fa.rtl(texts.PACE.format(elapsed=fa.pct(0.5)))
    # Each name on its own side of its line (the axis runs right to left): they never overlap, however close.
    assert {a.x: a.xanchor for a in fig.layout.annotations} == {1.0: "right", 0.5: "left"}


def test_a_closed_year_marks_only_the_target_and_the_legend_only_the_statuses_present():
    fig = _progress(_by_county([("A", "الف", 3, 4), ("B", "ب", 5, 4)]), 1.0)
    assert [s.x0 for s in fig.layout.shapes] == [1.0]
    assert [t.name for t in fig.data[1:]] == [WORDS["ahead"], WORDS["behind"]]
    assert fig.layout.xaxis.range[0] > 1.25  # the axis reaches past the longest bar (125%), labels included


@pytest.fixture
def fixture_app(tmp_path, monkeypatch):
    """The test fixture's snapshot (1402, half elapsed: MSH 2 of 4 stabilised, NEY 0 of 2), with SBZ's one
    stabilised job of 1402 and no target of its own; open viewing, as a demo directory has it."""
    tables = fixtures.tables()
    se = tables["se_clients"]
    extra = pa.table(
        {
            name: [value]
            for name, value in zip(
                se.column_names,
                ["c9", "SBZ", "SE-C", fixtures.j(1401, 1, 1), 5, fixtures.j(1401, 6, 1), fixtures.j(1402, 3, 1),
                 "physical", "male"],
            )
        }
    ).cast(se.schema)  # fmt: skip
    tables["se_clients"] = pa.concat_tables([se, extra])
    root = tmp_path / "data"
    SnapshotStore(root).publish(tables, source="test fixture", as_of=fixtures.AS_OF)
    (root / "settings.toml").write_text("open_viewing = true\n", encoding="utf-8")
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(root))
    return root


def _chart(at, key: str) -> dict:
    return next(fig for element, fig in drawn_charts(at) if key in element)


def test_the_se_page_shows_each_countys_progress_and_status_and_names_those_without_a_target(fixture_app):
    at = run_app("supported_employment", query={"year": "1402"})
    assert not at.exception
    fig = _chart(at, "se_county")
    bars = fig["data"][0]
    assert bars["y"] == ["نیشابور", "مشهد"]  # NEY 0 of 2 (behind) above MSH 2 of 4 (on pace at half the year)
    assert bars["x"] == [0.0, 0.5]
    assert bars["marker"]["color"] == [status_rule.COLOURS["behind"], status_rule.COLOURS["on_track"]]
    elapsed = status_rule.elapsed(1402, fixtures.AS_OF)  # MSH's pace 0.5 / 0.51: on track (>= 0.95)
    assert sorted(s["x0"] for s in fig["layout"]["shapes"]) == [elapsed, 1.0]
    captions = [c.value for c in at.caption]
    assert verdict.progress_note(elapsed) in captions
    assert texts.PROGRESS_WITHOUT_TARGET.format(names="سبزوار") in captions
    table = next(t for t in tables(at) if texts.RANK_STATUS in t.columns)
    status_of = table[texts.RANK_STATUS].to_dict()  # the county names are the table's index
    assert status_of == {
        "مشهد": WORDS["on_track"],
        "نیشابور": WORDS["behind"],
        "سبزوار": status_rule.LABELS["no_target"],
    }


def test_a_metric_without_county_targets_keeps_its_bars(fixture_app):
    """Centre employment has only a province target in the fixture: its county chart stays the bars it was."""
    at = run_app("centres_and_loans", query={"year": "1402"})
    assert not at.exception
    fig = _chart(at, "cen_county")
    assert [t["name"] for t in fig["data"]] == [texts.CEN_CLIENTS, texts.CEN_FAMILY]
    assert verdict.progress_note(status_rule.elapsed(1402, fixtures.AS_OF)) not in [c.value for c in at.caption]
    assert not any(texts.RANK_STATUS in t.columns for t in tables(at))


@pytest.mark.parametrize("year", [1401, 1403])
def test_the_se_chart_says_what_the_overviews_ranking_says(app_env, demo_snapshot, year):
    """One verdict on every surface: the SE page's bars are the overview's ranking, county for county."""
    at = run_app("supported_employment", query={"year": str(year)})
    assert not at.exception
    bars = _chart(at, "se_county")["data"][0]
    by_county = query.run(demo_snapshot, "kpi_by_county", query.Filters(year).params(), None)
    elapsed = status_rule.elapsed(year, demo_snapshot.as_of)
    ranked = verdict.ranking(by_county, SE, elapsed)
    ranked = ranked[ranked["target"] > 0]
    assert bars["y"] == ranked["name_fa"].tolist()
    assert bars["marker"]["color"] == [status_rule.colour(s) for s in ranked["status"]]
    assert [d[0] for d in bars["customdata"]] == ranked["county_code"].tolist()


# --- the brief: PDF, deck and presentation screens draw the same chart --------------------------------------


def _fixture_brief(root):
    from karnama.exports import content

    snapshot = SnapshotStore(root).resolve().snapshot
    return content.build(snapshot, query.Filters(1402))


def _county_chart(brief, topic: str):
    return next(c for t in brief.topics if t.key == topic for c in t.charts if c.by == "county")


def test_the_briefs_county_chart_is_the_same_progress_and_names_those_without_a_target(fixture_app):
    brief = _fixture_brief(fixture_app)
    chart = _county_chart(brief, "se")
    elapsed = status_rule.elapsed(1402, fixtures.AS_OF)
    assert chart.categories == ("نیشابور", "مشهد")
    assert chart.series[0].values == (0.0, 0.5)
    assert chart.states == ("behind", "on_track") and chart.percent
    assert chart.colours == (status_rule.COLOURS["behind"], status_rule.COLOURS["on_track"])
    assert chart.legend == (
        (WORDS["on_track"], status_rule.COLOURS["on_track"]),
        (WORDS["behind"], status_rule.COLOURS["behind"]),
    )
    assert chart.pace == elapsed
    assert chart.without_target == ("سبزوار",)
    # A metric with a province target only keeps its bars of counts, largest first.
    centres = _county_chart(brief, "centres")
    assert not centres.states and centres.pace is None and [s.name for s in centres.series] == [texts.SERIES_EMPLOYED]


def test_the_pdf_and_the_deck_draw_it_with_its_key(fixture_app, tmp_path):
    import subprocess

    from pptx import Presentation

    from karnama.exports import pdf, pptx_deck

    brief = _fixture_brief(fixture_app)
    chart = _county_chart(brief, "se")
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf.render(brief))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    squashed = squash(text)
    for expected in (
        chart.title,
        chart.without_target_text,
        WORDS["behind"],
        WORDS["on_track"],
        texts.PROGRESS_TARGET_LINE,
    ):
        # poppler mirrors the parentheses of «(SE)» in a right-to-left line: the words on either side are compared.
        for piece in re.split(r"\(.*?\)", expected):
            assert squash(piece) in squashed, expected

    deck = Presentation(__import__("io").BytesIO(pptx_deck.render(brief)))
    slide = next(
        s for s in deck.slides if any(sh.has_text_frame and chart.title in sh.text_frame.text for sh in s.shapes)
    )
    key = next(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and "■" in sh.text_frame.text)
    # The furthest behind first (a right-to-left line: the first run is the rightmost), then the pace, then the
    # counties with no bar.
    assert key.index(WORDS["behind"]) < key.index(WORDS["on_track"])
    assert texts.PACE.format(elapsed=fa.pct(chart.pace)) in key and chart.without_target_text in key
    bars = next(sh.chart for sh in slide.shapes if sh.has_chart)
    # Behind each county's bar, drawn first and unlabelled, a pale one to the pace (a native chart has no line
    # across the counties); the key names it.
    behind, own = bars.plots[0].series
    assert behind.name == texts.PACE.format(elapsed=fa.pct(chart.pace)) and not behind.data_labels.show_value
    assert list(behind.values) == pytest.approx([100 * chart.pace] * len(chart.categories))
    assert own.name == texts.SERIES_PROGRESS and not bars.has_legend
    points = own.points
    assert ["#" + str(points[i].format.fill.fore_color.rgb).lower() for i in range(2)] == list(chart.colours)
    assert list(bars.plots[0].categories) == list(chart.categories)


def test_the_presentation_screen_colours_the_counties_it_shows(fixture_app):
    from karnama.exports.content import Chart, Series
    from karnama.web import present

    names = tuple(f"شهرستان {fa.num(i)}" for i in range(20))
    states = tuple(["behind"] * 8 + ["at_risk"] * 3 + ["on_track"] * 3 + ["ahead"] * 6)
    chart = Chart("پیشرفت", "county", names, (Series("پیشرفت", tuple(i / 10 for i in range(20))),), percent=True,
                  states=states, pace=0.4)  # fmt: skip
    fig = present._plotly(chart)
    shown = present.COUNTIES_SHOWN
    c = status_rule.COLOURS
    # The six furthest behind, the gap, the six furthest ahead: only behind and ahead are on the screen.
    assert list(fig.data[0].marker.color) == [c["behind"]] * shown + [palette.NO_DATA] + [c["ahead"]] * shown
    assert [t.name for t in fig.data[1:]] == [WORDS["ahead"], WORDS["behind"]]
    assert sorted(s.y0 for s in fig.layout.shapes) == [0.4, 1.0]
    # A long bar's figure inside its tip (the lines run behind the bars and never through a figure), in the
    # colour that reads on its status colour; a short bar's (0% to 20% of an axis to 247% here) above it, in ink.
    positions = list(fig.data[0].textposition)
    assert positions[:3] == ["outside"] * 3 and set(positions[3:shown] + positions[-shown:]) == {"inside"}
    assert fig.data[0].insidetextfont.color[-1] == palette.text_on(c["ahead"])
    assert fig.data[0].outsidetextfont.color == palette.INK
    names = {a.text: a.yanchor for a in fig.layout.annotations}
    assert names[fa.rtl(texts.PROGRESS_TARGET_LINE)] == names[fa.rtl(texts.PACE.format(elapsed="۴۰٪"))] == "bottom"
    # Late in the year the two lines are too close for a name between them: the pace's goes under its line.
    late = present._plotly(dataclasses.replace(chart, pace=0.97))
    assert {a.text: a.yanchor for a in late.layout.annotations}[fa.rtl(texts.PACE.format(elapsed="۹۷٪"))] == "top"
    # The whole screen, at once: its chart's title says which counties and the pace.
    at = run_app("present", query={"year": "1402"})
    at.button(key="present_next").click().run()
    assert not at.exception
    title = chart_title = _county_chart(_fixture_brief(fixture_app), "se").title
    assert any(
        title in m.value and texts.PACE.format(elapsed=fa.pct(status_rule.elapsed(1402, fixtures.AS_OF))) in m.value
        for m in at.markdown
    ), chart_title
