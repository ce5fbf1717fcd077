"""The frame every page starts with: gate, sidebar, export buttons, header, notices, empty states."""

from __future__ import annotations

import streamlit as st

from karnama.core import fa, settings, texts
from karnama.data import catalog, query
from karnama.web import export_buttons, gate, loading, plain
from karnama.web.account import account_box
from karnama.web.filters import View, sidebar
from karnama.web.state import store
from karnama.web.style import _BARE_CSS, configure_page, inject_css


def page_view(title: str) -> View:
    """Set up a page: config, RTL styling, the shared sidebar; then its header. Every page starts with this."""
    query.page_run_started()  # keeps the process's long-lived heap out of every run's full collection
    configure_page()
    inject_css()
    access = gate.gate(store())  # login page (and stop) or the account's scope bound into every query
    view = sidebar(access.scope)
    account_box(access, store())
    export_buttons.download_buttons(view)  # PDF / PowerPoint / Excel, made on click
    page_header(title, view)
    return view


def bare_view() -> View:
    """Set up a page with no visible sidebar or header (presentation mode): the same access gate and the same
    URL- and session-synced filters as :func:`page_view` (the sidebar is drawn, then hidden by static CSS); the
    page draws the year and county boxes where it wants them (:func:`filters.year_and_county`)."""
    query.page_run_started()
    configure_page()
    inject_css()
    access = gate.gate(store())
    view = sidebar(access.scope, place_filters=False)  # the page draws the year and county boxes itself
    st.html(_BARE_CSS)
    return view


def page_header(title: str, view: View) -> None:
    """Title, the chosen place and year, notices, the demo banner and the snapshot line."""
    st.title(title, anchor=False)
    plain.caption(f"{view.where} — {texts.FILTER_YEAR} {fa.year(view.filters.year)}")
    for notice in [*view.notices, *settings.load(store().root).problems]:
        plain.warning(notice, icon=":material/warning:")
    if view.snapshot.is_demo:
        st.info(texts.DEMO_BANNER, icon=":material/info:")
    label = fa.snapshot_label(view.snapshot.manifest.get("created_utc"), view.snapshot.is_demo)
    st.caption(
        texts.SNAPSHOT_CAPTION_FA.format(label=label, as_of=fa.date_long(view.as_of)),
        help=texts.SNAPSHOT_DETAILS.format(id=view.snapshot.id),
    )


def empty_state(view: View) -> None:
    plain.info(texts.NO_DATA_YEAR.format(where=view.where, year=fa.year(view.filters.year)), icon=":material/inbox:")


def stop_without_data(view: View) -> None:
    """End the page with a short explanation when the chosen year holds no data for the chosen counties."""
    if not catalog.year_has_data(view.snapshot, view.filters.year, view.filters.counties, view.scope):
        empty_state(view)
        loading.halt()
