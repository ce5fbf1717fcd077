"""The data page as an admin uses it (AppTest through app.py): a valid file publishes a new active snapshot; an
invalid one shows the located report and publishes nothing; history compares snapshots and rolls back."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from karnama.access import auth
from karnama.core import texts
from karnama.core.settings import load
from karnama.data.snapshots import SnapshotStore
from tests import fixtures
from tests.apptest_helpers import run_app, tables
from tests.import_helpers import csv_bytes, headers, xlsx

PASSWORD = "a-long-admin-passphrase"
INC = "مشوق‌های بیمه‌ای"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    root = tmp_path / "data"
    SnapshotStore(root).publish(fixtures.tables(), source="test fixture", as_of=fixtures.AS_OF)
    accounts = auth.AccountStore(load(root), hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts.add("admin", auth.ADMIN, (), PASSWORD)
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(root))
    monkeypatch.setenv("KARNAMA_OPEN_VIEWING", "false")
    return root


def admin_on_data_page():
    at = run_app(page="data")
    at.text_input(key="login_name").input("admin")
    at.text_input(key="login_password").input(PASSWORD)
    next(b for b in at.button if b.label == texts.LOGIN_SUBMIT).click().run()
    assert not at.exception
    if at.title[0].value != texts.PAGE_DATA:
        at.switch_page("pages/data.py").run()
    assert at.title[0].value == texts.PAGE_DATA, [t.value for t in at.title]
    return at


def table_with(at, column):
    return next(t for t in tables(at) if column in t.columns)


def uploader(at):
    return next(u for u in at.get("file_uploader"))


def test_valid_upload_publishes_a_new_active_snapshot(data_dir):
    store = SnapshotStore(data_dir)
    before = store.active_id()
    at = admin_on_data_page()
    data = xlsx(
        {
            INC: [
                headers("incentives"),
                ["شهرستان خليل آباد", "۱۴۰۲", "تیر", "بیمه سهم کارفرمایی", "تثبیت", "۱۲", "۱٬۲۰۰٬۰۰۰"],
            ]
        }
    )
    uploader(at).set_value(("tir.xlsx", data, "application/octet-stream")).run()
    assert not at.exception
    assert not at.error and at.success
    counts = table_with(at, texts.DATA_COL_ADDED)
    assert counts.loc["مشوق‌های بیمه‌ای", texts.DATA_COL_ADDED] == "۱"
    at.button(key="imp_publish").click().run()
    assert not at.exception
    after = SnapshotStore(data_dir)
    assert after.active_id() != before and after.open(after.active_id()).manifest["author"] == "admin"
    assert any(after.active_id() in s.value for s in at.success)


def test_invalid_upload_shows_the_report_and_publishes_nothing(data_dir):
    store = SnapshotStore(data_dir)
    before = (store.ids(), store.active_id())
    at = admin_on_data_page()
    bad = csv_bytes([headers("loans"), ["<script>alert(1)</script>", "تهران", "1402/13/40", "-5", 1, "ایجاد"]])
    uploader(at).set_value(("loans.csv", bad, "text/csv")).run()
    assert not at.exception
    assert at.error and "خطا" in at.error[0].value
    report = table_with(at, texts.DATA_COL_PROBLEM)
    messages = set(report[texts.DATA_COL_PROBLEM])
    assert {texts.IMP_UNKNOWN_COUNTY, texts.IMP_IMPOSSIBLE_DATE, texts.IMP_NEGATIVE} <= messages
    assert set(report[texts.DATA_COL_ROW]) == {"۲"} and set(report[texts.DATA_COL_FILE]) == {"loans.csv"}
    assert "تهران" in set(report[texts.DATA_COL_VALUE])
    assert not [b for b in at.button if b.key == "imp_publish"]
    assert (store.ids(), store.active_id()) == before


def publish_one_loan(data_dir):
    """Sign in, publish one new loan through the page; the app test, the snapshot before and the new one."""
    first = SnapshotStore(data_dir).active_id()
    at = admin_on_data_page()
    uploader(at).set_value(
        ("loans.csv", csv_bytes([headers("loans"), ["P9", "MSH", "1402/05/01", 10, 1, "ایجاد"]]), "text/csv")
    ).run()
    at.button(key="imp_publish").click().run()
    second = SnapshotStore(data_dir).active_id()
    assert second != first
    return at, first, second


def test_history_diff_and_rollback(data_dir):
    at, first, second = publish_one_loan(data_dir)
    at.button(key="hist_diff").click().run()
    assert not at.exception
    shown = tables(at)
    diff = next(t for t in shown if texts.HIST_COL_ADDED in t.columns)
    assert diff.loc["تسهیلات اشتغال‌زایی", texts.HIST_COL_ADDED] == "۱"
    kpis = next(t for t in shown if texts.HIST_COL_KPI in t.columns)
    assert "طرح‌های دارای تسهیلات اشتغال‌زایی" in set(kpis[texts.HIST_COL_KPI])
    at.selectbox(key="hist_pick").set_value(first).run()
    at.button(key="hist_rollback").click().run()
    assert not at.exception
    assert SnapshotStore(data_dir).active_id() == first and second in SnapshotStore(data_dir).ids()


def test_open_an_older_snapshot_as_of_in_the_dashboard(data_dir):
    at, first, _ = publish_one_loan(data_dir)
    at.selectbox(key="hist_pick").set_value(first).run()
    at.button(key="hist_open").click().run()
    assert not at.exception
    assert at.title[0].value == texts.PAGE_OVERVIEW
    # The snapshot line names the chosen one: by date in Persian, its id in the line's help (for support).
    assert any(first in (c.proto.help or "") for c in at.caption)
    assert at.session_state["f_snapshot"] == first
