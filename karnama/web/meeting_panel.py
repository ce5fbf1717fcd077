"""The overview's meeting aids: which counties have not reported the last month (and, for a chosen county, how
far each table reaches), and "what changed" since the previous snapshot, folded. Both are computed once per
snapshot (snapshots never change) and kept in this process (plain frozen rows and text, shared by every caller: a
hit costs a dictionary lookup, where Streamlit's data cache unpickled a copy on every rerun)."""

from __future__ import annotations

import streamlit as st

from karnama.core import texts
from karnama.core.lru import BoundedCache
from karnama.data.snapshots import SnapshotError
from karnama.meeting import changes, freshness
from karnama.web import plain, state, style
from karnama.web.filters import View

_FRESHNESS: BoundedCache[tuple[freshness.Freshness, ...]] = BoundedCache(16)
_CHANGES: BoundedCache[str] = BoundedCache(16)


def _freshness_in_scope(root: str, snapshot_id: str, scope: tuple[str, ...] | None) -> tuple[freshness.Freshness, ...]:
    def make() -> tuple[freshness.Freshness, ...]:
        store = state.store()
        snap = store.open(snapshot_id)
        return tuple(freshness.freshness(store, snap, (), None if scope is None else frozenset(scope)))

    return _FRESHNESS.get_or_make((root, snapshot_id, scope), make)


def freshness_rows(view: View) -> list[freshness.Freshness]:
    """The rows for the counties in view. Computed once per snapshot and scope (it reads every ancestor snapshot)
    and narrowed here, so choosing another county costs nothing: a county's rows do not depend on the others."""
    scope = tuple(sorted(view.scope)) if view.scope is not None else None
    rows = _freshness_in_scope(str(state.store().root), view.snapshot.id, scope)
    chosen = set(view.filters.counties)
    return [r for r in rows if r.county in chosen] if chosen else list(rows)


def _changes(root: str, a: str, b: str, year: int) -> str:
    return _CHANGES.get_or_make(
        (root, a, b, year),
        lambda: changes.changes(state.store(), a, b, year, status_fn=changes.default_status_fn()).paragraph,
    )


def freshness_notes(view: View) -> None:
    """«شهرستان‌هایی که دادهٔ مهر ۱۴۰۳ را نفرستاده‌اند: …» and, for chosen counties, how far each table reaches;
    only under a view of the year being reported (a closed year's page is not the place for this month's post)."""
    if view.filters.year < freshness.last_full_month(view.as_of)[0]:
        place_kept()
        return
    rows = freshness_rows(view)
    lines = [freshness.not_reported_sentence(rows, view.as_of, view.names)]
    if view.filters.counties and len(view.filters.counties) <= 3:
        for r in rows:
            if r.table in freshness.MONTHLY_TABLES:
                lines.append(f"{texts.FRESH_TABLES[r.table]}: {freshness.reaches_label(r, view.names)}")
    text = "\n\n".join(line for line in lines if line)
    if text:  # one element however many lines (a paragraph each): see place_kept
        plain.caption(text)
    else:
        place_kept()


def place_kept() -> None:
    """An element that shows nothing, where the freshness notes would be. Streamlit's page places elements by
    position: when the counties change and a note appears or goes, every element after it is built anew (every
    chart drawn from scratch); with one element always there, they keep their places and are redrawn in place."""
    st.html(style.SLOT_HTML)


def badges(view: View) -> dict[str, str]:
    """County code -> «دادهٔ نیشابور تا مرداد» for the insurance incentives (the monthly table every county
    reports), for the map's hover text."""
    rows = freshness_rows(view)
    return {r.county: freshness.reaches_label(r, view.names) for r in rows if r.table == "incentives"}


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
