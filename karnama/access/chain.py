"""The audit chain's primitives: an entry (UTC and Jalali time, event, account, bounded details), its hash over
the previous one, and appending entries to ``audit_events`` under the chain lock. Used by :mod:`audit` and by the
one-time copy of old files (:mod:`legacy`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

import jdatetime
import sqlalchemy as sa

from karnama.access import store as db

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))  # Iran keeps standard time all year since 2022
_MAX_TEXT = 500


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


def canonical(details: object) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev: str, seq: int, item: dict) -> str:
    """SHA-256 over the previous row's hash and this row's number, times, event, account and details."""
    body = json.dumps(
        [seq, item["utc"], item["jalali"], item["event"], item.get("account"), canonical(item.get("details", {}))],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


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


def append(conn: sa.Connection, store: db.Store, items: Iterable[dict]) -> list[dict]:
    """Append entries to the chain inside the caller's transaction (taking the chain lock first)."""
    store.lock_chain(conn)
    t = db.audit_events
    last = conn.execute(sa.select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq, last.hash) if last else (0, "")
    out = []
    for item in items:
        seq += 1
        digest = chain_hash(prev, seq, item)
        conn.execute(
            t.insert().values(
                seq=seq,
                utc=item["utc"],
                jalali=item["jalali"],
                event=item["event"],
                account=item.get("account"),
                details=canonical(item.get("details", {})),
                prev=prev,
                hash=digest,
            )
        )
        out.append({**item, "seq": seq, "prev": prev, "hash": digest})
        prev = digest
    return out
