"""One-time copy of the old files into the state store: ``users.json`` (accounts) and the JSON-lines audit log.

Runs automatically the first time a process opens the store for a data directory that still has the files. Each
file is copied inside one transaction (under the chain lock, so two processes starting at once copy it once),
then renamed to ``<name>.migrated-<UTC time>.bak`` (kept: the backup), and a message goes to the log and, as a
``migrated`` event, into the audit chain itself (with the old file's SHA-256 and whether its own chain held).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from pathlib import Path

import sqlalchemy as sa

from karnama.access import chain
from karnama.access import store as db
from karnama.core.settings import Settings, load

_log = logging.getLogger("karnama.access.legacy")


def users_file(settings: Settings) -> Path:
    """The old account file: ``users_file`` (relative to the data dir) or ``<data dir>/users.json``."""
    return _under(settings, settings.users_file, "users.json")


def audit_file(settings: Settings) -> Path:
    """The old JSON-lines audit log: ``audit_file`` (relative to the data dir) or ``<data dir>/audit.log``."""
    return _under(settings, settings.audit_file, "audit.log")


def _under(settings: Settings, configured: str | None, default: str) -> Path:
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else settings.data_dir / path
    return settings.data_dir / default


def _backup(path: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.migrated-{stamp}.bak")
    os.replace(path, dest)
    os.chmod(dest, 0o600)
    return dest


def _old_chain_breaks(lines: list[bytes]) -> list[int]:
    bad, prev = [], b""
    for i, raw in enumerate(lines, 1):
        try:
            stated = json.loads(raw).get("prev")
        except (ValueError, AttributeError):
            stated = None
        if stated != (hashlib.sha256(prev).hexdigest() if prev else ""):
            bad.append(i)
        prev = raw
    return bad


def migrate_files(store: db.Store, data_dir: Path) -> list[str]:
    """Copy the old account file and audit log into the store if they are still there; the messages written."""
    settings = load(data_dir)
    messages: list[str] = []
    users, log = users_file(settings), audit_file(settings)
    if not users.is_file() and not log.is_file():
        return messages
    with store.engine.begin() as conn:
        store.lock_chain(conn)
        if users.is_file():  # checked again under the lock: another process may have done it
            raw = json.loads(users.read_text(encoding="utf-8"))
            accounts = raw.get("accounts", {}) if isinstance(raw, dict) else {}
            t = db.accounts
            have = set(conn.execute(sa.select(t.c.name)).scalars())
            copied = []
            for name, rec in sorted(accounts.items()):
                if name in have or not isinstance(rec, dict) or rec.get("role") not in db.ROLES:
                    continue
                conn.execute(
                    t.insert().values(
                        name=name,
                        role=rec["role"],
                        counties=json.dumps([c for c in rec.get("counties") or [] if isinstance(c, str)]),
                        password_hash=str(rec.get("hash", "")),
                        created_utc=str(rec.get("created_utc", "")),
                        password_changed_utc=str(rec.get("password_changed_utc", "")),
                    )
                )
                copied.append(name)
            backup = _backup(users)
            messages.append(f"{len(copied)} accounts copied from {users} into {store.safe_url()}; backup: {backup}")
            chain.append(conn, store, [chain.entry("migrated", "system", {"file": "users", "accounts": copied})])
        if log.is_file():
            data = log.read_bytes()
            lines = [x for x in data.splitlines() if x.strip()]
            items: list[dict] = []
            for raw in lines:
                try:
                    old = json.loads(raw)
                    if not isinstance(old, dict):
                        raise ValueError
                    items.append(
                        {
                            "utc": str(old.get("utc", ""))[:24],
                            "jalali": str(old.get("jalali", ""))[:24],
                            "event": str(old.get("event", "?"))[:64],
                            "account": None if old.get("account") is None else str(old["account"])[:64],
                            "details": old.get("details") if isinstance(old.get("details"), dict) else {},
                        }
                    )
                except ValueError:
                    items.append(chain.entry("unreadable", None, {"line": raw[:200].decode("utf-8", "replace")}))
            chain.append(conn, store, items)
            backup = _backup(log)
            details = {
                "file": "audit",
                "events": len(items),
                "sha256": hashlib.sha256(data).hexdigest(),
                "old_chain_breaks": _old_chain_breaks(lines)[:50],
            }
            chain.append(conn, store, [chain.entry("migrated", "system", details)])
            messages.append(f"{len(items)} audit events copied from {log} into {store.safe_url()}; backup: {backup}")
    for m in messages:
        _log.warning("%s", m)
    return messages
