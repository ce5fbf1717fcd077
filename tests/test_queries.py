"""Every SQL file runs against the hand-made fixture snapshot and gives the values worked out by hand."""

from __future__ import annotations

import pytest

from karnama import metrics
from karnama.data.query import Filters, QueryError, query_names, run, scoped_counties, sql_text


def test_every_query_runs_and_documents_itself(fixture_snapshot):
    names = query_names()
    assert len(names) >= 8
    for name in names:
        text = sql_text(name)
        assert text.startswith("-- Purpose:"), name
        assert "Parameters:" in text and "Grain:" in text, name
        frame = run(fixture_snapshot, name, Filters(1402).params(through_month=12))  # kpi_values takes a span
        assert frame is not None


def test_sql_never_names_files():
    for name in query_names():
        text = sql_text(name).lower()
        assert "read_parquet" not in text and ".parquet" not in text, name


def test_unknown_query_is_refused(fixture_snapshot):
    with pytest.raises(QueryError):
        run(fixture_snapshot, "../etc/passwd", {})


def test_province_kpis_by_hand(fixture_snapshot):
    v = metrics.compute(fixture_snapshot, Filters(1402))
    c, p = v.current, v.previous
    assert c["incentive_employer_share_stabilisation"] == 8
    assert c["incentive_self_employment_creation"] == 2
    assert c["incentive_efficiency_subsidy_stabilisation"] == 0
    assert (c["incentive_stabilisation_total"], c["incentive_creation_total"]) == (8, 2)
    assert c["incentive_amount_rials"] == 9_000_000
    assert p["incentive_efficiency_subsidy_stabilisation"] == 4 and p["incentive_employer_share_stabilisation"] == 4
    assert (
        c["centre_employment"],
        c["centre_clients_employed"],
        c["centre_family_employed"],
        c["centre_graduates"],
    ) == (6, 5, 1, 3)
    assert p["centre_employment"] == 2
    assert (c["se_stabilised"], c["se_placed"], c["se_enrolled"]) == (2, 1, 1)
    assert (p["se_stabilised"], p["se_placed"], p["se_enrolled"]) == (1, 2, 3)
    assert (c["loans_count"], c["loans_amount_rials"], c["loans_planned_jobs"]) == (1, 700_000_000, 2)
    assert p["loans_amount_per_job"] == pytest.approx(3_500_000_000 / 6)
    assert (c["remote_counties_monitored"], c["counties_total"]) == (2, 34)
    assert c["remote_monitoring_county_coverage"] == pytest.approx(2 / 34)
    assert (c["projects_due"], c["in_person_projects_visited"]) == (3, 2)
    assert c["in_person_monitoring_project_coverage"] == pytest.approx(2 / 3)
    assert p["counties_total"] == 31  # three counties split off in 1401 count from 1402
    assert p["in_person_monitoring_project_coverage"] is None
    assert v.targets["se_target"] == 6  # no province row: the sum of county rows
    assert v.targets["centre_employment_target"] == 10
    assert v.change("centre_employment") == pytest.approx(2.0)


def test_county_filter_by_hand(fixture_snapshot):
    v = metrics.compute(fixture_snapshot, Filters(1402, ("NEY",)))
    c = v.current
    assert c["incentive_employer_share_stabilisation"] == 0
    assert c["incentive_self_employment_creation"] == 2
    assert c["centre_employment"] == 2
    assert c["se_stabilised"] == 0
    assert c["remote_monitoring_county_coverage"] == 1.0
    assert c["in_person_monitoring_project_coverage"] == 1.0
    assert v.targets["se_target"] == 2
    assert v.targets["centre_employment_target"] is None  # a province-only target does not apply to a county


def test_scope_narrows_every_request(fixture_snapshot):
    assert scoped_counties([], None) == []
    assert scoped_counties(["MSH"], {"NEY"}) != ["MSH"]
    v = metrics.compute(fixture_snapshot, Filters(1402, ("MSH",)), scope={"NEY"})
    assert v.current["incentive_employer_share_stabilisation"] == 0  # MSH asked, only NEY allowed: nothing
    v = metrics.compute(fixture_snapshot, Filters(1402), scope={"NEY"})
    assert v.current["centre_employment"] == 2  # "whole province" for a NEY user is NEY


def test_progress_by_county_lists_laggards_first(fixture_snapshot):
    frame = run(fixture_snapshot, "se_progress_by_county", Filters(1402).params())
    assert list(frame["county_code"]) == ["NEY", "MSH"]
    assert list(frame["progress"]) == [0.0, 0.5]


def test_kpi_by_county_adds_up_to_province(fixture_snapshot):
    frame = run(fixture_snapshot, "kpi_by_county", Filters(1402).params())
    assert len(frame) == 34
    v = metrics.compute(fixture_snapshot, Filters(1402)).current
    for key in (
        "se_stabilised",
        "incentive_stabilisation_total",
        "incentive_creation_total",
        "centre_employment",
        "loans_count",
        "loans_amount_rials",
        "loans_planned_jobs",
        "projects_due",
        "in_person_projects_visited",
    ):
        assert frame[key].sum() == v[key], key
    assert frame["remote_monitored"].sum() == v["remote_counties_monitored"]
    msh = frame.set_index("county_code").loc["MSH"]
    assert (msh.se_stabilised, msh.se_target, msh.se_progress) == (2, 4, 0.5)


def _rows(snapshot, name, year=1402, counties=()):
    return run(snapshot, name, Filters(year, counties).params()).to_dict("records")


def test_se_breakdowns_by_hand(fixture_snapshot):
    funnel = {r["stage"]: r["clients"] for r in _rows(fixture_snapshot, "se_funnel")}
    assert funnel == {1: 4, 2: 4, 3: 3, 4: 3, 5: 2, 6: 2}
    by_county = _rows(fixture_snapshot, "se_by_county")
    assert [(r["county_code"], r["placed"], r["stabilised"], r["target"]) for r in by_county] == [
        ("MSH", 0, 2, 4),
        ("NEY", 1, 0, 2),
    ]
    by_centre = _rows(fixture_snapshot, "se_by_centre")
    assert [(r["centre"], r["enrolled"], r["placed"], r["stabilised"]) for r in by_centre] == [
        ("SE-A", 0, 0, 2),
        ("SE-B", 1, 1, 0),
    ]
    months = _rows(fixture_snapshot, "se_by_month")
    assert len(months) == 12
    assert [m["stabilised"] for m in months if m["stabilised"]] == [1, 1]
    assert months[4]["stabilised_cumulative"] == 1 and months[11]["stabilised_cumulative"] == 2
    assert months[2]["placed"] == 1


def test_incentive_breakdowns_by_hand(fixture_snapshot):
    kinds = {(r["kind"], r["purpose"]): r for r in _rows(fixture_snapshot, "incentives_by_kind")}
    assert len(kinds) == 6
    es = kinds[("employer_share", "stabilisation")]
    assert (es["beneficiaries"], es["beneficiaries_previous"], es["amount_rials"]) == (8, 4, 8_000_000)
    assert kinds[("efficiency_subsidy", "stabilisation")]["beneficiaries_previous"] == 4
    assert kinds[("self_employment", "creation")]["beneficiaries"] == 2
    counties = {r["county_code"]: r for r in _rows(fixture_snapshot, "incentives_by_county")}
    assert (counties["MSH"]["stabilisation"], counties["MSH"]["creation"], counties["MSH"]["total_previous"]) == (
        8,
        0,
        4,
    )
    assert (counties["NEY"]["total"], counties["NEY"]["total_previous"]) == (2, 4)
    years = {
        (r["year"], r["purpose"]): r["beneficiaries"]
        for r in run(fixture_snapshot, "incentives_by_year", {"counties": []}).to_dict("records")
    }
    assert years == {(1401, "stabilisation"): 8, (1402, "creation"): 2, (1402, "stabilisation"): 8}


def test_centre_and_loan_breakdowns_by_hand(fixture_snapshot):
    centres = {r["county_code"]: r for r in _rows(fixture_snapshot, "centres_by_county")}
    assert [centres["MSH"][k] for k in ("clients", "family", "total", "graduates", "centres")] == [3, 1, 4, 2, 1]
    assert centres["NEY"]["total"] == 2
    loans = _rows(fixture_snapshot, "loans_by_county")
    assert [
        (r["county_code"], r["projects"], r["amount_rials"], r["planned_jobs"], r["amount_per_job"]) for r in loans
    ] == [("NEY", 1, 700_000_000, 2, 350_000_000)]
    loans_1401 = {r["county_code"]: r for r in _rows(fixture_snapshot, "loans_by_county", 1401)}
    assert (loans_1401["MSH"]["projects"], loans_1401["MSH"]["planned_jobs"]) == (2, 5)
    kinds = {r["kind"]: r["projects"] for r in _rows(fixture_snapshot, "loans_by_kind", 1401)}
    assert kinds == {"creation": 1, "development": 1, "stabilisation": 1}


def test_monitoring_breakdowns_by_hand(fixture_snapshot):
    months = _rows(fixture_snapshot, "monitoring_by_month")
    assert len(months) == 14 and (months[0]["year"], months[0]["month"]) == (1401, 11)
    by = {(m["year"], m["month"]): (m["in_person"], m["remote"]) for m in months}
    assert by[(1401, 11)] == (1, 0) and by[(1402, 3)] == (1, 1) and by[(1402, 4)] == (1, 0)
    assert sum(m["remote"] for m in months) == 3
    outcomes = {(r["mode"], r["outcome"]): r["visits"] for r in _rows(fixture_snapshot, "monitoring_outcomes")}
    assert len(outcomes) == 8
    assert outcomes[("in_person", "active")] == 1 and outcomes[("in_person", "changed")] == 1
    assert outcomes[("remote", "active")] == 2 and outcomes[("remote", "inactive")] == 1
    only_msh = {
        (r["mode"], r["outcome"]): r["visits"]
        for r in _rows(fixture_snapshot, "monitoring_outcomes", counties=("MSH",))
    }
    assert sum(only_msh.values()) == 2
