"""The audit log in the web layer: audited downloads, recorded writes, and the admin's audit view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from karnama.access import audit
from karnama.access.chain import TEHRAN
from karnama.core import fa, texts
from karnama.core.settings import load
from karnama.data import query
from karnama.data.snapshots import SnapshotStore
from karnama.importer import cells
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


PAGE_SIZE = 50


def audit_panel(store: SnapshotStore | None = None, page_size: int = PAGE_SIZE) -> None:
    """The audit log for admins (newest first): a check of its hash chain and of the chain heads recorded in the
    snapshots' manifests (a cut tail), the current head, filters by account, event and date, and pages through
    every entry. Draws nothing for others."""
    store = store or state.store()
    if not current(store).is_admin:
        return
    settings = load(store.root)
    st.subheader(texts.AUDIT_TITLE, anchor=False)
    total = audit.count(settings)
    if not total:
        st.info(texts.AUDIT_EMPTY, icon=":material/inbox:")
        return
    broken = audit.verify(settings)
    cut = audit.check_heads(settings, audit.recorded_heads(store.root))
    if broken:
        shown = fa.digits("، ".join(map(str, broken[:20])))
        st.error(texts.AUDIT_TAMPERED_SEQ.format(lines=shown), icon=":material/gpp_bad:")
    for where, seq, why in cut[:5]:
        st.error(
            texts.AUDIT_HEAD_MISSING.format(snapshot=where, seq=fa.num(seq), why=why), icon=":material/content_cut:"
        )
    if not broken and not cut:
        st.caption(texts.AUDIT_INTACT.format(n=fa.num(total)))
    top = audit.head(settings)
    if top:
        st.caption(texts.AUDIT_HEAD.format(seq=fa.num(top["seq"]), hash=top["hash"][:16]))
    c1, c2, c3, c4 = st.columns([1.2, 2, 1, 1])
    accounts = [""] + audit.accounts_seen(settings)
    account = c1.selectbox(
        texts.AUDIT_FILTER_ACCOUNT,
        accounts,
        key="audit_account",
        format_func=lambda a: a or texts.AUDIT_ALL_ACCOUNTS,
    )
    chosen = c2.multiselect(
        texts.AUDIT_FILTER_EVENTS,
        list(audit.EVENTS),
        format_func=lambda k: audit.EVENTS.get(k, str(k)),
        key="audit_events",
        placeholder=texts.AUDIT_ALL_EVENTS,
    )
    first = _jalali_day(c3.text_input(texts.AUDIT_FILTER_FROM, **_DAY_BOX, key="audit_since"))
    last = _jalali_day(c4.text_input(texts.AUDIT_FILTER_TO, **_DAY_BOX, key="audit_until"))
    since = _tehran_midnight(first) if first else None
    until = _tehran_midnight(last + dt.timedelta(days=1)) if last else None
    filters: dict = {"account": account or None, "events": chosen, "since": since, "until": until}
    n = audit.count(settings, **filters)
    pages = max(1, -(-n // page_size))
    page = st.selectbox(texts.AUDIT_PAGE, range(1, pages + 1), format_func=fa.num, key="audit_page") or 1
    page = min(max(1, page), pages)
    st.caption(texts.AUDIT_PAGE_OF.format(page=fa.num(page), pages=fa.num(pages), n=fa.num(n)))
    rows = audit.read(settings, limit=page_size, offset=(page - 1) * page_size, **filters)
    if rows:
        plain.table(audit_frame(rows).set_index(texts.AUDIT_COL_TIME))  # names typed by anyone: plain text
    else:
        st.info(texts.AUDIT_NONE_MATCH, icon=":material/filter_alt_off:")


_DAY_BOX: dict = {"max_chars": 10, "placeholder": texts.AUDIT_DATE_PLACEHOLDER}


def _jalali_day(typed: str) -> dt.date | None:
    """A Jalali day typed in a filter box (۱۴۰۳/۰۸/۱۵, 1403-8-15), as a Gregorian date; a day that does not read
    is said so (under the filters, full width) and not applied."""
    if not typed.strip():
        return None
    try:
        return cells.parse_date(typed.strip())
    except cells.CellError as exc:
        plain.warning(texts.AUDIT_BAD_DATE.format(value=typed.strip(), reason=exc.reason), icon=":material/event_busy:")
        return None


def _tehran_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Tehran, in UTC (the log's times are UTC; the person reads Tehran days)."""
    return dt.datetime.combine(day, dt.time(), TEHRAN).astimezone(dt.UTC)


def audit_frame(entries: list[dict]) -> pd.DataFrame:
    """Audit entries as a table of Persian text (Jalali time in Persian digits, event names in Persian). The raw
    UTC stamp is for machines (the log file), not for the person reading this table."""

    def details(e: dict) -> str:
        raw = e.get("details")
        d: dict = raw if isinstance(raw, dict) else {}
        return "، ".join(f"{texts.AUDIT_DETAIL_KEYS.get(k, k)}: {detail_value(k, v)}" for k, v in d.items())

    return pd.DataFrame(
        {
            texts.AUDIT_COL_SEQ: [fa.num(e["seq"]) if isinstance(e.get("seq"), int) else "—" for e in entries],
            texts.AUDIT_COL_TIME: [fa.digits(str(e.get("jalali", "—"))) for e in entries],
            texts.AUDIT_COL_EVENT: [audit.EVENTS.get(str(e.get("event")), str(e.get("event"))) for e in entries],
            texts.AUDIT_COL_ACCOUNT: [
                texts.AUDIT_UNKNOWN_ACCOUNT if e.get("account") == audit.UNKNOWN else str(e.get("account") or "—")
                for e in entries
            ],
            texts.AUDIT_COL_DETAILS: [details(e) for e in entries],
        }
    )


def detail_value(key: str, value: object) -> str:
    """One detail of an entry as a Persian reader reads it: numbers in Persian digits, known words (roles, scope
    «all», export formats, reasons) in Persian, lists joined; anything else as recorded (plain text)."""
    if isinstance(value, list):
        return "، ".join(detail_value(key, v) for v in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return texts.AUDIT_YES if value else texts.AUDIT_NO
    if isinstance(value, (int, float)):
        return fa.num(value)
    text = str(value)
    known = texts.AUDIT_DETAIL_VALUES.get(key, {})
    return known.get(text, fa.digits(text) if key in _DIGIT_KEYS else text)


# Details whose text is a number or date written by the app (not typed by anyone): shown in Persian digits.
_DIGIT_KEYS = frozenset({"year", "note", "as_of", "due", "window_minutes", "minutes"})
