"""The review meeting's data: freshness per county and table, and "what changed" between two snapshots."""

from __future__ import annotations

import json

from karnama.cli.main import main
from karnama.core import texts
from karnama.core.schema import TABLES
from karnama.importer import Upload, check, publish
from karnama.meeting import changes, freshness
from tests import fixtures
from tests.import_helpers import headers, xlsx


def _import_msh_months(store, months=(3, 4, 5, 6)):
    """Mashhad reports its monthly tables through Shahrivar 1402; Neyshabur sends nothing."""
    rows = [headers("incentives")] + [["MSH", 1402, m, "employer_share", "creation", 2, 2_000_000] for m in months]
    centres = [headers("centre_employment")] + [["Centre 1", "MSH", 1402, m, 1, 0, 0] for m in months]
    sheets = {TABLES["incentives"].label_fa: rows, TABLES["centre_employment"].label_fa: centres}
    report = check([Upload("msh.xlsx", xlsx(sheets))], store)
    assert report.ok, report.problems
    return publish(report, store)


def _by(rows, table, county):
    return next(r for r in rows if r.table == table and r.county == county)


def test_freshness_of_the_hand_made_snapshot(store, fixture_snapshot):
    assert freshness.last_full_month(fixtures.AS_OF) == (1402, 6)  # as-of is the last day of Shahrivar
    assert freshness.last_full_month(fixtures.j(1402, 6, 30)) == (1402, 5)
    assert freshness.last_full_month(fixtures.j(1402, 1, 10)) == (1401, 12)
    rows = freshness.freshness(store, fixture_snapshot)
    msh = _by(rows, "incentives", "MSH")
    assert msh.reaches == (1402, 2) and msh.missing == ((1402, 3), (1402, 4), (1402, 5), (1402, 6))
    assert _by(rows, "incentives", "NEY").reaches == (1402, 1)
    assert _by(rows, "centre_employment", "NEY").missing == tuple((1402, m) for m in range(3, 7))
    assert _by(rows, "se_clients", "MSH").reaches == (1402, 6) and not _by(rows, "se_clients", "MSH").missing
    assert all(not r.missing for r in rows if r.table not in freshness.MONTHLY_TABLES)
    assert freshness.not_reported(rows, fixture_snapshot.as_of) == ["MSH", "NEY"]
    assert {r.last_changed for r in rows if r.reaches} == {fixture_snapshot.id}
    names = {"NEY": "نیشابور"}
    assert freshness.reaches_label(_by(rows, "incentives", "NEY"), names) == "دادهٔ نیشابور تا فروردین ۱۴۰۲"


def test_freshness_names_the_county_an_import_left_out_and_who_changed_what(store, fixture_snapshot):
    new = _import_msh_months(store)
    assert new.as_of == fixture_snapshot.as_of
    rows = freshness.freshness(store, new)
    assert freshness.not_reported(rows, new.as_of) == ["NEY"]
    assert not _by(rows, "incentives", "MSH").missing and _by(rows, "incentives", "MSH").reaches == (1402, 6)
    assert _by(rows, "incentives", "MSH").last_changed == new.id
    assert _by(rows, "incentives", "NEY").last_changed == fixture_snapshot.id
    assert _by(rows, "loans", "MSH").last_changed == fixture_snapshot.id
    # a county scope sees only its counties
    assert {r.county for r in freshness.freshness(store, new, scope={"NEY"})} == {"NEY"}
    # A county's rows do not depend on which other counties are asked for (the overview computes the province once
    # per snapshot and narrows it to the chosen counties).
    for chosen in (("MSH",), ("NEY",), ("MSH", "NEY")):
        narrowed = [r for r in rows if r.county in chosen]
        assert narrowed and freshness.freshness(store, new, chosen) == narrowed


def test_freshness_command(store, fixture_snapshot, capsys):
    _import_msh_months(store)
    assert main(["freshness", "--data-dir", str(store.root), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["not_reported"] == ["NEY"] and out["expected_through"] == "1402-06"
    ney = next(r for r in out["rows"] if r["table"] == "incentives" and r["county"] == "NEY")
    assert ney["reaches"] == "1402-01" and ney["missing"] == ["1402-02", "1402-03", "1402-04", "1402-05", "1402-06"]
    assert main(["freshness", "--data-dir", str(store.root)]) == 0
    text = capsys.readouterr().out
    assert "نیشابور" in text.splitlines()[0] and "شهریور ۱۴۰۲" in text.splitlines()[0]
    assert "مشهد" not in text.splitlines()[0]


def test_changes_says_what_moved_in_persian(store, fixture_snapshot, capsys):
    new = _import_msh_months(store)
    c = changes.changes(store, fixture_snapshot.id, new.id, 1402)
    assert c.diff.tables["incentives"].added == 4 and c.diff.tables["loans"].added == 0
    assert c.diff.tables["centre_employment"].added == 4
    assert {m.key for m in c.moves} >= {"incentive_creation_total", "incentive_employer_share_creation"}
    assert c.moves[0].year == 1402
    assert "مشوق‌های بیمه‌ای: ۴ ردیف تازه و ۰ ردیف اصلاح‌شده" in c.paragraph
    assert "تسهیلات:" not in c.paragraph  # untouched tables are not mentioned
    assert c.status is None  # no status rule given: no sentence about statuses
    assert main(["changes", "--data-dir", str(store.root), "--json"]) == 0  # default: the active one vs its parent
    out = json.loads(capsys.readouterr().out)
    assert (out["a"], out["b"], out["year"]) == (fixture_snapshot.id, new.id, 1402)
    assert out["tables"]["incentives"]["added"] == 4
    same = changes.changes(store, new.id, new.id, 1402)
    assert same.paragraph.startswith(texts.CHANGES_NONE)


def test_changes_names_counties_whose_status_changed(store, fixture_snapshot):
    new = _import_msh_months(store)

    def status(snapshot, year):  # a stand-in rule: a county is "ahead" once it has 5 or more incentive rows
        from karnama.data.query import run

        frame = run(snapshot, "data_months", {"counties": []})
        counts = frame[frame.table_name == "incentives"].groupby("county_code").size()
        return {c: ("ahead", "جلوتر") if n >= 5 else ("behind", "عقب") for c, n in counts.items()}

    c = changes.changes(store, fixture_snapshot.id, new.id, 1402, status_fn=status)
    assert c.status == [("MSH", "عقب", "جلوتر")]
    assert "مشهد (عقب ← جلوتر)" in c.paragraph


def test_changes_reports_status_changes_under_the_one_status_rule(store, fixture_snapshot, capsys):
    """Neyshabur (target 2 in 1402, none stabilised, half the year gone) is behind; two stabilised jobs put it ahead."""
    rows = [headers("se_clients")] + [
        [f"n{i}", "NEY", "SE-B", "1401/10/01", 5, "1401/12/01", "1402/05/01", "physical", "male"] for i in (1, 2)
    ]
    report = check([Upload("se.xlsx", xlsx({TABLES["se_clients"].label_fa: rows}))], store)
    assert report.ok, report.problems
    new = publish(report, store)
    before, after = changes.se_status(fixture_snapshot, 1402), changes.se_status(new, 1402)
    assert before["NEY"][0] == "behind" and after["NEY"][0] == "ahead"
    assert before["MSH"] == after["MSH"]
    assert main(["changes", "--data-dir", str(store.root), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["county"] for s in out["status_changes"]] == ["NEY"]
    assert "نیشابور (عقب‌تر از برنامه ← جلوتر از برنامه)" in out["paragraph"]


def test_the_overview_names_late_counties_and_says_what_changed(demo_dir, tmp_path, monkeypatch):
    import shutil

    from karnama.data.snapshots import SnapshotStore
    from tests.apptest_helpers import run_app

    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    store = SnapshotStore(data)
    rows = [headers("incentives"), ["NEY", 1403, 8, "employer_share", "creation", 3, 3_000_000]]
    report = check([Upload("ney.xlsx", xlsx({TABLES["incentives"].label_fa: rows}))], store)
    assert report.ok, report.problems
    publish(report, store)
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(data))
    at = run_app("overview", query={"year": "1403"})
    assert not at.exception
    captions = " ".join(str(c.value) for c in at.caption)
    assert "را نفرستاده‌اند" in captions or "را فرستاده‌اند" in captions
    [changed] = [e for e in at.expander if e.label == texts.CHANGES_TITLE]
    text = " ".join(str(m.value) for m in changed.markdown)
    assert "مشوق‌های بیمه‌ای" in text and "ردیف" in text


def test_the_map_hover_says_how_far_each_countys_data_reaches():
    import json as _json

    import pandas as pd

    from karnama.core import fa
    from karnama.web import charts

    frame = pd.DataFrame(
        {
            "county_code": ["NEY", "MSH"],
            "name_fa": ["نیشابور", "مشهد"],
            "lat": [36.2, 36.3],
            "lon": [58.8, 59.6],
            "v": [1.0, 2.0],
        }
    )
    fig = charts.county_map(frame, "v", "شاخص", fa.num, badges={"NEY": "دادهٔ نیشابور تا مرداد"})
    hover = fig.to_json()  # plotly escapes non-ASCII: compare decoded
    hover = _json.dumps(_json.loads(hover)["data"], ensure_ascii=False)
    assert "دادهٔ نیشابور تا مرداد" in hover and hover.count("دادهٔ") == 1


def test_the_data_page_says_what_changed(demo_dir, tmp_path, monkeypatch):
    from karnama.data.snapshots import SnapshotStore
    from tests.apptest_helpers import run_app
    from tests.auth_helpers import secured_copy
    from tests.test_auth_app import login

    data = secured_copy(demo_dir, tmp_path / "data", names=("admin",), settings="open_viewing = false\n")
    store = SnapshotStore(data)
    rows = [headers("incentives"), ["NEY", 1403, 8, "employer_share", "creation", 3, 3_000_000]]
    publish(check([Upload("ney.xlsx", xlsx({TABLES["incentives"].label_fa: rows}))], store), store)
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(data))
    at = login(run_app("data"), "admin")
    assert not at.exception
    [changed] = [e for e in at.expander if e.label == texts.CHANGES_TITLE]
    assert "مشوق‌های بیمه‌ای" in " ".join(str(m.value) for m in changed.markdown)


def test_the_data_delivery_notes_stay_off_a_closed_years_page(app_env):
    """Who has not sent this month's data concerns the year being reported, not a page about 1401."""
    from tests.apptest_helpers import run_app

    current = run_app("overview", query={"year": "1403"})
    closed = run_app("overview", query={"year": "1401"})
    assert not current.exception and not closed.exception
    assert "فرستاده‌اند" in " ".join(str(c.value) for c in current.caption)
    assert "فرستاده‌اند" not in " ".join(str(c.value) for c in closed.caption)
