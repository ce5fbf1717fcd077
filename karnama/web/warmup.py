"""Warming a new app process before its first visitor: serve.py starts this in the background when the server starts.

Without it, the first page of a fresh process paid for importing pandas, DuckDB, plotly and the app's modules,
opening the active snapshot (views, calendar, rollups) and running the overview's queries: about a second and a
half before anything could be drawn. Here that happens while the process waits for its first connection, with the
overview's province ranking and freshness notes, and the state store and login service. Only province-wide results
of the active snapshot are computed; the query cache is keyed on the scope a query ran with, so no county account
is ever served from them. A failure here is logged and changes nothing: the first page then simply does the work
itself.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from streamlit.logger import get_logger

if TYPE_CHECKING:
    from karnama.data.snapshots import SnapshotStore

_LOG = get_logger("karnama.warmup")  # Streamlit's logger: its level and format, in the server log


def warm() -> float:
    """Import what every page needs and prepare the active snapshot's overview; returns the seconds it took."""
    started = time.perf_counter()
    import plotly.io._json  # noqa: F401  (figures' JSON: imported on first use)
    import streamlit.material_icon_names  # noqa: F401  (the pages' icons are checked against it)

    from karnama import metrics, verdict
    from karnama.data import catalog, query
    from karnama.web import (  # noqa: F401  (imports only)
        cards,
        charts,
        county_map,
        filters,
        frame,
        meeting_panel,
        notes_panel,
        state,
        tables,
    )

    store = state.store()
    _sign_in_ready(store)
    active = store.active_id()
    if active:
        snapshot = store.open(active)
        query.prepare(snapshot)
        years = catalog.years(snapshot)
        if years:
            view = filters.View(
                snapshot, query.Filters(filters.default_year(snapshot, years)), catalog.county_names(snapshot), years
            )
            metrics.compute(snapshot, view.filters, None)
            by_county = query.run(snapshot, "kpi_by_county", view.filters.params(), None)
            # What the overview's first run still made itself (0.1 s alone, more beside a browser loading the page):
            # its ranking and the freshness notes, in the caches it reads.
            tables.ranking_frames(verdict.ranking(by_county, metrics.BY_KEY[metrics.RANKED], view.elapsed))
            meeting_panel.freshness_rows(view)
    return time.perf_counter() - started


def _sign_in_ready(store: SnapshotStore) -> None:
    """Open the state store and make the login service now, not on the first page, where they competed with the
    browser drawing it. A store that cannot be reached is logged; the first page then meets it as it would have."""
    from karnama.access.auth import login_service
    from karnama.core.settings import load

    try:
        login_service(load(store.root))
    except Exception:
        _LOG.exception("warm-up: the state store could not be opened; the first page will try again")


def _warm_logged() -> None:
    try:
        _LOG.info("warm-up done in %.2f s", warm())
    except Exception:  # a warm-up must never take the server down; the first page does the work
        _LOG.exception("warm-up failed; the first page will do the work itself")


def skip_component_scan() -> None:
    """Streamlit's runtime, when it starts, reads the metadata of every installed package looking for components-v2
    manifests: 0.4-0.6 s of the cold start on this project's environment (about 160 packages), before the server
    answers. Karnama's one components-v2 element is registered inline (karnama.web.plot) and no installed package
    ships a manifest (a test checks both), so the scan can only find nothing; it is replaced by a no-op."""
    from streamlit.components.v2 import component_manager

    manager = component_manager.BidiComponentManager
    if getattr(manager, "discover_and_register_components", None) is None:  # another Streamlit: leave it be
        return
    manager.discover_and_register_components = _no_scan  # type: ignore[method-assign]


def _no_scan(self: object, *, start_file_watching: bool = True) -> None:
    """No package ships a components-v2 manifest: nothing to discover (see :func:`skip_component_scan`)."""


def start() -> threading.Thread:
    """Warm up on a daemon thread (the server answers meanwhile)."""
    thread = threading.Thread(target=_warm_logged, name="karnama-warmup", daemon=True)
    thread.start()
    return thread
