"""The data page's Streamlit pieces: template download, upload and check report, publish; snapshot history
with "as of", diff and rollback.

The two writes (:func:`publish_upload`, :func:`rollback_to`) are separate functions, only reached when the
caller passes ``can_write=True``, so access control can gate them in one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd
import streamlit as st

from karnama import metrics
from karnama.core import fa, settings, tabular, texts
from karnama.core.schema import TABLES
from karnama.data.snapshots import Snapshot, SnapshotError, SnapshotStore
from karnama.importer import history
from karnama.importer.pipeline import ImportRefused, Report, Upload, check, publish
from karnama.importer.readers import Limits
from karnama.importer.report import Problem
from karnama.importer.template import template_bytes
from karnama.web import auditing, gate, plain

MAX_SHOWN = 200
_REPORT = "_imp_report"
_UPLOAD_ROUND = "_imp_round"
_FLASH = "_imp_flash"
_OPEN = "_imp_open"


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return template_bytes()


def _flash(message: str) -> None:
    st.session_state[_FLASH] = message


def _show_flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        plain.success(message, icon=":material/check_circle:")


# ---- writes (gate these) ------------------------------------------------------------------------------
def publish_upload(store: SnapshotStore, report: Report, author: str | None) -> Snapshot:
    """Publish a checked upload; the new snapshot becomes active. Admins only: checked again here, on the server,
    right before the write (stops the run otherwise), and written to the audit log."""
    access = gate.require_admin(store)
    snap = publish(report, store, author=access.account_name or author)
    auditing.record_write(
        "publish",
        store,
        access,
        snapshot=snap.id,
        parent=snap.manifest.get("parent"),
        source=snap.manifest.get("source"),
    )
    return snap


def rollback_to(store: SnapshotStore, snapshot_id: str) -> Snapshot:
    """Make an older snapshot active again (nothing is deleted). Admins only, audited, like publish_upload."""
    access = gate.require_admin(store)
    before = store.active_id()
    snap = history.rollback(store, snapshot_id)
    auditing.record_write("rollback", store, access, snapshot=snap.id, previous=before)
    return snap


# ---- report -------------------------------------------------------------------------------------------
def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a Persian table (every value is plain text; nothing is rendered as HTML)."""
    return pd.DataFrame(
        [
            {
                texts.DATA_COL_KIND: texts.DATA_ERROR if p.is_error else texts.DATA_WARNING,
                texts.DATA_COL_FILE: p.source,
                texts.DATA_COL_SHEET: p.sheet,
                texts.DATA_COL_ROW: fa.digits(p.row) if p.row else "",
                texts.DATA_COL_COLUMN: p.column,
                texts.DATA_COL_CELL: p.cell,
                texts.DATA_COL_VALUE: p.value,
                texts.DATA_COL_PROBLEM: p.message,
                texts.DATA_COL_EXPECTED: p.expected,
            }
            for p in problems
        ],
        columns=[
            texts.DATA_COL_KIND,
            texts.DATA_COL_FILE,
            texts.DATA_COL_SHEET,
            texts.DATA_COL_ROW,
            texts.DATA_COL_COLUMN,
            texts.DATA_COL_CELL,
            texts.DATA_COL_VALUE,
            texts.DATA_COL_PROBLEM,
            texts.DATA_COL_EXPECTED,
        ],
    )


def counts_frame(report: Report) -> pd.DataFrame:
    rows = []
    for table, c in report.counts.items():
        rows.append(
            {
                texts.DATA_COL_TABLE: TABLES[table].label_fa,
                texts.DATA_COL_UPLOADED: fa.num(c.uploaded),
                texts.DATA_COL_ADDED: fa.num(c.added),
                texts.DATA_COL_REPLACED: fa.num(c.replaced),
                texts.DATA_COL_UNCHANGED: fa.num(c.unchanged),
                texts.DATA_COL_REMOVED: fa.num(c.removed),
                texts.DATA_COL_AFTER: fa.num(c.total_after),
            }
        )
    return pd.DataFrame(rows)


def show_report(report: Report) -> None:
    """Summary, what publishing would do per table, and every problem with where it is."""
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        st.error(
            texts.DATA_SUMMARY_ERRORS.format(errors=fa.num(errors), warnings=fa.num(warnings)), icon=":material/error:"
        )
    else:
        st.success(texts.DATA_SUMMARY_OK.format(warnings=fa.num(warnings)), icon=":material/task_alt:")
    if report.counts:
        st.subheader(texts.DATA_COUNTS_TITLE, anchor=False)
        plain.table(counts_frame(report).set_index(texts.DATA_COL_TABLE))
    if report.problems:
        st.subheader(texts.DATA_PROBLEMS_TITLE, anchor=False)
        frame = problems_frame(report.problems)
        shown = frame.loc[:, (frame != "").any()]  # no empty sheet/cell columns for CSV-only uploads
        if len(frame) > MAX_SHOWN:
            st.caption(texts.DATA_SHOWN_FIRST.format(shown=fa.num(MAX_SHOWN), total=fa.num(len(frame))))
        plain.table(shown.head(MAX_SHOWN))  # bad cells of an uploaded file: plain text
        st.download_button(
            texts.DATA_REPORT_DOWNLOAD,
            tabular.to_csv_bytes(frame),
            file_name="karnama-import-report.csv",
            mime="text/csv",
            icon=":material/download:",
        )


def _digest(files, replace: bool, base: str | None) -> str:
    h = hashlib.sha256(f"{replace}|{base}".encode())
    for f in files:
        h.update(f.name.encode("utf-8", "replace") + b"\0" + hashlib.sha256(f.getvalue()).digest())
    return h.hexdigest()


def import_section(store: SnapshotStore, *, can_write: bool, author: str | None = None) -> None:
    """Template, upload, the check report, and (for writers) the publish button."""
    _show_flash()
    st.markdown(texts.DATA_TEMPLATE_HELP)
    st.download_button(
        texts.DATA_TEMPLATE_BUTTON,
        _template(),
        file_name="karnama-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key="imp_template",
    )
    conf = settings.load(store.root)
    limit = conf.upload_max_mb
    round_ = st.session_state.setdefault(_UPLOAD_ROUND, 0)
    files = st.file_uploader(
        texts.DATA_UPLOAD.format(limit=fa.num(limit)),
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key=f"imp_files_{round_}",
        # The server refuses larger uploads (server.maxUploadSize, nginx client_max_body_size): say the same cap
        # here, so a larger file is refused at once in the browser rather than failing half-way.
        max_upload_size=limit,
    )
    replace = st.checkbox(texts.DATA_REPLACE, key="imp_replace", help=texts.DATA_REPLACE_HELP)
    if not files:
        st.session_state.pop(_REPORT, None)
        return
    try:
        base = store.resolve().snapshot.id
    except SnapshotError:
        base = None
    digest = _digest(files, replace, base)
    cached = st.session_state.get(_REPORT)
    if not cached or cached[0] != digest:
        with st.spinner(texts.DATA_CHECKING):
            report = check(
                [Upload(f.name, f.getvalue()) for f in files], store, replace=replace, limits=Limits.from_mb(limit)
            )
        st.session_state[_REPORT] = (digest, report)
    report = st.session_state[_REPORT][1]
    show_report(report)
    if not report.ok:
        return
    if not can_write:
        st.info(texts.DATA_NO_WRITE, icon=":material/lock:")
        return
    if st.button(texts.DATA_PUBLISH, type="primary", icon=":material/publish:", key="imp_publish"):
        try:
            snap = publish_upload(store, report, author)
        except (ImportRefused, SnapshotError) as exc:
            plain.error(exc)
            return
        st.session_state.pop(_REPORT, None)
        st.session_state[_UPLOAD_ROUND] = round_ + 1  # a fresh, empty uploader
        _flash(texts.DATA_PUBLISHED.format(id=snap.id, as_of=fa.date_long(snap.as_of)))
        st.rerun()


# ---- history ------------------------------------------------------------------------------------------
def _when(iso: str | None) -> str:
    """A snapshot's time as read in Iran: Jalali date and Tehran time in Persian digits."""
    return fa.moment(iso) if iso else "—"


_DEMO_SOURCE = re.compile(r"^demo generator \(seed (\d+), reference year (\d+)\)$")


def source_text(source: str | None) -> str:
    """A snapshot's source in Persian: the demo generator and imports are named in words (the file names an
    import lists stay as typed)."""
    if not source:
        return "—"
    demo = _DEMO_SOURCE.match(source)
    if demo:
        return texts.HIST_SOURCE_DEMO.format(seed=fa.digits(demo[1]), year=fa.digits(demo[2]))
    if source.startswith("import: "):
        return texts.HIST_SOURCE_IMPORT.format(files=source.removeprefix("import: "))
    return source


def history_frame(entries: list[dict]) -> pd.DataFrame:
    rows = []
    for e in entries:
        ok = e.get("ok")
        rows.append(
            {
                texts.HIST_COL_CREATED: _when(e.get("created_utc")) if ok else "—",
                texts.HIST_COL_ID: e["id"],
                texts.HIST_COL_STATE: (texts.ACTIVE_MARK if e["active"] else "") if ok else texts.HIST_DAMAGED,
                texts.HIST_COL_AS_OF: fa.date(dt.date.fromisoformat(e["as_of"])) if ok and e.get("as_of") else "—",
                texts.HIST_COL_SOURCE: source_text(e.get("source")) if ok else e.get("error", ""),
                texts.HIST_COL_AUTHOR: (e.get("author") or "—") if ok else "",
                texts.HIST_COL_ROWS: fa.num(sum(e["rows"].values())) if ok else "—",
            }
        )
    return pd.DataFrame(rows)


def _open_in_dashboard(snapshot_id: str) -> None:
    # Runs as a widget callback, before the sidebar's snapshot widget is drawn, so its state may be set.
    st.session_state["f_snapshot"] = snapshot_id
    st.session_state[_OPEN] = True


def _format_value(key: str, value) -> str:
    """The exact value (a diff whose figures are rounded can show the same before and after)."""
    metric = metrics.BY_KEY.get(key) or metrics.BY_KEY.get(metrics.TARGET_KEYS.get(key, ""))
    if value is None:
        return "—"
    if metric and metric.unit == "ratio":
        return fa.exact(value * 100) + "٪"
    return fa.exact(value)


def show_diff(d: history.SnapshotDiff) -> None:
    rows = [
        {
            texts.DATA_COL_TABLE: TABLES[t].label_fa,
            texts.HIST_COL_ADDED: fa.num(c.added),
            texts.HIST_COL_CHANGED: fa.num(c.changed),
            texts.HIST_COL_REMOVED: fa.num(c.removed),
            texts.HIST_COL_UNCHANGED: fa.num(c.unchanged),
        }
        for t, c in d.tables.items()
    ]
    plain.table(pd.DataFrame(rows).set_index(texts.DATA_COL_TABLE))
    st.subheader(texts.HIST_KPI_TITLE, anchor=False)
    if not d.kpis:
        st.info(texts.HIST_NO_KPI_CHANGE, icon=":material/info:")
        return
    plain.table(
        pd.DataFrame(
            [
                {
                    texts.FILTER_YEAR: fa.year(m.year),
                    texts.HIST_COL_KPI: m.label,
                    texts.HIST_COL_BEFORE: _format_value(m.key, m.before),
                    texts.HIST_COL_AFTER: _format_value(m.key, m.after),
                }
                for m in d.kpis
            ]
        ).set_index(texts.FILTER_YEAR)
    )


def history_section(store: SnapshotStore, *, can_write: bool) -> None:
    """Every snapshot (who, when, source, rows), open one "as of", compare two, roll back."""
    if st.session_state.pop(_OPEN, False):
        st.switch_page("pages/overview.py")
    entries = store.list()
    if not entries:
        st.info(texts.ERROR_NO_SNAPSHOT)
        return
    plain.table(history_frame(entries).set_index(texts.HIST_COL_CREATED))
    good = [e["id"] for e in entries if e["ok"]]
    labels = {
        e["id"]: f"{_when(e.get('created_utc'))} — {e['id']}" + (f" ({texts.ACTIVE_MARK})" if e["active"] else "")
        for e in entries
        if e["ok"]
    }
    if not good:
        return

    st.subheader(texts.HIST_PICK_TITLE, anchor=False)
    chosen = st.selectbox(texts.HIST_PICK, good, format_func=lambda k: labels.get(k, str(k)), key="hist_pick")
    cols = st.columns(2)
    with cols[0]:
        st.button(
            texts.HIST_OPEN, on_click=_open_in_dashboard, args=(chosen,), icon=":material/history:", key="hist_open"
        )
    with cols[1]:
        active = store.active_id()
        if can_write and st.button(
            texts.HIST_ROLLBACK, disabled=chosen == active, icon=":material/restore:", key="hist_rollback"
        ):
            try:
                snap = rollback_to(store, chosen)
            except SnapshotError as exc:
                plain.error(exc)
            else:
                _flash(texts.HIST_ROLLED.format(id=snap.id))
                st.rerun()

    st.subheader(texts.HIST_DIFF_TITLE, anchor=False)
    if len(good) < 2:
        st.caption(texts.HIST_ONE_SNAPSHOT)
        return
    cols = st.columns(2)
    with cols[0]:
        a = st.selectbox(texts.HIST_FROM, good, index=1, format_func=lambda k: labels.get(k, str(k)), key="hist_a")
    with cols[1]:
        b = st.selectbox(texts.HIST_TO, good, index=0, format_func=lambda k: labels.get(k, str(k)), key="hist_b")
    if a == b:
        st.caption(texts.HIST_SAME)
        return
    if st.button(texts.HIST_DIFF_BUTTON, icon=":material/compare_arrows:", key="hist_diff"):
        with st.spinner(texts.LOADING):
            st.session_state["_hist_diff"] = history.diff(store, a, b)
    d = st.session_state.get("_hist_diff")
    if d is not None and (d.a, d.b) == (a, b):
        show_diff(d)
