"""Per-rerun caching is correct: a cached figure or query result is only ever served for the very inputs it was
made from (snapshot, filters, account scope), and no caller can change what the next caller gets."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from karnama import status as status_rule
from karnama.core import fa
from karnama.core.counties import COUNTIES
from karnama.data import query
from karnama.data.query import Filters
from karnama.web import charts, county_map, figures
from tests import fixtures
from tests.apptest_helpers import drawn_charts, run_app
from tests.test_auth_app import DASHBOARD, leaked, login, secure_dir  # noqa: F401 - secure_dir is a fixture

YEAR = 1402  # the fixture data's Jalali year (fixtures.AS_OF)
NAMES = tuple((c.name_fa, c.code) for c in COUNTIES)


@pytest.fixture(autouse=True)
def _empty_caches():
    figures.clear_figures()
    query.clear_results()
    yield
    figures.clear_figures()


def _counting(build):
    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return build(*args, **kwargs)

    return counted, calls


def _frame(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"county_code": ["MSH", "NEY", "TRH"], "name_fa": ["مشهد", "نیشابور", "تربت حیدریه"], "v": values}
    )


def test_same_inputs_build_once_and_any_change_builds_again():
    build, calls = _counting(charts.bars)
    a = figures.prepared(build, _frame([3.0, 2.0, 1.0]), "name_fa", {"v": "تعداد"}, codes="county_code")
    again = figures.prepared(build, _frame([3.0, 2.0, 1.0]), "name_fa", {"v": "تعداد"}, codes="county_code")
    assert len(calls) == 1 and again.spec == a.spec
    changed = [
        figures.prepared(build, _frame([3.0, 2.0, 9.0]), "name_fa", {"v": "تعداد"}, codes="county_code"),  # a value
        figures.prepared(build, _frame([3.0, 2.0, 1.0]).iloc[:2], "name_fa", {"v": "تعداد"}, codes="county_code"),
        figures.prepared(build, _frame([3.0, 2.0, 1.0]), "name_fa", {"v": "نفر"}, codes="county_code"),  # a label
        figures.prepared(build, _frame([3.0, 2.0, 1.0]), "name_fa", {"v": "تعداد"}, codes="county_code", fmt=fa.pct),
        figures.prepared(build, _frame([3.0, 2.0, 1.0]), "name_fa", {"v": "تعداد"}, codes="county_code", what="x"),
    ]
    assert len(calls) == 6
    assert len({f.spec for f in [a, *changed[:4]]}) == 5
    assert changed[4].alt != a.alt and "x" in changed[4].alt


def test_int_and_float_inputs_are_different_keys():
    build, calls = _counting(charts.funnel)
    figures.prepared(build, ["a", "b"], [3, 2])
    figures.prepared(build, ["a", "b"], [3.0, 2.0])
    figures.prepared(build, ("a", "b"), [3, 2])
    assert len(calls) == 3


def test_a_county_scoped_result_never_gets_the_province_figure(fixture_snapshot):
    """Same filters, different account scope: the scoped query's frame differs, so does the cache entry."""
    params = Filters(year=YEAR).params()
    province = query.run(fixture_snapshot, "kpi_by_county", params)
    county = query.run(fixture_snapshot, "kpi_by_county", params, scope={"NEY"})
    assert set(county["county_code"]) <= {"NEY"} and set(province["county_code"]) - {"NEY"}
    series = {"loans_count": "وام"}
    a = figures.prepared(charts.bars, province, "name_fa", series, codes="county_code")
    b = figures.prepared(charts.bars, county, "name_fa", series, codes="county_code")
    assert a.spec != b.spec
    others = [n for n, c in NAMES if c != "NEY" and n in set(province["name_fa"])]
    assert others and not [n for n in others if n in b.spec]


def test_a_new_snapshot_with_other_data_draws_another_figure(store):
    """Two snapshots (different rows): the map and the bars of the second are not the first's."""
    tables = fixtures.tables()
    first = store.publish(tables, source="first", as_of=fixtures.AS_OF)
    loans = tables["loans"].to_pandas()
    loans = pd.concat([loans, loans], ignore_index=True)  # every loan twice: other counts
    import pyarrow as pa

    second = store.publish(
        {**tables, "loans": pa.Table.from_pandas(loans, schema=tables["loans"].schema, preserve_index=False)},
        source="second",
        as_of=fixtures.AS_OF,
    )
    assert first.id != second.id
    frames = [query.run(s, "kpi_by_county", Filters(year=YEAR).params()) for s in (first, second)]
    bars = [figures.prepared(charts.bars, f, "name_fa", {"loans_count": "وام"}, codes="county_code") for f in frames]
    maps = [
        figures.prepared(county_map._map_figure, f, "loans_count", "وام", fa.num, None, False, None, {}) for f in frames
    ]
    assert frames[0]["loans_count"].sum() > 0
    assert bars[0].spec != bars[1].spec and maps[0].spec != maps[1].spec


def test_a_prepared_figure_hands_out_fresh_dicts_that_plotly_accepts():
    fig = figures.prepared(charts.donut, ["الف", "ب"], [3, 2])
    d = fig.to_dict()
    d["data"][0]["values"][0] = 999
    d["layout"]["height"] = 1
    again = fig.to_dict()
    assert again["data"][0]["values"][0] == 3 and again["layout"]["height"] != 1
    go.Figure(again)  # what the browser draws is a figure plotly validates


def _builders():
    names = dict(NAMES)
    frame = pd.DataFrame(
        {
            "county_code": [c.code for c in COUNTIES],
            "name_fa": [c.name_fa for c in COUNTIES],
            "v": [float(i) if i != 3 else float("nan") for i in range(len(COUNTIES))],
            "w": [float(i % 5) for i in range(len(COUNTIES))],
            "lat": [c.lat for c in COUNTIES],
            "lon": [c.lon for c in COUNTIES],
        }
    )
    months = pd.DataFrame({"month": [1, 2, 3], "year": [1403] * 3, "a": [1.0, None, 3.0]})
    boundaries = county_map._boundaries(str(county_map.BUNDLED), county_map.BUNDLED.stat().st_mtime, NAMES)[0]
    status = {c.code: ("خوب", "#2b8a3e") for c in COUNTIES}
    ranked = pd.DataFrame(
        {
            "county_code": frame["county_code"],
            "name_fa": frame["name_fa"],
            "value": frame["w"],
            "target": [4.0] * len(frame),
            "progress": frame["w"] / 4.0,
            "status": [status_rule.STATES[i % 4] for i in range(len(frame))],
        }
    )
    assert names
    return {
        "bars": lambda: charts.bars(frame, "name_fa", {"v": "وی", "w": "دبلیو"}, codes="county_code"),
        "bars_stacked": lambda: charts.bars(frame.head(5), "name_fa", {"v": "وی", "w": "دبلیو"}, stacked=True),
        "months": lambda: charts.months_line(
            months, "month", {"a": "آ"}, year_col="year", target=5.0, target_label="هدف"
        ),
        "funnel": lambda: charts.funnel(["الف", "ب"], [3, 2]),
        "donut": lambda: charts.donut(["الف", "ب"], [3, 2]),
        "map": lambda: charts.county_map(frame, "v", "وی", fa.num, boundaries=boundaries, badges={"MSH": "<b>x"}),
        "map_status": lambda: charts.county_map(frame, "v", "وی", fa.pct, boundaries=boundaries, status=status),
        "dots": lambda: charts.county_map(frame, "v", "وی", fa.num),
        "progress": lambda: charts.county_progress(ranked, 0.6, "وی", fa.num),
        "progress_closed_year": lambda: charts.county_progress(ranked.head(3), 1.0, "وی", fa.num),
    }


@pytest.mark.parametrize("name", list(_builders()))
def test_figures_built_without_validation_are_valid_plotly(name):
    """The builders skip plotly's per-property validation; the figure they make must still pass it intact."""
    spec = json.loads(figures.prepared(_builders()[name]).spec)
    validated = go.Figure(spec).to_plotly_json()  # raises on any invalid property
    assert json.loads(json.dumps(validated, default=list)) == json.loads(json.dumps(spec))


def test_the_map_keeps_the_county_code_for_click_to_filter():
    spec = json.loads(figures.prepared(_builders()["map"]).spec)
    markers = [t for t in spec["data"] if t.get("mode") == "markers+text"]
    assert markers and [c[0] for c in markers[0]["customdata"]] == [c.code for c in COUNTIES]


def test_query_cache_frames_cannot_be_corrupted_by_a_caller(fixture_snapshot):
    params = Filters(year=YEAR).params()
    first = query.run(fixture_snapshot, "kpi_by_county", params)
    pristine = first.copy(deep=True)
    first["extra"] = 1  # callers add columns…
    first.loc[first.index[0], "loans_count"] = -5  # …set values…
    first["name_fa"] = "x"
    first.sort_values("county_code", ascending=False, inplace=True)  # …and reorder in place
    first.drop(index=first.index[:2], inplace=True)
    second = query.run(fixture_snapshot, "kpi_by_county", params)
    pd.testing.assert_frame_equal(second, pristine)
    second.iloc[0, second.columns.get_loc("loans_count")] = 12345
    second.to_numpy()  # reading never writes back
    pd.testing.assert_frame_equal(query.run(fixture_snapshot, "kpi_by_county", params), pristine)


def test_query_cache_is_keyed_on_the_scope_after_it_is_applied(fixture_snapshot):
    params = Filters(year=YEAR).params()
    province = query.run(fixture_snapshot, "kpi_by_county", params)
    scoped = query.run(fixture_snapshot, "kpi_by_county", params, scope={"NEY"})
    again = query.run(fixture_snapshot, "kpi_by_county", params)
    assert set(scoped["county_code"]) <= {"NEY"} and len(province) > len(scoped)
    pd.testing.assert_frame_equal(again, province)


def test_county_account_after_the_province_sees_no_other_county(secure_dir):  # noqa: F811
    """Province account first (its figures fill the cache), then a county account on the same pages and year
    in the same process: no figure, table or text names a county outside the account's scope."""
    charts_drawn = 0
    for page in DASHBOARD:
        at = login(run_app(page, query={"year": "1402"}), "prov")
        assert not at.exception, page
        charts_drawn += len(drawn_charts(at))
    assert charts_drawn >= len(DASHBOARD) and len(figures._FIGURES) > 0
    for page in DASHBOARD:
        at = login(run_app(page, query={"year": "1402"}), "ney")
        assert not at.exception, page
        assert not leaked(at), (page, leaked(at))


@pytest.mark.parametrize(
    ("counties", "scope"),
    [(("NEY",), None), (("MSH", "TRH"), None), (("NEY", "MSH"), frozenset({"NEY", "TRH"})), (("MSH",), {"NEY"})],
)
def test_freshness_of_chosen_counties_is_the_all_county_result_filtered(demo_dir, counties, scope):
    """The overview computes freshness once for every county of the scope and filters it per county choice;
    that must give what computing it for the chosen counties does."""
    from karnama.data.snapshots import SnapshotStore
    from karnama.meeting import freshness

    store = SnapshotStore(demo_dir)
    snap = store.resolve().snapshot
    every = freshness.freshness(store, snap, (), scope)
    chosen = freshness.freshness(store, snap, counties, scope)
    assert [r for r in every if r.county in counties] == chosen
    assert chosen or (scope is not None and not set(counties) & set(scope))


def test_year_has_data_from_the_per_scope_table_matches_the_years_query(demo_snapshot):
    """catalog.year_has_data answers from one cached query per scope; it must agree with years.sql run for the
    chosen counties, for every year, choice and scope (including a choice outside the scope)."""
    from karnama.data import catalog

    years = catalog.years(demo_snapshot)
    choices = [(), ("NEY",), ("MSH", "TRH"), ("BJN",)]
    scopes = [None, frozenset({"NEY", "TRH"}), frozenset()]
    checked = set()
    for scope in scopes:
        for counties in choices:
            listed = {int(y) for y in query.run(demo_snapshot, "years", {"counties": list(counties)}, scope)["year"]}
            for year in [*years, min(years) - 5]:
                got = catalog.year_has_data(demo_snapshot, year, counties, scope)
                assert got == (year in listed), (year, counties, scope)
                checked.add(got)
    assert checked == {True, False}


def test_cached_kpi_values_follow_scope_and_filters_and_are_copies(fixture_snapshot):
    from types import SimpleNamespace

    from karnama import metrics
    from karnama.web import cards

    cards.clear_kpi_values()
    views = [
        SimpleNamespace(snapshot=fixture_snapshot, filters=Filters(YEAR), scope=None),
        SimpleNamespace(snapshot=fixture_snapshot, filters=Filters(YEAR), scope=frozenset({"NEY"})),
        SimpleNamespace(snapshot=fixture_snapshot, filters=Filters(YEAR, ("MSH",)), scope=None),
        SimpleNamespace(snapshot=fixture_snapshot, filters=Filters(YEAR - 1), scope=None),
    ]
    for _ in range(2):  # second round from the cache
        got = [cards.kpi_values(v) for v in views]
        for v, values in zip(views, got):
            assert values == metrics.compute(v.snapshot, v.filters, v.scope)
    assert len({repr(g.current) for g in got}) == len(views)
    got[0].current["loans_count"] = -1
    got[0].targets.clear()
    again = cards.kpi_values(views[0])
    assert (
        again.current["loans_count"] != -1 and again.targets == metrics.compute(fixture_snapshot, Filters(YEAR)).targets
    )


def test_county_status_cache_follows_its_inputs_and_hands_out_copies(fixture_snapshot):
    from karnama import metrics, verdict

    se = metrics.BY_KEY["se_stabilised"]
    province = query.run(fixture_snapshot, "kpi_by_county", Filters(YEAR).params())
    scoped = query.run(fixture_snapshot, "kpi_by_county", Filters(YEAR).params(), scope={"NEY"})
    for frame, elapsed in [(province, 0.5), (province, 0.9), (scoped, 0.5), (province, 0.5)]:
        got = verdict.county_status(frame, se, elapsed)
        pd.testing.assert_frame_equal(got, verdict._county_status(frame, se, elapsed))
    assert set(verdict.county_status(scoped, se, 0.5)["county_code"]) <= {"NEY"}
    first = verdict.county_status(province, se, 0.5)
    pristine = first.copy(deep=True)
    first["status"] = "x"
    first.loc[0, "value"] = -1
    pd.testing.assert_frame_equal(verdict.county_status(province, se, 0.5), pristine)


def test_month_ticks_name_the_year_only_where_it_begins():
    """Fourteen months from Bahman: each tick is the month's name, with its year beside the first month and
    Farvardin, turned and on one line (a turned two-line name ran into its neighbours); the categories (and the
    hover) keep the full «بهمن ۱۴۰۲», so the two Bahmans stay apart. A few months lie flat, the year under."""
    months = pd.DataFrame({"month": [11, 12, *range(1, 13)], "year": [1402, 1402] + [1403] * 12, "a": [1.0] * 14})
    axis = charts.months_line(months, "month", {"a": "آ"}, year_col="year").layout.xaxis
    assert list(axis.tickvals) == [fa.month_label(m, y) for m, y in zip(months["month"], months["year"])]
    assert len(set(axis.tickvals)) == 14
    assert axis.ticktext[0] == fa.month_label(11, 1402) and axis.ticktext[1] == fa.MONTHS[11]
    assert axis.ticktext[2] == fa.month_label(1, 1403) and axis.tickangle == -45
    assert not [t for t in axis.ticktext if "<br>" in t]
    few = charts.months_line(months.tail(4), "month", {"a": "آ"}, year_col="year").layout.xaxis
    assert few.ticktext[0] == f"{fa.MONTHS[8]}<br>{fa.year(1403)}" and few.tickangle == 0
    plain = charts.months_line(months.assign(year=None).drop(columns="year"), "month", {"a": "آ"}).layout.xaxis
    assert "<br>" not in "".join(plain.ticktext)


def test_map_names_the_counties_whose_names_fit_and_keeps_every_county_clickable():
    """Names are written largest county first, each only where it does not run into another at the map's usual
    width; every county keeps its click target and hover text, named or not."""
    fig = _builders()["map"]()
    names_trace = next(t for t in fig.data if t.mode == "markers+text")
    shown = [(x, y, t) for x, y, t in zip(names_trace.x, names_trace.y, names_trace.text) if t]
    codes = [c[0] for c in names_trace.customdata]
    assert sorted(codes) == sorted(c.code for c in COUNTIES)  # all 34 stay clickable
    assert 10 <= len(shown) < len(COUNTIES)  # the crowded middle loses some names, most stay
    boundaries = county_map._boundaries(str(county_map.BUNDLED), county_map.BUNDLED.stat().st_mtime, NAMES)[0]
    largest = max(COUNTIES, key=lambda c: charts._area(boundaries.get(c.code) or []))
    assert largest.name_fa in {t for _, _, t in shown}
    xs = [x for t in fig.data if t.mode == "lines" for x in t.x if x is not None]
    per_px = (max(xs) - min(xs)) * 1.06 / charts.MAP_LABEL_WIDTH_PX
    size = names_trace.textfont.size
    for i, (x1, y1, t1) in enumerate(shown):
        for x2, y2, t2 in shown[i + 1 :]:
            apart_x = abs(x1 - x2) / per_px > (len(t1) + len(t2)) * size * charts._CHAR_PX / 2
            apart_y = abs(y1 - y2) / (per_px / 1.2) > size * 1.4
            assert apart_x or apart_y, (t1, t2)


def test_a_count_axis_has_whole_ticks_and_no_label_twice():
    """A county's 2 people drew value ticks 0, 0.5, 1, 1.5, 2, which read «۰ ۱ ۱ ۲ ۲»; counts get whole ticks,
    shares keep their fractions."""
    months = pd.DataFrame({"month": [1, 2, 3], "a": [0, 2, 1]})
    axis = charts.months_line(months, "month", {"a": "آ"}).layout.yaxis
    assert list(axis.tickvals) == [0, 1, 2] and len(set(axis.ticktext)) == len(axis.ticktext)
    shares = pd.DataFrame({"month": [1, 2, 3], "a": [0.1, 0.25, 0.2]})
    axis = charts.months_line(shares, "month", {"a": "آ"}, fmt=fa.pct).layout.yaxis
    assert len(axis.tickvals) > 3 and len(set(axis.ticktext)) == len(axis.ticktext)


def test_a_count_axis_never_steps_by_a_fraction():
    """A county's monthly chart up to a target of 12 stepped by 2.5: gridlines at 2.5, 7.5 and 12.5 read «۳», «۸»
    and «۱۲» (the last above the target line of 12). A count axis steps by a whole number and each tick reads its
    own value."""
    months = pd.DataFrame({"month": [1, 2, 3, 4], "a": [0, 3, 7, 11]})
    axis = charts.months_line(months, "month", {"a": "آ"}, target=12, target_label="هدف").layout.yaxis
    assert all(float(t).is_integer() for t in axis.tickvals) and max(axis.tickvals) >= 12
    assert list(axis.ticktext) == [fa.num(t) for t in axis.tickvals]
    for top in (3, 7, 12, 23, 120, 1_300):
        ticks = charts.nice_ticks(top, min_step=1.0)
        assert all(float(t).is_integer() for t in ticks) and ticks[-1] >= top, (top, ticks)
