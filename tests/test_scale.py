"""The scale generator, the pre-aggregated rollups and the query-result cache (correctness only: speed is measured
by ``python -m bench.run``, never by a test)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pyarrow.compute as pc
import pytest

from bench import naive
from karnama import metrics
from karnama.core.paths import ROOT
from karnama.data import query, rollups, scale
from karnama.data.demo import publish_demo
from karnama.data.query import Db, Filters, run
from karnama.data.snapshots import SnapshotStore

ROWS = 60_000


@pytest.fixture(scope="module")
def scale_snapshot(tmp_path_factory):
    plan = scale.plan(ROWS)
    store = SnapshotStore(tmp_path_factory.mktemp("scale") / "data")
    return publish_demo(store, volume=plan.volume, years=plan.years, se_volume=plan.se_volume)


def test_plan_gives_about_the_rows_asked_for(scale_snapshot):
    total = sum(scale_snapshot.rows(t) for t in scale_snapshot.manifest["tables"])
    assert abs(total - ROWS) / ROWS < 0.10
    rows = {t: scale_snapshot.rows(t) for t in scale_snapshot.manifest["tables"]}
    # Loans and monitoring are the largest tables; SE clients grow too.
    assert sorted(rows, key=rows.get)[-2:] in (["monitoring", "loans"], ["loans", "monitoring"])
    assert rows["se_clients"] > 3_000
    with pytest.raises(ValueError):
        scale.plan(1_000)


def test_scale_data_is_coherent(scale_snapshot):
    snap = scale_snapshot
    store = SnapshotStore(snap.path.parent.parent)
    loans = store.read_table(snap, "loans")
    visits = store.read_table(snap, "monitoring")
    se = store.read_table(snap, "se_clients")
    # ten Jalali years 1394-1403, reference year 1401
    assert snap.manifest["demo_settings"]["years"] == list(range(1394, 1404))
    assert snap.manifest["demo_settings"]["reference_year"] == 1401
    assert set(run(snap, "years", {"counties": []})["year"]) == set(range(1394, 1404))
    # every visit is of a funded project of the same county, never before its approval
    by_id = dict(
        zip(loans["project_id"].to_pylist(), zip(loans["county_code"].to_pylist(), loans["approved_on"].to_pylist()))
    )
    for pid, county, day in zip(
        visits["project_id"].to_pylist()[:5000],
        visits["county_code"].to_pylist()[:5000],
        visits["visited_on"].to_pylist()[:5000],
    ):
        assert by_id[pid][0] == county and by_id[pid][1] <= day
    assert len(set(loans["project_id"].to_pylist())) == loans.num_rows
    # an SE client is enrolled, then placed, then stabilised
    placed, stab, enrolled = se["placed_on"], se["stabilised_on"], se["enrolled_on"]
    assert pc.all(pc.less_equal(enrolled, placed).fill_null(True)).as_py()
    assert pc.all(pc.less(placed, stab).fill_null(True)).as_py()
    # targets grow with the clients: stabilised against target stays realistic in the reference year
    v = metrics.compute(snap, Filters(1401))
    assert 0.7 < v.current["se_stabilised"] / v.targets["se_target"] < 1.1
    assert 0.6 < v.current["in_person_monitoring_project_coverage"] <= 1.0


def test_cli_rows_publishes_a_scale_snapshot_with_its_rollups(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "karnama", "demo", "--rows", "30000", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    snap = SnapshotStore(tmp_path).resolve().snapshot
    assert abs(sum(snap.rows(t) for t in snap.manifest["tables"]) - 30_000) < 3_000
    assert rollups.cache_path(snap, query.CALENDAR_YEARS).is_dir()  # written at publish time
    bad = subprocess.run(
        [sys.executable, "-m", "karnama", "demo", "--rows", "10", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "--rows" in bad.stderr


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9)


@pytest.mark.parametrize("counties", [(), ("MSH",), ("NEY", "ZBK"), ("KHS",), ("MJG", "GLB", "SBZ")])
def test_rollup_queries_equal_a_direct_computation_from_the_rows(scale_snapshot, counties):
    """The agg_* tables answer exactly what filtering and grouping the record-level rows answers."""
    snap = scale_snapshot
    rows = naive.load(snap.path)
    for year in (1395, 1401, 1402, 1403):
        v = metrics.compute(snap, Filters(year, counties))
        direct = naive.kpis(rows, year, list(counties))
        for key in v.current:
            assert _same(v.current[key], direct[year][key]), (year, counties, key)
            assert _same(v.previous[key], direct[year - 1][key]), (year - 1, counties, key)
        by_county = run(snap, "kpi_by_county", Filters(year, counties).params()).set_index("county_code")
        expected = naive.by_county(rows, year, list(counties)).set_index("county_code")
        for col in (
            "se_stabilised",
            "loans_count",
            "loans_amount_rials",
            "loans_planned_jobs",
            "remote_monitored",
            "projects_due",
            "in_person_projects_visited",
        ):
            assert by_county[col].astype(float).to_dict() == expected[col].astype(float).to_dict(), (year, col)
        ranking = run(snap, "se_progress_by_county", Filters(year, counties).params())
        assert (
            ranking["county_code"].tolist()
            == naive.overview(rows, year, list(counties))["ranking"]["county_code"].tolist()
        )


def test_rollups_are_cached_per_snapshot_and_rebuilt_when_damaged(scale_snapshot):
    snap = scale_snapshot
    query.prepare(snap)
    path = rollups.cache_path(snap, query.CALENDAR_YEARS)
    assert path.is_dir() and snap.id in path.name
    assert Db(snap).rollups_cached  # a second process reads them instead of scanning the rows
    expected = Db(snap).run("kpi_values", Filters(1401).params(through_month=12))
    (path / "agg_loans.parquet").write_bytes(b"not parquet")
    db = Db(snap)
    assert not db.rollups_cached
    assert db.run("kpi_values", Filters(1401).params(through_month=12)).equals(expected)


def test_rollup_key_follows_the_data(scale_snapshot, fixture_snapshot):
    assert rollups.cache_key(scale_snapshot, query.CALENDAR_YEARS) != rollups.cache_key(
        fixture_snapshot, query.CALENDAR_YEARS
    )
    manifest = json.loads(json.dumps(scale_snapshot.manifest))
    manifest["tables"]["loans"]["sha256"] = "0" * 64
    changed = type(scale_snapshot)(scale_snapshot.id, scale_snapshot.path, manifest)
    assert rollups.cache_key(changed, query.CALENDAR_YEARS) != rollups.cache_key(scale_snapshot, query.CALENDAR_YEARS)


def test_result_cache_hands_out_independent_frames_and_keeps_the_scope(fixture_snapshot):
    params = Filters(1402).params()
    first = run(fixture_snapshot, "kpi_by_county", params)
    first["loans_count"] = -1  # a page adding or changing a column must not touch the cached result
    first["extra"] = 1
    again = run(fixture_snapshot, "kpi_by_county", params)
    assert "extra" not in again and (again["loans_count"] >= 0).all()
    scoped = run(fixture_snapshot, "kpi_by_county", params, scope={"MSH"})
    assert scoped["county_code"].tolist() == ["MSH"]  # a cached province result is never served to a scope
    assert len(run(fixture_snapshot, "kpi_by_county", params)) == 34
    query.clear_results()
    assert run(fixture_snapshot, "kpi_by_county", params).equals(again)
