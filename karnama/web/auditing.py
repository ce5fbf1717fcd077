"""The audit log in the web layer: audited downloads, recorded writes, and the admin's audit view."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from karnama.access import audit
from karnama.core import fa, texts
from karnama.core.settings import load
from karnama.data import query
from karnama.data.snapshots import SnapshotStore
from karnama.web import plain, state
from karnama.web.gate import Access, current
from karnama.web.state import client_address


def audited_download(fmt: str, name: str, make: Callable[[], bytes], **details) -> Callable[[], bytes]:
    """A deferred ``st.download_button`` data callable that writes the export to the audit log, then makes the
    file (Streamlit calls it on another thread, so who is looking, the data dir and the scope are taken now).
    A log that cannot be written refuses the download."""
    actor = audit.actor() or {"account": None}
    account = actor.pop("account", None)
    settings = load(state.store().root)
    scope = query.session_scope()
    details.setdefault("scope", sorted(scope) if scope is not None else "all")

    def audited() -> bytes:
        audit.record("export", account, settings=settings, format=fmt, table=name, **actor, **details)
        return make()

    return audited


def record_write(event: str, store: SnapshotStore, access: Access, **details) -> None:
    """Write a done write (publish, rollback) to the audit log; if the log cannot be written, say so on screen
    (the write itself has happened and is also recorded in the snapshot's manifest)."""
    try:
        audit.record(event, access.account_name, settings=load(store.root), client=client_address(), **details)
    except audit.AuditError as exc:
        plain.error(exc, icon=":material/error:")


def audit_panel(store: SnapshotStore | None = None, limit: int = 300) -> None:
    """The audit log for admins (newest first), with a check of its hash chain; draws nothing for others."""
    store = store or state.store()
    if not current(store).is_admin:
        return
    settings = load(store.root)
    st.subheader(texts.AUDIT_TITLE, anchor=False)
    broken = audit.verify(settings)
    entries = audit.read(settings, limit=limit)
    if not entries:
        st.info(texts.AUDIT_EMPTY, icon=":material/inbox:")
        return
    if broken:
        st.error(
            texts.AUDIT_TAMPERED.format(lines=fa.digits(", ".join(map(str, broken[:20])))), icon=":material/gpp_bad:"
        )
    else:
        st.caption(texts.AUDIT_INTACT.format(n=fa.num(len(audit.read(settings)))))
    kinds = sorted({e.get("event", "") for e in entries} & set(audit.EVENTS), key=list(audit.EVENTS).index)
    chosen = st.multiselect(
        texts.AUDIT_FILTER_EVENTS,
        kinds,
        format_func=audit.EVENTS.get,
        key="audit_events",
        placeholder=texts.AUDIT_ALL_EVENTS,
    )
    rows = [e for e in entries if not chosen or e.get("event") in chosen]
    plain.table(audit_frame(rows).set_index(texts.AUDIT_COL_TIME))  # names typed by anyone: plain text


def audit_frame(entries: list[dict]) -> pd.DataFrame:
    """Audit entries as a table of Persian text (Jalali time in Persian digits, event names in Persian)."""

    def value(v: object) -> str:
        if isinstance(v, list):
            return "، ".join(map(str, v)) or "—"
        return "—" if v is None else str(v)

    def details(e: dict) -> str:
        d = e.get("details") if isinstance(e.get("details"), dict) else {}
        return " | ".join(f"{k}: {value(v)}" for k, v in d.items())

    return pd.DataFrame(
        {
            texts.AUDIT_COL_TIME: [fa.digits(str(e.get("jalali", "—"))) for e in entries],
            texts.AUDIT_COL_EVENT: [audit.EVENTS.get(str(e.get("event")), str(e.get("event"))) for e in entries],
            texts.AUDIT_COL_ACCOUNT: [str(e.get("account") or "—") for e in entries],
            texts.AUDIT_COL_DETAILS: [details(e) for e in entries],
            texts.AUDIT_COL_UTC: [str(e.get("utc", "—")) for e in entries],
        }
    )
