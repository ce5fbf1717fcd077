"""What a rerun no longer repeats: small snapshot tables are read once, the county list is built once per snapshot
and scope, and the heap the first runs leave alive is kept out of later full collections. Each shortcut must give
exactly what the slow way gave, and never one account's answer to another."""

from __future__ import annotations

import gc
import weakref

import pytest

from karnama.core.schema import TABLES
from karnama.data import catalog, query


def _kinds(snapshot) -> dict[str, str]:
    con = query.db_for(snapshot)._con
    rows = con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall()
    return {name: kind for name, kind in rows if name in TABLES}


def test_small_tables_are_held_in_memory_and_large_ones_stay_on_disk(store, fixture_snapshot, monkeypatch):
    sizes = {t: fixture_snapshot.rows(t) for t in TABLES}
    threshold = sorted(sizes.values())[len(sizes) // 2]
    monkeypatch.setattr(query, "IN_MEMORY_ROWS", threshold)
    kinds = _kinds(fixture_snapshot)
    assert set(kinds) == set(TABLES)
    for table, rows in sizes.items():
        assert kinds[table] == ("BASE TABLE" if rows <= threshold else "VIEW"), table
    # Either way a table reads the same rows as its parquet file.
    con = query.db_for(fixture_snapshot)._con
    for table in TABLES:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == sizes[table]


def test_county_list_is_built_once_per_snapshot_and_scope(store, fixture_snapshot, monkeypatch):
    everyone = catalog.counties(fixture_snapshot)
    calls = []
    real = catalog.run
    monkeypatch.setattr(catalog, "run", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    assert catalog.counties(fixture_snapshot) == everyone
    assert calls == []  # kept
    mine = frozenset({everyone[0].code})
    token = query._SESSION_SCOPE.set(mine)
    try:
        # A county account's list is its own, even right after the province's list was kept.
        assert [c.code for c in catalog.counties(fixture_snapshot)] == [everyone[0].code]
        assert catalog.county_names(fixture_snapshot) == {everyone[0].code: everyone[0].name_fa}
    finally:
        query._SESSION_SCOPE.reset(token)
    assert calls == ["counties"]
    assert catalog.counties(fixture_snapshot) == everyone
    got = catalog.counties(fixture_snapshot)
    got.clear()  # a caller changing its list changes nobody else's
    assert catalog.counties(fixture_snapshot) == everyone


@pytest.fixture
def fresh_runs(monkeypatch):
    monkeypatch.setattr(query, "_RUNS", 0)
    yield
    gc.unfreeze()  # give the test process's heap back to the collector


class _Node:
    pass


def test_early_page_runs_freeze_what_they_left_alive(fresh_runs):
    frozen, alive = [], []
    for run in range(1, 70):
        alive.append([run])  # something each run leaves alive (as a page's first imports and caches are)
        query.page_run_started()
        frozen.append(gc.get_freeze_count())
    grew = [run for run in range(2, 70) if frozen[run - 1] > frozen[run - 2]]
    assert grew == sorted(query.REFREEZE_AFTER_RUNS)
    # Garbage is collected before a freeze: a cycle dropped just before a freezing run is freed, not kept forever.
    query._RUNS = min(query.REFREEZE_AFTER_RUNS) - 1
    node = _Node()
    node.me = node
    gone = weakref.ref(node)
    del node
    query.page_run_started()
    assert gone() is None
    # After the last freeze, runs no longer freeze anything.
    query._RUNS = max(query.REFREEZE_AFTER_RUNS)
    before = gc.get_freeze_count()
    query.page_run_started()
    assert gc.get_freeze_count() == before


def test_plain_table_html_is_made_once_per_content(monkeypatch):
    import pandas as pd

    from karnama.web import plain

    calls = []
    real = plain._table_html
    monkeypatch.setattr(plain, "_table_html", lambda *a: calls.append(1) or real(*a))

    def build():
        rows = {"شهرستان": ["مشهد", "![x](http://h/x.png)", "نیشابور"], "وضعیت": ["عقب", "در مسیر", "عقب"]}
        return pd.DataFrame(rows).set_index("شهرستان")

    colours = {"وضعیت": {"عقب": "#c92a2a", "در مسیر": "#2b8a3e"}}
    first = plain.table_html(build(), {}, colours)
    assert plain.table_html(build(), {}, colours) is first and len(calls) == 1  # a rerun's equal frame: kept
    assert plain.table_html(build(), {}, {"وضعیت": {"عقب": "#000000"}}) != first  # other colours: another table
    assert plain.table_html(build().assign(**{"وضعیت": ["عقب", "عقب", "عقب"]}), {}, colours) != first
    assert len(calls) == 3


def _direct(snapshot, name: str, params: dict):
    """The query run for exactly these parameters, bypassing every cache and shortcut."""
    sql = query.sql_text(name)
    wanted = set(query._PARAM.findall(sql))
    cur = query.db_for(snapshot)._con.cursor()
    try:
        return cur.execute(sql, {k: v for k, v in params.items() if k in wanted}).df()
    finally:
        cur.close()


@pytest.mark.parametrize("name", sorted(query.COUNTY_ROW_QUERIES))
def test_county_rows_from_the_province_result_are_what_the_query_gives(name, demo_snapshot):
    import pandas as pd

    codes = [c.code for c in catalog.counties(demo_snapshot)]
    sets = [[c] for c in codes] + [codes[:2], codes[3:6], codes[1:], ["MSH", "\x00none"], ["\x00none"]]
    compared = 0
    for year in catalog.years(demo_snapshot):
        query.clear_results()
        for chosen in sets:
            params = {"year": year, "counties": chosen}
            got = query.run(demo_snapshot, name, params)
            pd.testing.assert_frame_equal(got, _direct(demo_snapshot, name, params), check_exact=True)
            compared += not got.empty
    assert compared > 100  # most choices had rows, so the shortcut was really taken


def test_county_rows_stay_inside_a_county_accounts_scope(demo_snapshot):
    query.clear_results()
    province = query.run(demo_snapshot, "kpi_by_county", {"year": 1401, "counties": []})
    assert len(province) > 3
    mine = ["MSH", "NEY"]
    got = query.run(demo_snapshot, "kpi_by_county", {"year": 1401, "counties": []}, scope=mine)
    assert sorted(got["county_code"]) == mine
    got = query.run(demo_snapshot, "kpi_by_county", {"year": 1401, "counties": ["TUS", "MSH"]}, scope=mine)
    assert list(got["county_code"]) == ["MSH"]
