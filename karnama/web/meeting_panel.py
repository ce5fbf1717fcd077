"""The overview's meeting aids: which counties have not reported the last month (and, for a chosen county, how
far each table reaches), and "what changed" since the previous snapshot, folded. Both are computed once per
snapshot (snapshots never change) and kept in Streamlit's data cache."""

from __future__ import annotations

import streamlit as st

from karnama.core import texts
from karnama.data.snapshots import SnapshotError
from karnama.meeting import changes, freshness
from karnama.web import plain, state
from karnama.web.filters import View


@st.cache_data(show_spinner=False, max_entries=64)
def _freshness(root: str, snapshot_id: str, counties: tuple[str, ...], scope: tuple[str, ...] | None):
    store = state.store()
    snap = store.open(snapshot_id)
    return freshness.freshness(store, snap, counties, None if scope is None else frozenset(scope))


@st.cache_data(show_spinner=False, max_entries=16)
def _changes(root: str, a: str, b: str, year: int) -> str:
    store = state.store()
    return changes.changes(store, a, b, year, status_fn=changes.default_status_fn()).paragraph


def freshness_notes(view: View) -> None:
    """«شهرستان‌هایی که دادهٔ مهر ۱۴۰۳ را نفرستاده‌اند: …» and, for chosen counties, how far each table reaches."""
    scope = tuple(sorted(view.scope)) if view.scope is not None else None
    rows = _freshness(str(state.store().root), view.snapshot.id, tuple(view.filters.counties), scope)
    plain.caption(freshness.not_reported_sentence(rows, view.as_of, view.names))
    if view.filters.counties and len(view.filters.counties) <= 3:
        for r in rows:
            if r.table in freshness.MONTHLY_TABLES:
                plain.caption(f"{texts.FRESH_TABLES[r.table]}: {freshness.reaches_label(r, view.names, view.as_of)}")


def badges(view: View) -> dict[str, str]:
    """County code -> «دادهٔ نیشابور تا مرداد» for the insurance incentives (the monthly table every county
    reports), for the map's hover text."""
    scope = tuple(sorted(view.scope)) if view.scope is not None else None
    rows = _freshness(str(state.store().root), view.snapshot.id, tuple(view.filters.counties), scope)
    return {r.county: freshness.reaches_label(r, view.names, view.as_of) for r in rows if r.table == "incentives"}


def changes_expander(view: View) -> None:
    """What changed since the previous snapshot, in Persian, folded under the cards."""
    parent = view.snapshot.manifest.get("parent")
    if not parent:
        return
    try:
        state.store().open(parent)
    except SnapshotError:
        return
    with st.expander(texts.CHANGES_TITLE, icon=":material/difference:"):
        plain.write(_changes(str(state.store().root), parent, view.snapshot.id, view.filters.year))
