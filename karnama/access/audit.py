"""The audit log: one row per event (logins, publish, rollback, exports, account changes) in the state store's
``audit_events`` table, only appended, hash-chained.

* Append-only: the database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit rows with a trigger
  made by the migration.
* Hash chain: rows are numbered 1, 2, 3… without gaps; each holds the hash of the row before (``prev``) and its
  own SHA-256 over ``prev`` and its content, so :func:`verify` finds an edited, removed, inserted or reordered
  row. Appenders take one lock (SQLite's write lock, a PostgreSQL advisory lock), so app processes writing at
  once still make one chain.
* Truncation: cutting the tail leaves a shorter, valid chain. So the head (number and hash of the newest row) is
  written into every new snapshot's manifest (:func:`head` via a snapshot manifest hook) and shown on the admin
  view; :func:`check_heads` compares the chain with every recorded head.
* Flooding: failed logins on names that are no account, and logins refused by a lockout, are counted per client
  and written once per window (:func:`record_login_failure`), with at most ``QUIET_GLOBAL`` such rows per window
  from all clients together; the typed name is never written unless it is an account.

Entries hold the time in UTC and in the Jalali calendar (Tehran time), the account and details; never a password.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import getpass
import json
import logging
import time
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from karnama.access import legacy
from karnama.access import registry as stores
from karnama.access import store as db
from karnama.access.chain import TEHRAN, append, chain_hash, entry  # noqa: F401  (re-exported)
from karnama.core import texts
from karnama.core.settings import Settings, load
from karnama.data import snapshots

EVENTS = {
    "login_success": texts.AUDIT_EV_LOGIN_SUCCESS,
    "login_failure": texts.AUDIT_EV_LOGIN_FAILURE,
    "logout": texts.AUDIT_EV_LOGOUT,
    "session_expired": texts.AUDIT_EV_SESSION_EXPIRED,
    "view_as": texts.AUDIT_EV_VIEW_AS,
    "publish": texts.AUDIT_EV_PUBLISH,
    "rollback": texts.AUDIT_EV_ROLLBACK,
    "export": texts.AUDIT_EV_EXPORT,
    "user_add": texts.AUDIT_EV_USER_ADD,
    "user_remove": texts.AUDIT_EV_USER_REMOVE,
    "user_password": texts.AUDIT_EV_USER_PASSWORD,
    "login_failures": texts.AUDIT_EV_LOGIN_FAILURES,
    "migrated": texts.AUDIT_EV_MIGRATED,
    "note_added": texts.AUDIT_EV_NOTE_ADDED,
    "decision_added": texts.AUDIT_EV_DECISION_ADDED,
    "decision_state": texts.AUDIT_EV_DECISION_STATE,
}
UNKNOWN = "unknown"  # the account written for a failed login on a name that is no account
QUIET_GLOBAL = 20  # at most this many rows about anonymous/refused failures per window, from all clients
_log = logging.getLogger("karnama.access.audit")


class AuditError(OSError):
    """The audit log cannot be written; the message is Persian."""


# Who events of the current run are recorded under when the caller names nobody (exports): the login gate binds
# the signed-in account for each Streamlit run; a command-line run stays ``cli:<os user>``.
_ACTOR: contextvars.ContextVar[dict | None] = contextvars.ContextVar("karnama_audit_actor", default=None)


def bind_actor(account: str | None, **details) -> None:
    """Name the account (and details such as the client) for events recorded later in this run."""
    _ACTOR.set({"account": account, **details})


def actor() -> dict | None:
    """What :func:`bind_actor` bound in this context, to carry into a thread that makes a file later."""
    value = _ACTOR.get()
    return dict(value) if value else None


def cli_account() -> str:
    """The account name the audit log records for a command run on the server: ``cli:<os user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def audit_path(settings: Settings) -> Path:
    """The old JSON-lines audit file (copied into the store once): ``audit_file`` or ``<data dir>/audit.log``."""
    return legacy.audit_file(settings)


def _store(settings: Settings | None, data_dir: Path | str | None, store: db.Store | None = None) -> db.Store:
    return store or stores.open_store(settings or load(data_dir))


def record(
    event: str,
    account: str | None,
    *,
    settings: Settings | None = None,
    data_dir: Path | str | None = None,
    store: db.Store | None = None,
    **details,
) -> dict:
    """Append one entry; AuditError if the log cannot be written (callers refuse the action then)."""
    item = entry(event, account, details)
    try:
        st = _store(settings, data_dir, store)
        with st.begin() as conn:
            return append(conn, st, [item])[0]
    except (sa.exc.SQLAlchemyError, db.StoreError, OSError) as exc:
        _log.error("audit log not written: %s", exc)
        where = st.safe_url() if "st" in locals() else "?"
        raise AuditError(texts.AUDIT_UNWRITABLE.format(path=where)) from exc


def try_record(event: str, account: str | None, **kwargs) -> AuditError | None:
    """:func:`record`, returning the error instead of raising, for events that must not be blocked by an
    unwritable log (a refused login, a logout, a change already made)."""
    try:
        record(event, account, **kwargs)
    except AuditError as exc:
        return exc
    return None


def record_login_failure(
    settings: Settings,
    account: str | None,
    client: str,
    reason: str,
    *,
    window: float = 900.0,
    store: db.Store | None = None,
    now: float | None = None,
) -> bool:
    """Write a failed login; True if a row was written. A failure on an existing account (``account`` given) is
    written each time (its lockout bounds them). One on a name that is no account, or one refused by a lockout,
    is counted per client and reason: the first in a window is written (with how many the window before held),
    later ones only counted; at most QUIET_GLOBAL such rows per window in all."""
    now = time.time() if now is None else now
    try:
        st = _store(settings, None, store)
        with st.begin() as conn:
            if account is not None and reason == "bad_credentials":
                append(conn, st, [entry("login_failure", account, {"client": client, "reason": reason})])
                return True
            q = db.audit_quiet
            st.lock_chain(conn)  # counters and chain under the one lock: no two processes both "first"
            written = False
            extra: dict = {}
            for key, cap in ((f"{reason}:{client}"[:80], 1), ("*", QUIET_GLOBAL)):
                row = conn.execute(sa.select(q.c.window_start, q.c.count.label("n")).where(q.c.key == key)).first()
                if row is None or now - row.window_start >= window:
                    conn.execute(q.delete().where(q.c.key == key))
                    conn.execute(q.insert().values(key=key, window_start=now, count=1))
                    if key != "*" and row is not None and row.n > 1:
                        extra["earlier_uncounted"] = row.n - 1
                    allowed = True
                else:
                    conn.execute(q.update().where(q.c.key == key).values(count=row.n + 1))
                    allowed = row.n < cap
                if not allowed:
                    return False
                written = allowed
            if written:
                details = {"client": client, "reason": reason, "window_minutes": round(window / 60), **extra}
                append(conn, st, [entry("login_failure", UNKNOWN, details)])
            return written
    except (sa.exc.SQLAlchemyError, db.StoreError, OSError) as exc:
        _log.error("failed login not audited: %s", exc)
        return False


def _row_dict(row) -> dict:
    try:
        details = json.loads(row.details)
    except ValueError:
        details = {"unreadable": row.details[:200]}
    return {
        "seq": row.seq,
        "utc": row.utc,
        "jalali": row.jalali,
        "event": row.event,
        "account": row.account,
        "details": details,
        "prev": row.prev,
        "hash": row.hash,
    }


def _where(
    account: str | None = None,
    events: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list:
    t = db.audit_events
    cond = []
    if account:
        cond.append(t.c.account == account)
    events = list(events or [])
    if events:
        cond.append(t.c.event.in_(events))
    if since:
        cond.append(t.c.utc >= since.isoformat())
    if until:
        cond.append(t.c.utc < (until + dt.timedelta(days=1)).isoformat())
    return cond


def read(
    settings: Settings,
    limit: int | None = None,
    offset: int = 0,
    *,
    account: str | None = None,
    events: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict]:
    """Entries, newest first, filtered by account, events and UTC date range (inclusive), paged."""
    t = db.audit_events
    st = stores.open_store(settings)
    q = sa.select(t).where(*_where(account, events, since, until)).order_by(t.c.seq.desc()).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    with st.begin() as conn:
        return [_row_dict(r) for r in conn.execute(q)]


def count(settings: Settings, **filters) -> int:
    """How many entries match the filters of :func:`read`."""
    t = db.audit_events
    with stores.open_store(settings).begin() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t).where(*_where(**filters))).scalar() or 0


def accounts_seen(settings: Settings) -> list[str]:
    """Every account name in the log (for the admin view's filter)."""
    t = db.audit_events
    with stores.open_store(settings).begin() as conn:
        rows = conn.execute(sa.select(t.c.account).where(t.c.account.is_not(None)).distinct()).scalars()
        return sorted(rows)


def verify(settings: Settings) -> list[int]:
    """Numbers of the rows that break the chain: a gap in the numbering, a ``prev`` that is not the hash of the
    row before, or a hash that does not match the row (an edit)."""
    t = db.audit_events
    bad: list[int] = []
    prev, expected = "", 1
    with stores.open_store(settings).begin() as conn:
        rows = conn.execution_options(yield_per=2000).execute(sa.select(t).order_by(t.c.seq))
        for row in rows:
            item = _row_dict(row)
            if row.seq != expected or row.prev != prev or row.hash != chain_hash(row.prev, row.seq, item):
                bad.append(row.seq)
            prev, expected = row.hash, row.seq + 1
    return bad


def head(settings: Settings) -> dict | None:
    """The newest row's number and hash (what a snapshot's manifest records), or None for an empty log."""
    t = db.audit_events
    with stores.open_store(settings).begin() as conn:
        row = conn.execute(sa.select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
    return {"seq": row.seq, "hash": row.hash} if row else None


def check_heads(settings: Settings, heads: Iterable[tuple[str, dict]]) -> list[tuple[str, int, str]]:
    """(where, seq, why) for every recorded head the chain no longer holds: a cut tail ("missing") or a row
    that differs from what was recorded ("changed")."""
    t = db.audit_events
    out = []
    with stores.open_store(settings).begin() as conn:
        for where, recorded in heads:
            try:
                seq, digest = int(recorded["seq"]), str(recorded["hash"])
            except (KeyError, TypeError, ValueError):
                continue
            row = conn.execute(sa.select(t.c.hash).where(t.c.seq == seq)).first()
            if row is None:
                out.append((where, seq, "missing"))
            elif row.hash != digest:
                out.append((where, seq, "changed"))
    return out


def recorded_heads(root: Path) -> list[tuple[str, dict]]:
    """The audit heads recorded in the manifests of the snapshots in a data directory."""
    out = []
    for sid in snapshots.SnapshotStore(root).ids():
        try:
            manifest = json.loads((Path(root) / "snapshots" / sid / snapshots.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and isinstance(manifest.get("audit_head"), dict):
            out.append((sid, manifest["audit_head"]))
    return out


def manifest_head(root: Path) -> dict:
    """``{"audit_head": …}`` for a new snapshot's manifest: the chain's head now (None for an empty or unreadable
    log). The importer passes it to every publish, so a later cut of the tail is found (:func:`check_heads`)."""
    try:
        settings = load(root)
        if not db.exists(settings):  # no store yet means no event yet (and a publish does not create one)
            return {"audit_head": None}
        return {"audit_head": head(settings)}
    except Exception as exc:  # a publish must not fail because the log is unreachable
        _log.warning("audit head not recorded in the manifest: %s", exc)
        return {"audit_head": None}


def record_export(rec) -> None:
    """Called by ``exports.build_export``: every export with its year, counties and scope. Raises AuditError
    when the log cannot be written, which refuses the export (build_export calls listeners before returning)."""
    actor = dict(_ACTOR.get() or {"account": cli_account()})
    account = actor.pop("account", None)
    scope = getattr(rec, "scope", None)
    record(
        "export",
        account,
        data_dir=getattr(rec, "data_dir", None),
        format=rec.fmt,
        snapshot=rec.snapshot_id,
        year=rec.year,
        counties=list(rec.counties),
        scope=sorted(scope) if scope is not None else "all",
        bytes=rec.size,
        **actor,
    )
