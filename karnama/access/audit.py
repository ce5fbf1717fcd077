"""The audit log: one JSON line per event (logins, publish, rollback, exports, account changes), only appended.

The file (``<data dir>/audit.log`` or ``audit_file`` from the settings) is opened in append mode only, each
entry is one ``write`` of one line under an exclusive lock and is fsynced. Each line carries the SHA-256 of the
line before it, so :func:`verify` finds an edited, removed or reordered line. Entries hold the time in UTC and
in the Jalali calendar (Tehran time), the account and details; never a password.

Example line::

    {"utc": "2026-11-28T10:15:02Z", "jalali": "1405/09/07 13:45:02", "event": "export", "account": "ney",
     "details": {"format": "xlsx", "counties": ["NEY"]}, "prev": "9f2c…"}
"""

from __future__ import annotations

import contextvars
import datetime as dt
import fcntl
import getpass
import hashlib
import json
import os
from pathlib import Path

import jdatetime

from karnama.core import texts
from karnama.core.settings import Settings, load

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
}
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))  # Iran keeps standard time all year since 2022
_MAX_TEXT = 500


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
    """``audit_file`` from the settings (relative to the data dir) or ``<data dir>/audit.log``."""
    if settings.audit_file:
        path = Path(settings.audit_file).expanduser()
        return path if path.is_absolute() else settings.data_dir / path
    return settings.data_dir / "audit.log"


def _clean(value: object, depth: int = 0) -> object:
    """JSON-safe, bounded details: long text is cut, unknown objects become their text."""
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)) and depth < 2:
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        return [_clean(v, depth + 1) for v in items[:100]]
    if isinstance(value, dict) and depth < 2:
        return {str(k)[:64]: _clean(v, depth + 1) for k, v in list(value.items())[:50]}
    return str(value)[:_MAX_TEXT]


def _last_line(f) -> bytes:
    f.seek(0, os.SEEK_END)
    end = f.tell()
    pos, chunk = end, b""
    while pos > 0:
        step = min(4096, pos)
        pos -= step
        f.seek(pos)
        chunk = f.read(step) + chunk
        body = chunk.rstrip(b"\n")
        if b"\n" in body:
            return body.rsplit(b"\n", 1)[1]
    return chunk.rstrip(b"\n")


def _digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest() if line else ""


def entry(event: str, account: str | None, details: dict, now: dt.datetime | None = None) -> dict:
    """The entry as written (without ``prev``): UTC and Jalali (Tehran) time, event, account, details."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    local = jdatetime.datetime.fromgregorian(datetime=now.astimezone(TEHRAN).replace(tzinfo=None))
    return {
        "utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "jalali": local.strftime("%Y/%m/%d %H:%M:%S"),
        "event": str(event)[:64],
        "account": None if account is None else str(account)[:64],
        "details": _clean(details),
    }


def record(
    event: str, account: str | None, *, settings: Settings | None = None, data_dir: Path | str | None = None, **details
) -> dict:
    """Append one entry; AuditError if the log cannot be written (callers refuse the action then)."""
    settings = settings or load(data_dir)
    path = audit_path(settings)
    item = entry(event, account, details)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with open(path, "rb") as reader:
                item["prev"] = _digest(_last_line(reader))
            line = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            os.write(fd, line)
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
    except OSError as exc:
        raise AuditError(texts.AUDIT_UNWRITABLE.format(path=path)) from exc
    return item


def try_record(event: str, account: str | None, **kwargs) -> AuditError | None:
    """:func:`record`, returning the error instead of raising, for events that must not be blocked by an
    unwritable log (a refused login, a logout, a change already made)."""
    try:
        record(event, account, **kwargs)
    except AuditError as exc:
        return exc
    return None


def read(settings: Settings, limit: int | None = None) -> list[dict]:
    """Entries, newest first (at most ``limit``); a damaged line comes back as an ``unreadable`` entry."""
    path = audit_path(settings)
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    out: list[dict] = []
    for raw in reversed(lines):
        if limit is not None and len(out) >= limit:
            break
        try:
            item = json.loads(raw)
            if not isinstance(item, dict):
                raise ValueError
        except ValueError:
            item = {"event": "unreadable", "details": {}}
        out.append(item)
    return out


def verify(settings: Settings) -> list[int]:
    """Line numbers (1-based) whose ``prev`` does not match the line before: edits, removals, insertions."""
    path = audit_path(settings)
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    bad, prev = [], b""
    for i, raw in enumerate(lines, 1):
        try:
            stated = json.loads(raw).get("prev")
        except (ValueError, AttributeError):
            stated = None
        if stated != _digest(prev):
            bad.append(i)
        prev = raw
    return bad


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
