"""Access control through the real app (AppTest): the login page, a county account on every page, hostile URLs,
tampered widget and session state, expired sessions, lockouts, the admin-only data page and "view as"."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from karnama import metrics
from karnama.access import audit, auth
from karnama.core import settings as settings_mod
from karnama.core import texts
from karnama.core.counties import COUNTIES
from karnama.core.settings import load
from karnama.data.query import Filters
from karnama.data.snapshots import SnapshotStore
from karnama.web import gate as auth_ui
from karnama.web import nav
from tests.apptest_helpers import all_text, drawn_charts, metric_values, run_app, tables
from tests.auth_helpers import FAST, PASSWORDS, secured_copy
from tests.store_helpers import tamper

SCOPE = frozenset({"NEY", "TRH"})
PAGES = [p.path.removeprefix("pages/").removesuffix(".py") for p in nav.PAGES]
DASHBOARD = [p for p in PAGES if p != "data"]
OTHER_NAMES = [c.name_fa for c in COUNTIES if c.code not in SCOPE]


@pytest.fixture
def secure_dir(demo_dir, tmp_path, monkeypatch):
    """The demo snapshot with accounts, login required (open viewing off), pointed at by KARNAMA_DATA_DIR."""
    d = secured_copy(demo_dir, tmp_path / "data", settings="open_viewing = false\nsession_idle_minutes = 30\n")
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(d))
    return d


@pytest.fixture
def snap(secure_dir):
    return SnapshotStore(secure_dir).resolve().snapshot


def login(at: AppTest, name: str, password: str | None = None) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(PASSWORDS.get(name, "x") if password is None else password)
    next(b for b in at.button if b.label == texts.LOGIN_SUBMIT).click()
    return at.run()


def everything_shown(at: AppTest) -> str:
    """All text a person could read: titles, captions, alerts, metrics, tables, widget options, chart data."""
    parts = [all_text(at)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [t.to_csv() for t in tables(at)] + [d.value.to_csv() for d in at.dataframe]
    parts += [str(o) for w in at.multiselect for o in w.options] + [str(o) for w in at.selectbox for o in w.options]
    # every chart's whole payload: its figure and its text alternative
    parts += [json.dumps(json.loads(el.proto.bytes), ensure_ascii=False) for el in at.get("bidi_component")]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    return "\n".join(parts)


def leaked(at: AppTest) -> list[str]:
    """Names of counties outside the account's scope found anywhere on the page."""
    text = everything_shown(at)
    return [n for n in OTHER_NAMES if n in text]


# ---- login required --------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_every_page_needs_a_login_when_open_viewing_is_off(secure_dir, page):
    at = run_app(page, query={"year": "1402", "county": "MSH"})
    assert not at.exception
    assert at.title[0].value == texts.LOGIN_TITLE
    assert not at.metric and not tables(at) and not drawn_charts(at)
    assert not leaked(at) and "مشهد" not in all_text(at)
    assert _sidebar_hidden(at)  # nothing for it on the login page: no empty grey panel
    login(at, "prov")
    assert at.title[0].value != texts.LOGIN_TITLE and not _sidebar_hidden(at)


def _sidebar_hidden(at: AppTest) -> bool:
    from karnama.web import style

    return any(h.proto.body == style.NO_SIDEBAR_CSS for h in at.get("html"))


def test_wrong_password_and_unknown_user_get_the_same_answer(secure_dir):
    at = run_app()
    answers = []
    for name, pw in (("ney", "Wrong-password-1"), ("nobody", "Wrong-password-1"), ("NEY", "")):
        login(at, name, pw)
        answers.append([e.value for e in at.error])
        assert at.title[0].value == texts.LOGIN_TITLE and not at.metric
    assert answers[0] == answers[1] == [texts.LOGIN_FAILED]
    assert answers[2] == [texts.LOGIN_EMPTY]
    assert at.text_input(key="login_password").value in ("", None)  # the form does not keep the password


def test_lockout_after_repeated_failures_even_with_the_right_password(secure_dir):
    at = run_app()
    for _ in range(5):
        login(at, "ney", "Wrong-password-1")
    login(at, "ney")
    assert at.title[0].value == texts.LOGIN_TITLE and not at.metric
    assert "دقیقهٔ دیگر" in at.error[0].value
    events = [(e["event"], e["details"].get("reason")) for e in audit.read(load(secure_dir))]
    assert events[0] == ("login_failure", "rate_limited") and events.count(("login_failure", "bad_credentials")) == 5


# ---- a county account --------------------------------------------------------------------------------
def test_county_user_sees_only_the_sum_of_its_counties_labelled_as_such(secure_dir, snap):
    at = login(run_app(query={"year": "1402"}), "ney")
    assert not at.exception and at.title[0].value == texts.PAGE_OVERVIEW
    ours = metrics.compute(snap, Filters(1402), SCOPE)
    province = metrics.compute(snap, Filters(1402))
    shown = metric_values(at)
    m = metrics.BY_KEY["incentive_stabilisation_total"]
    assert shown[m.card_label] == m.format(ours.current[m.key]) != m.format(province.current[m.key])
    assert texts.SCOPE_SUM in at.caption[0].value and texts.PROVINCE not in at.caption[0].value
    assert sorted(at.multiselect(key="f_counties").options) == sorted(["نیشابور", "تربت حیدریه"])
    assert not leaked(at)


@pytest.mark.parametrize("page", DASHBOARD)
def test_county_user_on_every_page_with_hostile_url_shows_no_other_county(secure_dir, snap, page):
    at = run_app(query={"year": "1402", "county": "MSH,SBZ", "snapshot": "../../etc"})
    login(at, "ney")
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    assert at.metric, "the page shows its figures"
    assert not leaked(at), leaked(at)
    assert tuple(at.session_state["f_counties"]) == ()
    ours = metrics.compute(snap, Filters(1402), SCOPE)
    for label, value in metric_values(at).items():
        for metric in metrics.METRICS:
            if metric.card_label == label:
                assert value == metric.format(ours.current[metric.key]), (page, metric.key)


def test_tampered_widget_state_cannot_widen_the_scope(secure_dir, snap):
    at = run_app(query={"year": "1402"})
    at.session_state["f_counties"] = ["MSH"]  # set before the sidebar's widget exists, as a hostile client might
    login(at, "ney")
    assert not at.exception and at.metric
    assert not leaked(at)
    assert tuple(at.session_state["f_counties"]) == ()
    at = login(run_app(query={"year": "1402"}), "ney")
    at.multiselect(key="f_counties").set_value(["NEY"]).run()
    only_ney = metrics.compute(snap, Filters(1402, ("NEY",)), SCOPE)
    m = metrics.BY_KEY["loans_count"]
    assert metric_values(at)[m.card_label] == m.format(only_ney.current[m.key])


def test_tampered_session_state_gives_nothing(secure_dir):
    at = run_app()
    for forged in ("admin", {"name": "admin", "role": "admin"}, "x" * 43):
        at.session_state[auth_ui.SESSION_KEY] = forged
        at.run()
        assert at.title[0].value == texts.LOGIN_TITLE and not at.metric
    # a county user who sets "view as" to the admin (or any account) still sees only their counties
    login(at, "ney")
    at.session_state[auth_ui.VIEW_AS_KEY] = "admin"
    at.run()
    assert not leaked(at) and texts.SCOPE_SUM in at.caption[0].value
    at.session_state[auth_ui.VIEW_AS_KEY] = "prov"
    at.run()
    assert not leaked(at) and texts.SCOPE_SUM in at.caption[0].value


def test_idle_session_expires_and_asks_for_a_login(secure_dir):
    at = login(run_app(), "ney")
    assert at.metric
    tamper(load(secure_dir), "UPDATE sessions SET last_seen = last_seen - 31 * 60")  # 31 minutes of nothing
    at.run()
    assert at.title[0].value == texts.LOGIN_TITLE and not at.metric
    assert "بی‌کاری" in at.warning[0].value
    assert audit.read(load(secure_dir))[0]["event"] == "session_expired"
    login(at, "ney")
    assert at.metric


def test_removed_account_or_changed_password_ends_open_sessions(secure_dir):
    at = login(run_app(), "ney")
    auth.AccountStore(load(secure_dir), hasher=FAST).set_password("ney", "Changed-password-4")
    at.run()
    assert at.title[0].value == texts.LOGIN_TITLE and texts.SESSION_ENDED in at.warning[0].value
    at2 = login(run_app(), "prov")
    auth.AccountStore(load(secure_dir), hasher=FAST).remove("prov")
    at2.run()
    assert at2.title[0].value == texts.LOGIN_TITLE and not at2.metric


def test_logout(secure_dir):
    at = login(run_app(), "prov")
    assert at.metric
    token = at.session_state[auth_ui.SESSION_KEY]
    at.button(key="auth_logout").click().run()
    assert at.title[0].value == texts.LOGIN_TITLE
    assert auth_ui._runtime(load(secure_dir)).sessions.check(token, 3600) == (None, "none")
    assert [e["event"] for e in audit.read(load(secure_dir))][:2] == ["logout", "login_success"]


# ---- admin-only writes and the audit log -----------------------------------------------------------------
def test_data_page_is_for_admins_only(secure_dir):
    for name in ("ney", "prov"):
        at = login(run_app(), name)
        at.switch_page("pages/data.py").run()
        assert not at.exception
        assert texts.ADMIN_ONLY in [w.value for w in at.warning]
        assert not at.get("file_uploader") and not at.tabs
    at = login(run_app(), "admin")
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.get("file_uploader")
    shown = everything_shown(at)
    assert texts.AUDIT_EV_LOGIN_SUCCESS in shown and "ney" in shown  # the audit tab lists the logins above


def test_publish_and_rollback_refuse_a_non_admin_even_when_called_directly(secure_dir):
    """A page that forgot to gate still cannot write: the write functions check on the server themselves."""

    def script():
        import streamlit as st

        from karnama.web import data_page as data_view
        from karnama.web import gate as auth_ui
        from karnama.web import state

        store = state.store()
        auth_ui.gate(store)
        target = [e["id"] for e in store.list() if e["ok"]][-1]
        data_view.rollback_to(store, target)
        st.success("rolled back")

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    login(at, "ney")
    assert not at.exception
    assert texts.ADMIN_ONLY in [w.value for w in at.warning] and not at.success
    assert "rollback" not in [e["event"] for e in audit.read(load(secure_dir))]


def test_view_as_shows_the_dashboard_as_the_county_account_sees_it(secure_dir, snap):
    at = login(run_app(query={"year": "1402"}), "admin")
    before = metric_values(at)
    at.selectbox(key=auth_ui.VIEW_AS_WIDGET).set_value("ney").run()
    as_admin_viewing = metric_values(at)
    caption = at.caption[0].value
    assert as_admin_viewing != before and not leaked(at)
    county = login(run_app(query={"year": "1402"}), "ney")
    assert metric_values(county) == as_admin_viewing and county.caption[0].value == caption
    at.switch_page("pages/data.py").run()  # no writing while viewing as someone else
    assert texts.ADMIN_ONLY_VIEW_AS in [w.value for w in at.warning]
    events = [(e["event"], e["account"], e["details"].get("target")) for e in audit.read(load(secure_dir))]
    assert ("view_as", "admin", "ney") in events


def test_query_before_the_access_decision_is_refused():
    def script():
        from karnama.data import query
        from karnama.data.snapshots import SnapshotStore

        query.run(SnapshotStore().resolve().snapshot, "years", {"counties": []})

    from streamlit import config

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    # .streamlit/config.toml hides error details from browsers (client.showErrorDetails = "none")
    assert at.exception and "access decision" not in at.exception[0].message
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    try:
        at.run()
    finally:
        config.set_option("client.showErrorDetails", before)
    assert at.exception and "access decision" in at.exception[0].message


# ---- open viewing (the demo) ----------------------------------------------------------------------------
def test_demo_is_open_read_only_and_says_so(app_env):
    at = run_app()
    assert at.metric
    assert texts.OPEN_VIEWING_NOTICE in [i.value for i in at.sidebar.info]
    at.switch_page("pages/data.py").run()
    assert texts.ADMIN_ONLY in [w.value for w in at.warning] and not at.get("file_uploader")
    at.button(key="auth_admin_login").click().run()
    assert at.title[0].value == texts.LOGIN_TITLE
    at.button(key="auth_skip_login").click().run()
    assert at.title[0].value != texts.LOGIN_TITLE


def test_open_viewing_setting_overrides_the_demo_default(secure_dir, monkeypatch):
    monkeypatch.setenv("KARNAMA_OPEN_VIEWING", "true")
    at = run_app()
    assert at.metric and texts.OPEN_VIEWING_NOTICE in [i.value for i in at.sidebar.info]
    at.switch_page("pages/data.py").run()
    assert not at.get("file_uploader")  # writing needs an admin login whatever the setting


def test_admin_sees_a_hand_edited_audit_log_flagged(secure_dir):
    at = login(run_app(), "ney")  # a few entries to tamper with
    at = login(run_app(), "admin")
    tamper(load(secure_dir), "UPDATE audit_events SET account = 'eve' WHERE seq = 2")
    at.switch_page("pages/data.py").run()
    assert not at.exception
    flagged = [e.value for e in at.error if "زنجیرهٔ گزارش" in e.value]
    assert flagged and "۲" in flagged[0]


def test_map_with_county_boundaries_names_no_other_county(secure_dir, monkeypatch, tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"name": c.name_fa},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[c.lon, c.lat], [c.lon + 0.1, c.lat], [c.lon, c.lat + 0.1], [c.lon, c.lat]]],
            },
        }
        for c in COUNTIES
    ]
    geo = tmp_path / "counties.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    monkeypatch.setenv("KARNAMA_BOUNDARY_GEOJSON", str(geo))
    at = login(run_app(query={"year": "1402"}), "ney")
    assert not at.exception and drawn_charts(at)
    assert not leaked(at), leaked(at)


# ---- findings that exposed real rows without a login ---------------------------------------------------------
def test_an_import_onto_the_demo_clears_the_demo_flag_and_real_rows_need_a_login(demo_dir, tmp_path, monkeypatch):
    """An ordinary (upsert) import on top of the demo kept the demo flag, and open viewing followed the flag."""
    from karnama.core.schema import TABLES
    from karnama.importer import Upload, check, publish
    from tests.import_helpers import headers, xlsx

    d = secured_copy(demo_dir, tmp_path / "data")  # accounts, no settings file: nobody said "open"
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(d))
    store = SnapshotStore(d)
    assert store.resolve().snapshot.is_demo
    rows = [headers("incentives"), ["MSH", 1402, 9, "employer_share", "creation", 3, 1000]]
    report = check([Upload("real.xlsx", xlsx({TABLES["incentives"].label_fa: rows}))], store)
    assert report.ok, report.errors
    snap = publish(report, store)
    assert not snap.is_demo and "demo_settings" not in snap.manifest
    at = run_app(query={"year": "1402"})
    assert not at.exception and at.title[0].value == texts.LOGIN_TITLE
    assert not at.metric and texts.DEMO_BANNER not in all_text(at)


@pytest.mark.parametrize(
    "content",
    [
        "open_viewing = true\nsession_idle_minutes = [\n",  # a syntax error anywhere
        'open_viewing = "nein"\n',  # a wrong type
        'open_viewing = true\nupload_max_mb = "lots"\n',  # a wrong value elsewhere
    ],
)
def test_a_broken_settings_file_keeps_the_dashboard_closed_and_says_why(secure_dir, content):
    (secure_dir / "settings.toml").write_text(content, encoding="utf-8")
    at = run_app(query={"year": "1402"})
    assert not at.exception and at.title[0].value == texts.LOGIN_TITLE
    assert not at.metric and not drawn_charts(at)
    assert any(w.value == settings_mod.OPEN_VIEWING_REFUSED for w in at.warning)


# ---- issue 13: nothing a client sends resets security state; the admin's audit view --------------------------
def test_streamlits_clear_cache_message_neither_signs_out_nor_lifts_a_lockout(secure_dir):
    """Any websocket client may send "clear cache"; the server then empties st.cache_data and
    st.cache_resource for every user (AppSession._handle_clear_cache_request). Sessions and lockouts must
    not live there."""
    import streamlit as st

    at = login(run_app(), "prov")
    assert at.metric
    attacker = run_app()
    for _ in range(6):
        login(attacker, "ney", "Wrong-password-1")
    assert "دقیقهٔ دیگر" in attacker.error[0].value
    st.cache_data.clear()  # exactly what the server does on the message
    st.cache_resource.clear()
    at.run()
    assert at.metric and at.title[0].value != texts.LOGIN_TITLE  # still signed in
    login(attacker, "ney")  # the right password: still locked
    assert "دقیقهٔ دیگر" in attacker.error[0].value and not attacker.metric


def test_admin_audit_view_filters_by_account_and_event_and_pages_through_everything(secure_dir):
    settings = load(secure_dir)
    for i in range(120):
        audit.record("export", "ney" if i % 3 else "prov", settings=settings, n=i)
    at = login(run_app(), "admin")
    at.switch_page("pages/data.py").run()
    assert not at.exception
    total = audit.count(settings)
    assert any(f"از {fa_num(-(-total // 50))}" in c.value for c in at.caption)
    assert any("سر زنجیره" in c.value and fa_num(total) in c.value for c in at.caption)
    table = tables(at)[-1]
    assert len(table) == 50
    pages = at.selectbox(key="audit_page")
    assert pages.options == [fa_num(p) for p in range(1, 4)]  # pages numbered in Persian digits
    pages.set_value(3).run()
    assert len(tables(at)[-1]) == total - 100  # the oldest entries are reachable
    assert fa_num(1) in list(tables(at)[-1][texts.AUDIT_COL_SEQ])
    assert all(d.startswith("n: ") and not re.search("[0-9]", d) for d in tables(at)[-1][texts.AUDIT_COL_DETAILS])
    at.selectbox(key="audit_page").set_value(1).run()
    login_row = tables(at)[-1].iloc[0]  # the newest: the admin's own login, named and valued in Persian
    assert login_row[texts.AUDIT_COL_DETAILS] == (
        f"{texts.AUDIT_DETAIL_KEYS['client']}: {texts.AUDIT_DETAIL_VALUES['client']['local']}، "
        f"{texts.AUDIT_DETAIL_KEYS['role']}: {texts.ROLE_ADMIN}"
    )
    at.selectbox(key="audit_account").set_value("prov").run()
    assert set(tables(at)[-1][texts.AUDIT_COL_ACCOUNT]) == {"prov"} and len(tables(at)[-1]) == 40
    at.selectbox(key="audit_account").set_value("").run()
    at.multiselect(key="audit_events").set_value(["login_success"]).run()
    shown = tables(at)[-1]
    assert set(shown[texts.AUDIT_COL_EVENT]) == {texts.AUDIT_EV_LOGIN_SUCCESS}
    times = list(shown.index)
    assert all(set(t) <= set("۰۱۲۳۴۵۶۷۸۹/: ") for t in times)  # Jalali time in Persian digits
    assert all(t.startswith("۱۴") for t in times)
    # Days are typed and read in the Jalali calendar (Tehran's day), in either digits.
    today = times[0].split(" ")[0]
    at.text_input(key="audit_since").input(today).run()
    assert set(tables(at)[-1].index) == set(times)
    at.text_input(key="audit_until").input(today).run()
    assert set(tables(at)[-1].index) == set(times)
    from karnama.core.normalize import latin_digits

    y, m, d = map(int, latin_digits(today).split("/"))
    at.text_input(key="audit_since").input(f"{y + 1}/{m}/{d}").run()  # a year on: nothing yet
    assert texts.AUDIT_NONE_MATCH in [i.value for i in at.info]
    at.text_input(key="audit_since").input("1403/13/40").run()  # not a day: said so, not applied
    assert any("1403/13/40" in w.value for w in at.warning)
    assert set(tables(at)[-1].index) == set(times)


def fa_num(n: int) -> str:
    from karnama.core import fa

    return fa.num(n)


# ---- changing one's own password ---------------------------------------------------------------------------
def _change_password(at: AppTest, current: str, new: str, repeat: str | None = None) -> AppTest:
    if any(b.key == "pw_open" for b in at.button):  # the form is not open yet
        at.button(key="pw_open").click().run()
    at.text_input(key="pw_current").input(current)
    at.text_input(key="pw_new").input(new)
    at.text_input(key="pw_repeat").input(new if repeat is None else repeat)
    next(b for b in at.button if b.label == texts.PASSWORD_SUBMIT).click()
    return at.run()


def test_a_signed_in_person_changes_their_own_password(secure_dir):
    settings = load(secure_dir)
    other = login(run_app(), "ney")  # the same account open in another browser
    at = login(run_app(), "ney")
    assert not any(t.key == "pw_current" for t in at.text_input)  # the form only once asked for
    _change_password(at, PASSWORDS["ney"], "Fresh-passphrase-9", "Fresh-passphrase-8")
    assert at.error[0].value == texts.PASSWORD_MISMATCH
    _change_password(at, PASSWORDS["ney"], "neyshabur")
    assert at.error[0].value == texts.AUTH_SHORT_PASSWORD.format(n=auth.MIN_PASSWORD)
    _change_password(at, "Not-my-password-0", "Fresh-passphrase-9")
    assert at.error[0].value == texts.PASSWORD_WRONG
    _change_password(at, PASSWORDS["ney"], "Fresh-passphrase-9")
    assert not at.exception and not at.error and at.metric  # still signed in, on a new session
    assert any(texts.PASSWORD_CHANGED in s.value for s in at.success)
    store = auth.AccountStore(settings, hasher=FAST)
    assert store.authenticate("ney", "Fresh-passphrase-9") and not store.authenticate("ney", PASSWORDS["ney"])
    other.run()  # the other browser's session ended
    assert other.title[0].value == texts.LOGIN_TITLE and texts.SESSION_ENDED in other.warning[0].value
    at.run()
    assert at.metric and not at.error  # this one goes on
    events = [(e["event"], e["details"].get("reason"), e["details"].get("target")) for e in audit.read(settings)]
    assert ("user_password", None, "ney") in events
    assert ("login_failure", "bad_credentials", None) in events  # the wrong current password counted
    assert "Fresh-passphrase-9" not in json.dumps(audit.read(settings), ensure_ascii=False)


def test_guessing_the_current_password_in_an_open_session_is_locked_out(secure_dir):
    at = login(run_app(), "prov")
    for i in range(5):
        _change_password(at, f"Guess-number-{i}x", "Fresh-passphrase-9")
        assert at.error[0].value == texts.PASSWORD_WRONG
    _change_password(at, PASSWORDS["prov"], "Fresh-passphrase-9")  # the right one, too late
    assert "دقیقهٔ دیگر" in at.error[0].value
    assert auth.AccountStore(load(secure_dir), hasher=FAST).authenticate("prov", PASSWORDS["prov"])
