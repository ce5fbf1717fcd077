"""The one status rule, the comparison span, the forecast, the verdict sentences, the KPI layer against a pandas
recomputation from the raw tables, and the data-semantics fixes (issue 11)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import math
import pathlib

import pandas as pd
import pyarrow as pa
import pytest

from karnama import metrics, status, verdict
from karnama.cli.main import main
from karnama.core import fa, texts
from karnama.data import catalog
from karnama.data.query import Filters, calendar_table, run
from karnama.importer import checks
from karnama.importer.report import Findings
from tests import fixtures

# ---- the rule ------------------------------------------------------------------------------------------------


def test_status_thresholds_compare_share_of_target_with_share_of_year():
    assert status.status(50, 100, 0.5) == "on_track"
    assert status.status(50 * status.AHEAD, 100, 0.5) == "ahead"
    assert status.status(50 * status.ON_TRACK, 100, 0.5) == "on_track"
    assert status.status(50 * status.ON_TRACK - 0.01, 100, 0.5) == "at_risk"
    assert status.status(50 * status.AT_RISK, 100, 0.5) == "at_risk"
    assert status.status(50 * status.AT_RISK - 0.01, 100, 0.5) == "behind"
    # a closed year is 100% elapsed: the Mashhad, 84% of its target, is behind
    assert status.status(57, 68, 1.0) == "behind"
    assert status.status(10, None, 0.5) == status.status(10, 0, 0.5) == "no_target"
    assert set(status.LABELS) == set(status.COLOURS) == set(status.STATES)
    assert status.LABELS["no_target"] == "بدون هدف شهرستانی"


def test_comparison_is_same_period_for_a_year_in_progress():
    as_of = fa.jalali_month_bounds(1403, 8)[0] + dt.timedelta(days=14)  # 15 Aban 1403
    c = status.comparison(1403, as_of)
    assert (c.basis, c.months) == ("same_period", 7)  # Aban is not complete: up to the end of Mehr
    assert c.start == fa.jalali_year_bounds(1402)[0] and c.end == fa.jalali_month_bounds(1402, 7)[1]
    assert c.label == "فروردین تا مهر ۱۴۰۳ نسبت به فروردین تا مهر ۱۴۰۲"
    assert (c.current_short, c.short) == ("فروردین تا مهر ۱۴۰۳", "فروردین تا مهر ۱۴۰۲")
    assert status.comparison(1403, fa.jalali_month_bounds(1403, 2)[0]).short == "فروردین ۱۴۰۲"  # one month
    closed = status.comparison(1402, as_of)
    assert closed.basis == "whole_year" and closed.months == 12 and closed.end == fa.jalali_year_bounds(1401)[1]
    last_day = fa.jalali_month_bounds(1403, 8)[1]
    assert status.comparison(1403, last_day).months == 8  # a complete month counts


def test_forecast_run_rate_range_and_need():
    closed = status.forecast(157, 170, 1.0, [10, 20])
    assert (closed.expected, closed.low, closed.high, closed.shortfall) == (157, 157, 157, 13)
    assert closed.per_month_needed is None
    f = status.forecast(60, 200, 0.5, [8, 12, 10, 9, 11, 10])
    assert f.expected == pytest.approx(120)
    assert f.low < f.expected < f.high
    assert f.shortfall == pytest.approx(80)
    assert f.per_month_needed == pytest.approx(140 / 6)
    assert status.forecast(5, None, 0.5, []) is None


def test_kpi_delta_colour_follows_direction():
    def kpi(key, change):
        return metrics.Kpi(metrics.BY_KEY[key], 1, 1, None, change)

    fall = kpi("centre_graduates", -0.12)  # higher is better
    assert fall.delta_text == fa.ltr("-" + fa.pct(0.12)) and fall.good is False
    assert (fall.delta_tone, fall.delta_arrow) == ("red", "down") and fall.change_colour == status.BAD_COLOUR
    cheaper = kpi("loans_amount_per_job", -0.2)  # lower is better: a fall is good news
    assert (cheaper.delta_tone, cheaper.delta_arrow) == ("green", "down")
    assert cheaper.change_colour == status.GOOD_COLOUR
    assert (kpi("loans_amount_per_job", 0.2).delta_tone, kpi("loans_amount_per_job", 0.2).delta_arrow) == ("red", "up")
    neutral = kpi("se_enrolled", -0.3)
    assert (neutral.delta_tone, neutral.delta_arrow) == ("gray", "down") and kpi("se_enrolled", 0.3).good is None
    flat = kpi("se_stabilised", 0.001)  # rounds to no change: no sign, no arrow, grey
    assert (flat.delta_tone, flat.delta_arrow, flat.delta_text) == ("gray", "off", fa.pct(0))
    assert {m.direction for m in metrics.METRICS} <= {"higher_is_better", "lower_is_better", "neutral"}


def test_name_list_names_five_and_counts_the_rest():
    names = [f"n{i}" for i in range(8)]
    assert verdict.name_list(names) == "n0، n1، n2، n3، n4 و ۳ شهرستان دیگر"
    assert verdict.name_list(names[:2]) == "n0، n1"


# ---- the KPI layer against an independent recomputation --------------------------------------------------------


def _jalali_columns(frame: pd.DataFrame, column: str, cal: pd.DataFrame) -> pd.DataFrame:
    days = frame[column].map(lambda d: None if d is None or pd.isna(d) else pd.Timestamp(d).date())
    out = frame.copy()
    out[f"{column}_jy"] = days.map(lambda d: None if d is None else cal.at[d, "jy"])
    out[f"{column}_jm"] = days.map(lambda d: None if d is None else cal.at[d, "jm"])
    return out


@functools.cache
def _tables(path: str) -> dict[str, pd.DataFrame]:
    """The snapshot's parquet files as frames, each date with its Jalali year and month (read once per test run)."""
    cal = calendar_table().to_pandas()
    cal["d"] = cal["d"].map(lambda d: d if isinstance(d, dt.date) else d.date())
    cal = cal.set_index("d")
    root = pathlib.Path(path)
    t = {p.stem: pd.read_parquet(p) for p in root.glob("*.parquet")}
    se = _jalali_columns(t["se_clients"], "enrolled_on", cal)
    t["se_clients"] = _jalali_columns(_jalali_columns(se, "placed_on", cal), "stabilised_on", cal)
    t["loans"] = _jalali_columns(t["loans"], "approved_on", cal)
    t["monitoring"] = _jalali_columns(t["monitoring"], "visited_on", cal)
    in_person = t["monitoring"][t["monitoring"]["mode"] == "in_person"]
    t["first_in_person"] = in_person.sort_values("visited_on").groupby("project_id").first()
    return t


def _reference(snapshot, year: int, counties: tuple[str, ...], through: int = 12) -> dict:
    """Every KPI recomputed with pandas from the snapshot's parquet files (no SQL)."""
    t = _tables(str(snapshot.path))

    def pick(frame, col="county_code"):
        return frame[frame[col].isin(counties)] if counties else frame

    se = pick(t["se_clients"])
    out: dict[str, float | int | None] = {}

    def in_span(jy, jm):
        return (jy == year) & (jm <= through)

    out["se_stabilised"] = int(in_span(se["stabilised_on_jy"], se["stabilised_on_jm"]).sum())
    out["se_placed"] = int(in_span(se["placed_on_jy"], se["placed_on_jm"]).sum())
    out["se_enrolled"] = int(in_span(se["enrolled_on_jy"], se["enrolled_on_jm"]).sum())
    inc = pick(t["incentives"])
    inc = inc[(inc["year"] == year) & (inc["month"] <= through)]
    for kind in ("employer_share", "self_employment", "efficiency_subsidy"):
        for purpose in ("stabilisation", "creation"):
            rows = inc[(inc["kind"] == kind) & (inc["purpose"] == purpose)]
            out[f"incentive_{kind}_{purpose}"] = int(rows["beneficiaries"].sum())
    out["incentive_stabilisation_total"] = int(inc.loc[inc["purpose"] == "stabilisation", "beneficiaries"].sum())
    out["incentive_creation_total"] = int(inc.loc[inc["purpose"] == "creation", "beneficiaries"].sum())
    out["incentive_amount_rials"] = int(inc["amount_rials"].sum())
    ce = pick(t["centre_employment"])
    ce = ce[(ce["year"] == year) & (ce["month"] <= through)]
    out["centre_employment"] = int((ce["clients_employed"] + ce["family_employed"]).sum())
    out["centre_clients_employed"] = int(ce["clients_employed"].sum())
    out["centre_family_employed"] = int(ce["family_employed"].sum())
    out["centre_graduates"] = int(ce["graduates"].sum())
    loans = pick(t["loans"])
    ly = loans[in_span(loans["approved_on_jy"], loans["approved_on_jm"])]
    out["loans_count"] = len(ly)
    out["loans_amount_rials"] = int(ly["amount_rials"].sum())
    out["loans_planned_jobs"] = int(ly["planned_jobs"].sum())
    out["loans_amount_per_job"] = ly["amount_rials"].sum() / ly["planned_jobs"].sum() if len(ly) else None
    scope = pick(t["counties"], "code")
    total = int((scope["established_jy"].isna() | (scope["established_jy"] < year)).sum())
    mon = pick(t["monitoring"])
    remote = mon[(mon["mode"] == "remote") & in_span(mon["visited_on_jy"], mon["visited_on_jm"])]
    out["counties_total"] = total
    out["remote_counties_monitored"] = remote["county_code"].nunique()
    out["remote_monitoring_county_coverage"] = out["remote_counties_monitored"] / total if total else None
    cohort = loans[loans["approved_on_jy"] == year - 1]
    first = t["first_in_person"]
    visited = cohort["project_id"].map(
        lambda p: (
            p in first.index
            and (
                first.at[p, "visited_on_jy"] < year
                or (first.at[p, "visited_on_jy"] == year and first.at[p, "visited_on_jm"] <= through)
            )
        )
    )
    visited = visited.astype(bool)
    out["projects_due"] = len(cohort)
    out["in_person_projects_visited"] = int(visited.sum())
    out["in_person_monitoring_project_coverage"] = visited.sum() / len(cohort) if len(cohort) else None
    tg = t["targets"]
    tg = tg[tg["year"] == year]
    for m in metrics.METRICS:
        if not m.target:
            continue
        rows = tg[tg["indicator"] == m.key]
        province_rows = rows[rows["county_code"].isna() | (rows["county_code"] == "")]
        county_rows = rows[~(rows["county_code"].isna() | (rows["county_code"] == ""))]
        if counties:
            chosen = county_rows[county_rows["county_code"].isin(counties)]
            out[m.target] = float(chosen["target"].sum()) if len(chosen) else None
        elif len(province_rows):
            out[m.target] = float(province_rows["target"].max())
        else:
            out[m.target] = float(county_rows["target"].sum()) if len(county_rows) else None
    return out


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.slow
def test_kpi_layer_equals_a_pandas_recomputation_for_every_year_and_county(demo_snapshot):
    names = catalog.county_names(demo_snapshot)
    for year in catalog.years(demo_snapshot):
        for counties in [(), *((c,) for c in sorted(names))]:
            values = metrics.compute(demo_snapshot, Filters(year, counties)).as_json_values()
            ref = _reference(demo_snapshot, year, counties)
            assert set(ref) == set(values)
            bad = {k: (values[k], ref[k]) for k in ref if not _same(values[k], ref[k])}
            assert not bad, (year, counties, bad)


def test_same_period_values_equal_a_pandas_recomputation(demo_snapshot):
    year = max(catalog.years(demo_snapshot))
    for counties in [(), ("MSH",), ("NEY",)]:
        values = metrics.compute(demo_snapshot, Filters(year, counties))
        c = values.comparison
        assert c.basis == "same_period"  # the demo's last year is in progress
        ref_prev = _reference(demo_snapshot, year - 1, counties, through=c.months)
        ref_now = _reference(demo_snapshot, year, counties, through=c.months)
        for m in metrics.METRICS:
            assert _same(values.compared_previous[m.key], ref_prev[m.key]), (counties, m.key)
            assert _same(values.compared_current[m.key], ref_now[m.key]), (counties, m.key)
        se = values.kpi(metrics.BY_KEY["se_stabilised"])
        assert se.previous == ref_prev["se_stabilised"]


# ---- the JSON contract ---------------------------------------------------------------------------------------


def _kpis_json(data_dir, *args) -> object:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["kpis", "--data-dir", str(data_dir), "--json", *args]) == 0
    return json.loads(buf.getvalue())


def test_kpis_json_adds_status_comparison_forecast_and_verdict(demo_dir, demo_snapshot):
    years = sorted(catalog.years(demo_snapshot))
    closed = _kpis_json(demo_dir, "--year", str(years[-2]))
    with_target = {m.key for m in metrics.METRICS if m.target}
    assert set(closed["status"]) == with_target and set(closed["status"].values()) <= set(status.STATES)
    assert closed["comparison"]["basis"] == "whole_year"
    first, last = fa.jalali_year_bounds(years[-2] - 1)
    assert (closed["comparison"]["from"], closed["comparison"]["to"]) == (first.isoformat(), last.isoformat())
    for key, f in closed["forecast"].items():  # a closed year: the forecast is the actual value
        assert f["expected"] == f["low"] == f["high"] == closed["values"][key]
        assert f["shortfall"] == max(f["target"] - f["expected"], 0)
    assert closed["verdict"].startswith(metrics.BY_KEY["se_stabilised"].card_label)
    current = _kpis_json(demo_dir, "--year", str(years[-1]))
    assert current["comparison"]["basis"] == "same_period"
    values = metrics.compute(demo_snapshot, Filters(years[-1]))
    assert current["comparison"]["previous"]["se_stabilised"] == values.compared_previous["se_stabilised"]
    se = current["forecast"]["se_stabilised"]
    assert se["low"] <= se["expected"] <= se["high"]
    assert texts.STATUS_NO_TARGET not in current["verdict"]


def test_by_county_prints_what_county_gives(demo_dir, demo_snapshot):
    year = max(catalog.years(demo_snapshot))
    rows = _kpis_json(demo_dir, "--year", str(year), "--by-county")
    assert [r["county"] for r in rows] == sorted(catalog.county_names(demo_snapshot))
    for row in rows[:: max(len(rows) // 6, 1)]:
        one = _kpis_json(demo_dir, "--year", str(year), "--county", row["county"])
        assert row == one


def test_a_county_without_its_own_target_never_inherits_a_verdict(demo_dir, demo_snapshot):
    year = max(catalog.years(demo_snapshot))
    rows = _kpis_json(demo_dir, "--year", str(year), "--by-county")
    by_county = run(demo_snapshot, "kpi_by_county", Filters(year).params())
    no_target = set(by_county.loc[by_county["centre_employment_target"].isna(), "county_code"])
    assert no_target  # the demo sets centre targets for the province only
    for r in rows:
        if r["county"] in no_target:
            assert r["status"]["centre_employment"] == "no_target"


# ---- data semantics -------------------------------------------------------------------------------------------


def test_years_include_supported_employment_and_monitoring_dates(fixture_snapshot):
    # The fixture's only 1400 rows are a supported-employment client's enrolment and placement.
    assert 1400 in catalog.years(fixture_snapshot)


def test_an_empty_string_county_target_is_the_province_row(store):
    tables = fixtures.tables()
    rows = tables["targets"].to_pylist() + [
        {"year": 1402, "county_code": "", "indicator": "se_stabilised", "target": 9.0}
    ]
    tables["targets"] = pa.Table.from_pylist(rows, schema=tables["targets"].schema)
    snap = store.publish(tables, source="test", as_of=fixtures.AS_OF)
    assert metrics.compute(snap, Filters(1402)).targets["se_target"] == 9
    assert metrics.compute(snap, Filters(1402, ("MSH",))).targets["se_target"] == 4
    by_county = run(snap, "kpi_by_county", Filters(1402).params()).set_index("county_code")
    assert by_county["se_target"].sum() == 6  # the province row is nobody's county target


def test_split_year_warning_reads_dated_tables():
    split = next(c for c in fixtures.COUNTIES if c.established_jy)
    first = split.established_jy + 1
    loans = pa.table(
        {
            "project_id": ["X1", "X2"],
            "county_code": [split.code, split.code],
            "approved_on": pa.array(
                [fa.jalali_year_bounds(split.established_jy)[0], fa.jalali_year_bounds(first)[0]], pa.date32()
            ),
        }
    )
    findings = Findings()
    checks.split_counties("loans", loans, {split.code: first}, {split.code: split.name_fa}, findings, "تسهیلات")
    assert len(findings.problems) == 1 and split.name_fa in findings.problems[0].message
    assert fa.num(1) in findings.problems[0].message


def test_a_shortfall_that_rounds_to_none_reads_as_the_target_met():
    from types import SimpleNamespace

    from karnama import metrics, verdict
    from karnama.core import texts
    from karnama.status import Forecast

    m = metrics.BY_KEY["se_stabilised"]

    def kpi(expected: float) -> SimpleNamespace:
        f = Forecast(value=10, expected=expected, low=10, high=22, target=16, closed=False, months_left=3.5)
        return SimpleNamespace(
            metric=m,
            target=16,
            status="on_track",
            text="۱۰ نفر",
            progress=0.62,
            status_label="مطابق برنامه",
            forecast=f,
        )

    assert texts.VERDICT_FORECAST_MET in verdict.kpi_sentence(kpi(15.6))
    short = verdict.kpi_sentence(kpi(14))
    assert texts.VERDICT_FORECAST_MET not in short and "۲ نفر کمتر از هدف" in short


def test_a_change_that_cannot_be_computed_gives_the_figures_not_a_dangling_dash():
    m = next(x for x in metrics.METRICS if x.target is None and x.unit == "ratio")  # as remote monitoring
    comparison = status.comparison(1402, dt.date(2024, 6, 1))
    before_zero = metrics.Kpi(m, 0.0, 0.0, None, None, comparison=comparison)
    sentence = verdict.kpi_sentence(before_zero)
    assert sentence == texts.VERDICT_VALUE_BEFORE.format(
        label=m.card_label, value=m.format(0.0), basis=comparison.short, previous=m.format(0.0)
    )
    assert "—" not in sentence and "،  " not in sentence and "، —" not in sentence
    for previous in (None, float("nan")):
        alone = verdict.kpi_sentence(metrics.Kpi(m, 0.5, previous, None, None, comparison=comparison))
        assert alone == texts.VERDICT_VALUE.format(label=m.card_label, value=m.format(0.5))
    rising = verdict.kpi_sentence(metrics.Kpi(m, 0.6, 0.5, None, 0.2, comparison=comparison))
    assert texts.CHANGE_UP.format(pct=fa.pct(0.2)) in rising and comparison.label in rising


def test_counties_without_targets_of_their_own_are_not_said_to_be_on_track():
    m = next(x for x in metrics.METRICS if x.target)
    values = metrics.KpiValues(
        Filters(1402), as_of=dt.date(2024, 6, 1), comparison=status.comparison(1402, dt.date(2024, 6, 1))
    )
    values.current[m.key], values.previous[m.key], values.targets[m.target] = 50, 40, 100
    frame = pd.DataFrame({"county_code": ["A", "B"], "name_fa": ["الف", "ب"], m.key: [30, 20], m.target: [None, None]})
    without = verdict.topic(m.topic, values, frame)
    assert without.endswith(texts.VERDICT_NO_COUNTY_TARGETS) and texts.VERDICT_NO_LAGGARDS not in without
    frame[m.target] = [10.0, 10.0]  # both ahead of their own targets
    assert verdict.topic(m.topic, values, frame).endswith(texts.VERDICT_NO_LAGGARDS)
    frame[m.target] = [10.0, 400.0]  # B far behind its own
    assert texts.VERDICT_LAGGARDS.format(names="ب") in verdict.topic(m.topic, values, frame)


def test_a_topic_sentence_speaks_of_a_figure_that_exists(demo_snapshot):
    """Remote monitoring began in the demo's 1402: for 1401 the monitoring topic's sentence is about in-person
    monitoring («۰٪؛ سال ۱۴۰۰: ۰٪» said nothing); from 1402 it is about remote monitoring again."""
    remote = metrics.BY_KEY["remote_monitoring_county_coverage"]
    in_person = metrics.BY_KEY["in_person_monitoring_project_coverage"]
    assert [m for m in metrics.by_topic("monitoring") if m.headline][:2] == [remote, in_person]
    before = metrics.compute(demo_snapshot, Filters(1401))
    assert not before.current[remote.key] and not before.previous[remote.key] and before.current[in_person.key]
    sentence = verdict.topic("monitoring", before)
    assert sentence == verdict.kpi_sentence(before.kpi(in_person)) and remote.card_label not in sentence
    began = metrics.compute(demo_snapshot, Filters(1402))
    assert began.current[remote.key] > 0
    assert verdict.topic("monitoring", began) == verdict.kpi_sentence(began.kpi(remote))
    # a programme that had run and then recorded nothing is still spoken of: its fall is the news
    fell = metrics.KpiValues(Filters(1403))
    fell.current[remote.key], fell.previous[remote.key] = 0.0, 0.8
    assert verdict.topic("monitoring", fell).startswith(remote.card_label)


def test_a_share_changes_by_percentage_points_on_every_surface():
    """79% -> 91% is «۱۲ واحد درصد افزایش», not «۱۵٪ افزایش» (read as points); 0% -> 79% is a change too."""
    from karnama.exports import content, xlsx

    m = next(x for x in metrics.METRICS if x.unit == "ratio" and x.direction == "higher_is_better")
    values = metrics.KpiValues(
        Filters(1402), as_of=dt.date(2025, 6, 1), comparison=status.comparison(1402, dt.date(2025, 6, 1))
    )
    values.current[m.key], values.previous[m.key] = 0.91, 0.79
    kpi = values.kpi(m)
    assert kpi.points == pytest.approx(0.12) and kpi.change == pytest.approx(0.12 / 0.79)
    points = texts.PERCENTAGE_POINTS.format(n=fa.num(12))
    assert kpi.change_text == texts.CHANGE_UP.format(pct=points)
    assert kpi.delta_text == texts.PERCENTAGE_POINTS.format(n=fa.ltr("+" + fa.num(12)))
    assert kpi.good is True and kpi.change_colour == status.GOOD_COLOUR
    assert kpi.change_text in verdict.kpi_sentence(kpi) and content.table_row(kpi)[-1] == kpi.change_text
    values.previous[m.key] = 0.0  # from nothing: no relative change, but a difference of shares
    kpi = values.kpi(m)
    assert kpi.change is None and kpi.points == pytest.approx(0.91)
    assert kpi.change_text == texts.CHANGE_UP.format(pct=texts.PERCENTAGE_POINTS.format(n=fa.num(91)))
    values.previous[m.key] = 0.9104  # rounds to no change
    assert values.kpi(m).flat and values.kpi(m).change_text == texts.CHANGE_NONE
    assert xlsx.POINTS.startswith(xlsx.PERSIAN + "0.0") and texts.PERCENTAGE_POINTS.format(n="").strip() in xlsx.POINTS
    counts = next(x for x in metrics.METRICS if x.unit != "ratio")
    values.current[counts.key], values.previous[counts.key] = 110, 100
    assert values.kpi(counts).points is None and values.kpi(counts).change_text == texts.CHANGE_UP.format(
        pct=fa.pct(0.1)
    )
