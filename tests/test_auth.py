"""Accounts, password hashes, rate limits, sessions, the audit log and the users/kpis CLI, as a hostile user
would try them (the Streamlit side is in test_auth_app.py, the browser in test_auth_browser.py)."""

from __future__ import annotations

import io
import json
import os
import stat
import threading

import pytest

from karnama import metrics
from karnama.access import audit, auth
from karnama.cli import main as cli
from karnama.core import texts
from karnama.core.settings import load
from karnama.data import query
from karnama.data.query import Filters
from tests.auth_helpers import FAST
from tests.store_helpers import tamper

PW_ADMIN = "Admin-password-1"
PW_NEY = "Neyshabur-pass-2"


class Clock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def data_dir(tmp_path, db_backend):
    """An empty data directory; the whole file runs once on SQLite and once on PostgreSQL (db_backend)."""
    return tmp_path / "data"


def dump(data_dir) -> str:
    """Every row of every table of the store, as text (to look for passwords)."""
    import sqlalchemy as sa

    from karnama.access import registry
    from karnama.access import store as db

    with registry.open_store(load(data_dir)).begin() as conn:
        return "\n".join(str(r) for t in db.metadata.sorted_tables for r in conn.execute(sa.select(t)))


@pytest.fixture
def accounts(data_dir) -> auth.AccountStore:
    s = auth.AccountStore(load(data_dir), hasher=FAST)
    s.add("admin", auth.ADMIN, (), PW_ADMIN)
    s.add("ney", auth.COUNTY, ["نيشابور"], PW_NEY)  # Arabic yeh, as typed on some keyboards
    return s


# ---- the accounts ---------------------------------------------------------------------------------------
def test_the_store_holds_argon2id_hashes_and_no_password(data_dir, accounts):
    raw = dump(data_dir)
    assert PW_ADMIN not in raw and PW_NEY not in raw
    assert PW_NEY[:8] not in raw and PW_NEY[::-1] not in raw
    assert accounts.get("ney").password_hash.startswith("$argon2id$")
    assert accounts.get("admin").password_hash.startswith("$argon2id$")
    assert accounts.get("ney").counties == ("NEY",)
    if accounts.store.is_sqlite:
        assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700  # made by the store, owner only
        assert accounts.store.url.endswith(str(data_dir / "karnama.db"))
        for name in ("karnama.db", "karnama.db-wal"):
            assert stat.S_IMODE(os.stat(data_dir / name).st_mode) == 0o600


def test_hashes_verify_and_wrong_passwords_do_not(accounts):
    assert accounts.authenticate("ney", PW_NEY).counties == ("NEY",)
    assert accounts.authenticate("  NEY ", PW_NEY) is not None  # names are trimmed and case-insensitive
    assert accounts.authenticate("ney", PW_NEY.lower()) is None
    assert accounts.authenticate("ney", PW_NEY + " ") is None
    assert accounts.authenticate("ney", "") is None
    assert accounts.authenticate("nobody", PW_NEY) is None
    assert accounts.authenticate("ney", "x" * 100_000) is None
    assert accounts.authenticate("../../etc/passwd", PW_NEY) is None


def test_a_hash_copied_from_another_account_fails(data_dir, accounts):
    tamper(
        load(data_dir),
        "UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE name = 'admin') WHERE name = 'ney'",
    )
    assert accounts.authenticate("ney", PW_ADMIN) is None
    assert accounts.authenticate("ney", PW_NEY) is None
    assert accounts.authenticate("admin", PW_ADMIN) is not None


def test_a_tampered_role_in_the_store_is_ignored_not_trusted(data_dir, accounts):
    tamper(load(data_dir), "UPDATE accounts SET role = 'superuser' WHERE name = 'ney'")
    assert accounts.get("ney") is None
    assert accounts.authenticate("ney", PW_NEY) is None


def test_an_unreachable_store_refuses_everyone(data_dir, accounts, monkeypatch):
    from tests.browser import free_port

    monkeypatch.setenv("KARNAMA_DATABASE_URL", f"postgresql://karnama@127.0.0.1:{free_port()}/gone?connect_timeout=2")
    settings = load(data_dir)
    with pytest.raises(auth.AuthError):
        auth.AccountStore(settings, hasher=FAST).get("admin")
    r = auth.Authenticator(settings, auth.AccountStore(settings, hasher=FAST)).login("admin", PW_ADMIN, "c")
    assert r.account is None and r.message == texts.AUTH_STORE_UNAVAILABLE


def test_county_scope_and_roles(accounts):
    ney = accounts.get("ney")
    assert ney.scope == frozenset({"NEY"})
    assert accounts.get("admin").scope is None
    accounts.add("prov", auth.PROVINCE, (), "Province-pass-3")
    assert accounts.get("prov").scope is None and not accounts.get("prov").is_admin
    # a county account whose list was emptied by hand sees nothing rather than everything
    assert auth.Account("x", auth.COUNTY, ()).scope == frozenset()


@pytest.mark.parametrize(
    "name, role, counties, password, fragment",
    [
        ("bad name", auth.COUNTY, ["NEY"], "long-enough-pw", "نام کاربری"),
        ("ok", "root", [], "long-enough-pw", "نقش"),
        ("ok", auth.COUNTY, [], "long-enough-pw", "دست‌کم یک شهرستان"),
        ("ok", auth.PROVINCE, ["NEY"], "long-enough-pw", "county"),
        ("ok", auth.COUNTY, ["Atlantis"], "long-enough-pw", "Atlantis"),
        ("ok", auth.COUNTY, ["NEY"], "short", "دست‌کم"),
        ("ok", auth.COUNTY, ["NEY"], " " * 20, "دست‌کم"),
        ("ney", auth.COUNTY, ["NEY"], "long-enough-pw", "از پیش"),
    ],
)
def test_bad_account_input_is_refused_with_a_persian_message(accounts, name, role, counties, password, fragment):
    with pytest.raises(auth.AuthError) as err:
        accounts.add(name, role, counties, password)
    assert fragment in str(err.value)


def test_counties_by_code_or_any_spelling():
    assert auth.resolve_counties(["شهرستان خليل آباد", "MSH", "neyshabur", "msh"]) == ("KHL", "MSH", "NEY")


def test_set_password_and_remove(accounts):
    accounts.set_password("ney", "A-new-password-9")
    assert accounts.authenticate("ney", PW_NEY) is None
    assert accounts.authenticate("ney", "A-new-password-9") is not None
    with pytest.raises(auth.AuthError):
        accounts.remove("admin")  # the last admin
    accounts.remove("ney")
    assert accounts.get("ney") is None
    with pytest.raises(auth.AuthError):
        accounts.remove("ney")


def test_concurrent_adds_lose_no_account(data_dir):
    s = auth.AccountStore(load(data_dir), hasher=FAST)
    names = [f"user{i}" for i in range(12)]
    threads = [threading.Thread(target=s.add, args=(n, auth.PROVINCE, (), "long-enough-pw")) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.name for a in s.list()] == sorted(names)


# ---- brute force ----------------------------------------------------------------------------------------
def _auth(data_dir, accounts, clock):
    settings = load(data_dir)
    return auth.Authenticator(settings, accounts, auth.RateLimiter.from_settings(settings, accounts.store, clock))


def test_lockout_per_account_refuses_even_the_right_password_then_lifts(data_dir, accounts):
    clock = Clock()
    a = _auth(data_dir, accounts, clock)
    for _ in range(5):
        r = a.login("ney", "guess-guess-guess", "10.0.0.1")
        assert r.account is None and r.message == texts.LOGIN_FAILED
    locked = a.login("ney", PW_NEY, "10.0.0.2")  # another client, the right password: still locked
    assert locked.account is None and "۱۵ دقیقه" in locked.message
    assert locked.retry_after > 0
    clock.t += 15 * 60 + 1
    assert a.login("ney", PW_NEY, "10.0.0.2").account is not None


def test_lockout_does_not_reveal_whether_an_account_exists(data_dir, accounts):
    clock = Clock()
    a = _auth(data_dir, accounts, clock)
    seen = {}
    for name in ("ney", "no-such-user"):
        seen[name] = [a.login(name, "guess-guess-guess", f"client-{name}").message for _ in range(6)]
    assert seen["ney"] == seen["no-such-user"]
    assert seen["ney"][0] == texts.LOGIN_FAILED and seen["ney"][-1] != texts.LOGIN_FAILED


def test_per_client_limit_stops_a_spray_over_many_names(data_dir, accounts):
    clock = Clock()
    a = _auth(data_dir, accounts, clock)
    for i in range(20):
        a.login(f"name{i}", "guess-guess-guess", "10.9.9.9")
    assert a.login("admin", PW_ADMIN, "10.9.9.9").account is None  # this client is locked out
    assert a.login("admin", PW_ADMIN, "10.1.1.1").account is not None  # others are not


def test_a_success_clears_the_account_count_but_not_the_clients(data_dir, accounts):
    clock = Clock()
    a = _auth(data_dir, accounts, clock)
    for _ in range(4):
        a.login("ney", "guess-guess-guess", "c")
    assert a.login("ney", PW_NEY, "c").account is not None
    for _ in range(4):
        assert a.login("ney", "guess-guess-guess", "c").message == texts.LOGIN_FAILED


def test_every_login_is_audited_without_the_password(data_dir, accounts):
    a = _auth(data_dir, accounts, Clock())
    a.login("ney", "not-the-password", "10.0.0.7")
    a.login("ney", PW_NEY, "10.0.0.7")
    a.login("ghost", "whatever-pw", "10.0.0.8")
    entries = audit.read(load(data_dir))[::-1]
    assert [(e["event"], e["account"], e["details"].get("reason")) for e in entries] == [
        ("login_failure", "ney", "bad_credentials"),
        ("login_success", "ney", None),
        ("login_failure", "unknown", "bad_credentials"),  # a name that is no account is never written
    ]
    assert entries[0]["details"]["client"] == "10.0.0.7"
    raw = dump(data_dir)
    assert PW_NEY not in raw and "not-the-password" not in raw and "whatever-pw" not in raw and "ghost" not in raw


def test_a_password_typed_into_the_name_field_is_not_logged(data_dir, accounts):
    a = _auth(data_dir, accounts, Clock())
    a.login(PW_NEY, PW_NEY, "10.0.0.7")
    assert PW_NEY.lower() not in dump(data_dir).lower()
    assert audit.read(load(data_dir))[0]["account"] == audit.UNKNOWN


def test_a_login_that_cannot_be_audited_does_not_happen(data_dir, accounts, monkeypatch):
    import sqlalchemy as sa

    def refuse(*_a, **_k):
        raise sa.exc.OperationalError("INSERT INTO audit_events", {}, OSError("disk full"))

    monkeypatch.setattr(audit, "append", refuse)
    a = _auth(data_dir, accounts, Clock())
    r = a.login("ney", PW_NEY, "c")
    assert r.account is None and "نوشتنی نیست" in r.message


# ---- sessions -------------------------------------------------------------------------------------------
def test_sessions_expire_after_idle_time_and_forged_tokens_mean_nothing(data_dir):
    clock = Clock()
    s = auth.Sessions(load(data_dir), clock)
    token = s.create("ney")
    assert s.check(token, 600) == ("ney", "ok")
    clock.t += 599
    assert s.check(token, 600) == ("ney", "ok")  # use restarts the idle clock
    clock.t += 601
    assert s.check(token, 600) == ("ney", "expired")
    assert s.check(token, 600) == (None, "none")  # gone for good
    for forged in ("ney", "", None, 42, {"name": "admin"}, token + "x"):
        assert s.check(forged, 600) == (None, "none")
    other = s.create("admin")
    s.end(other)
    assert s.check(other, 600) == (None, "none")
    assert len(token) >= 40


# ---- audit log ------------------------------------------------------------------------------------------
def test_audit_log_only_appends_and_its_chain_finds_edits(data_dir):
    import sqlalchemy as sa

    from karnama.access import registry

    settings = load(data_dir)
    audit.record("publish", "admin", settings=settings, snapshot="S1")
    audit.record("rollback", "admin", settings=settings, snapshot="S0", note="line\nbreak <script>")
    audit.record("export", "ney", settings=settings, format="pdf", scope=["NEY"])
    assert audit.verify(settings) == []
    entries = audit.read(settings)
    assert [e["event"] for e in entries] == ["export", "rollback", "publish"]
    assert [e["seq"] for e in entries] == [3, 2, 1]
    assert entries[1]["details"]["note"] == "line\nbreak <script>"
    # the app's own connection cannot change or remove an entry: the database refuses (a trigger)
    for sql in ("UPDATE audit_events SET account = 'eve' WHERE seq = 2", "DELETE FROM audit_events WHERE seq = 3"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with registry.open_store(settings).begin() as conn:
                conn.execute(sa.text(sql))
    assert audit.verify(settings) == []
    head = audit.head(settings)
    assert head["seq"] == 3
    # someone with the database itself edits the middle entry: its hash no longer matches
    tamper(settings, "UPDATE audit_events SET details = replace(details, 'S0', 'S9') WHERE seq = 2")
    assert audit.verify(settings) == [2]
    tamper(settings, "DELETE FROM audit_events WHERE seq = 2")  # an entry removed: a gap
    assert audit.verify(settings) == [3]
    # the tail cut off: the chain left is valid, but the head recorded elsewhere (a manifest) is gone
    tamper(settings, "DELETE FROM audit_events WHERE seq >= 2")
    assert audit.verify(settings) == []
    assert audit.check_heads(settings, [("S2", head)]) == [("S2", 3, "missing")]


def test_audit_entry_has_utc_and_jalali_tehran_time():
    import datetime as dt

    e = audit.entry("login_success", "ney", {"client": "c"}, now=dt.datetime(2023, 3, 21, 20, 45, tzinfo=dt.UTC))
    assert e["utc"] == "2023-03-21T20:45:00Z"
    assert e["jalali"] == "1402/01/02 00:15:00"  # Tehran is UTC+3:30: past midnight, 2 Farvardin 1402


def test_export_listener_records_scope_under_the_bound_actor(data_dir):
    from types import SimpleNamespace

    rec = SimpleNamespace(
        fmt="xlsx",
        snapshot_id="S1",
        year=1402,
        counties=(),
        scope=frozenset({"NEY"}),
        size=1234,
        data_dir=str(data_dir),
    )

    def in_a_run():
        audit.bind_actor("ney", client="10.0.0.3")
        audit.record_export(rec)

    t = threading.Thread(target=in_a_run)
    t.start()
    t.join()
    audit.record_export(rec)  # outside a bound run: the command-line operator
    new, old = audit.read(load(data_dir))
    assert old["account"] == "ney" and old["details"]["scope"] == ["NEY"] and old["details"]["client"] == "10.0.0.3"
    assert new["account"].startswith("cli") and new["details"]["format"] == "xlsx"


# ---- the query layer's bound scope -----------------------------------------------------------------------
def test_a_bound_scope_narrows_every_query_whatever_the_caller_asks(fixture_snapshot):
    out = {}

    def in_a_run():
        query._bind_scope({"NEY"})
        out["asked_msh"] = query.run(fixture_snapshot, "kpi_by_county", {"year": 1402, "counties": ["MSH"]})
        out["asked_all"] = query.run(fixture_snapshot, "kpi_by_county", {"year": 1402, "counties": []}, None)
        out["values"] = metrics.compute(fixture_snapshot, Filters(1402))

    t = threading.Thread(target=in_a_run)
    t.start()
    t.join()
    assert out["asked_msh"].empty
    assert set(out["asked_all"]["county_code"]) == {"NEY"}
    assert out["values"].current == metrics.compute(fixture_snapshot, Filters(1402), {"NEY"}).current
    # the binding belonged to that thread's run only
    assert len(query.run(fixture_snapshot, "kpi_by_county", {"year": 1402, "counties": []})) == 34


# ---- command line ---------------------------------------------------------------------------------------
def _cli(monkeypatch, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_users_cli_add_list_set_password_remove(monkeypatch, capsys, data_dir):
    d = ["--data-dir", str(data_dir)]
    assert _cli(monkeypatch, ["users", "add", "Boss", "--role", "admin", *d], f"{PW_ADMIN}\n{PW_ADMIN}\n") == 0
    assert (
        _cli(
            monkeypatch,
            ["users", "add", "ney", "--role", "county", "--county", "نیشابور", "TRH", *d],
            f"{PW_NEY}\n{PW_NEY}\n",
        )
        == 0
    )
    capsys.readouterr()
    assert _cli(monkeypatch, ["users", "list", "--json", *d]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["name"], a["role"], a["counties"]) for a in listed] == [
        ("boss", "admin", []),
        ("ney", "county", ["NEY", "TRH"]),
    ]
    assert "argon2" not in json.dumps(listed)
    store = auth.AccountStore(load(data_dir), hasher=FAST)
    assert store.authenticate("ney", PW_NEY) is not None
    assert _cli(monkeypatch, ["users", "set-password", "ney", *d], "Second-password-7\nSecond-password-7\n") == 0
    assert store.authenticate("ney", "Second-password-7") is not None and store.authenticate("ney", PW_NEY) is None
    assert _cli(monkeypatch, ["users", "remove", "ney", *d]) == 0
    assert store.get("ney") is None
    events = [(e["event"], e["details"].get("target")) for e in audit.read(load(data_dir))][::-1]
    assert events == [("user_add", "boss"), ("user_add", "ney"), ("user_password", "ney"), ("user_remove", "ney")]
    assert PW_NEY not in dump(data_dir)


def test_users_cli_refuses_mismatched_short_or_argv_passwords(monkeypatch, capsys, data_dir):
    d = ["--data-dir", str(data_dir)]
    assert _cli(monkeypatch, ["users", "add", "a", "--role", "admin", *d], "Long-password-1\nLong-password-2\n") == 2
    assert "یکسان نیستند" in capsys.readouterr().err
    assert _cli(monkeypatch, ["users", "add", "a", "--role", "admin", *d], "short\nshort\n") == 2
    assert _cli(monkeypatch, ["users", "add", "a", "--role", "county", *d], "Long-password-1\nLong-password-1\n") == 2
    assert _cli(monkeypatch, ["users", "set-password", "ghost", *d], "Long-password-1\nLong-password-1\n") == 2
    with pytest.raises(SystemExit):  # there is no way to pass a password as an argument
        _cli(monkeypatch, ["users", "add", "a", "--role", "admin", "--password", "Long-password-1", *d])
    assert auth.AccountStore(load(data_dir), hasher=FAST).list() == []


def test_kpis_for_a_county_user_obey_its_scope(monkeypatch, capsys, store, fixture_snapshot):
    d = ["--data-dir", str(store.root)]
    _cli(monkeypatch, ["users", "add", "ney", "--role", "county", "--county", "NEY", *d], f"{PW_NEY}\n{PW_NEY}\n")
    capsys.readouterr()
    assert _cli(monkeypatch, ["kpis", "--year", "1402", "--user", "ney", "--json", *d]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = metrics.compute(fixture_snapshot, Filters(1402), {"NEY"}).as_json_values()
    assert out["values"] == expected and out["scope"] == ["NEY"] and out["county"] is None
    # worked by hand from tests/fixtures.py: Neyshabur has 0 stabilised SE jobs (Mashhad 2) and a target of 2
    assert out["values"]["se_stabilised"] == 0 and out["values"]["se_target"] == 2
    assert out["values"]["incentive_stabilisation_total"] == 0  # the province has 8, all in Mashhad
    assert out["values"]["centre_employment_target"] is None  # the province-wide target is not theirs
    assert metrics.compute(fixture_snapshot, Filters(1402)).targets["centre_employment_target"] == 10
    for other in ("MSH", "مشهد"):
        assert _cli(monkeypatch, ["kpis", "--year", "1402", "--user", "ney", "--county", other, *d]) == 2
        assert "در محدودهٔ حساب" in capsys.readouterr().err
    assert _cli(monkeypatch, ["kpis", "--year", "1402", "--user", "ghost", *d]) == 2
