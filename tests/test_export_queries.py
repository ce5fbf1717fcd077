"""queries/kpi_by_month.sql (the monthly charts of exports and the presentation) on the hand-made fixture."""

from __future__ import annotations

from karnama import metrics
from karnama.data.query import Filters, run


def _months(snapshot, year=1402, counties=(), scope=None):
    frame = run(snapshot, "kpi_by_month", Filters(year, counties).params(), scope)
    return {int(r["month"]): r for r in frame.to_dict("records")}


def _nonzero(months, column):
    return {m: r[column] for m, r in months.items() if r[column]}


def test_kpi_by_month_by_hand(fixture_snapshot):
    months = _months(fixture_snapshot)
    assert sorted(months) == list(range(1, 13))
    assert _nonzero(months, "se_stabilised") == {2: 1, 6: 1}  # c1 on 1402/2/1, c2 on 1402/6/30
    assert _nonzero(months, "incentive_stabilisation_total") == {1: 5, 2: 3}
    assert _nonzero(months, "incentive_creation_total") == {1: 2}
    assert _nonzero(months, "centre_employment") == {1: 4, 2: 2}  # clients + family
    assert _nonzero(months, "loans_count") == {1: 1}  # P4 on 1402/1/20
    assert _nonzero(months, "loans_amount_rials") == {1: 700_000_000}
    assert _nonzero(months, "in_person_visits") == {3: 1, 4: 1}
    assert _nonzero(months, "remote_visits") == {2: 1, 3: 1, 5: 1}


def test_kpi_by_month_county_filter_and_scope(fixture_snapshot):
    ney = _months(fixture_snapshot, counties=("NEY",))
    assert _nonzero(ney, "incentive_stabilisation_total") == {}
    assert _nonzero(ney, "remote_visits") == {3: 1, 5: 1}
    # MSH asked for by a NEY-scoped user: nothing of MSH comes back
    scoped = _months(fixture_snapshot, counties=("MSH",), scope={"NEY"})
    assert all(not r["incentive_stabilisation_total"] and not r["se_stabilised"] for r in scoped.values())


def test_kpi_by_month_adds_up_to_the_year(fixture_snapshot, demo_snapshot):
    for snapshot, year, counties in (
        (fixture_snapshot, 1402, ()),
        (demo_snapshot, 1401, ()),
        (demo_snapshot, 1402, ("NEY", "MSH")),
    ):
        months = _months(snapshot, year, counties)
        v = metrics.compute(snapshot, Filters(year, counties)).current
        for key in (
            "se_stabilised",
            "incentive_stabilisation_total",
            "incentive_creation_total",
            "centre_employment",
            "loans_count",
            "loans_amount_rials",
        ):
            assert sum(r[key] for r in months.values()) == v[key], (year, counties, key)
