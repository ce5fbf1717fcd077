"""Warming a new app process before its first visitor: serve.py starts this in the background when the server starts.

Without it, the first page of a fresh process paid for importing pandas, DuckDB, plotly and the app's modules,
opening the active snapshot (views, calendar, rollups) and running the overview's queries: about a second and a
half before anything could be drawn. Here that happens while the process waits for its first connection. Only
province-wide results of the active snapshot are computed; the query cache is keyed on the scope a query ran
with, so no county account is ever served from them. A failure here is logged and changes nothing: the first
page then simply does the work itself.
"""

from __future__ import annotations

import threading
import time

from streamlit.logger import get_logger

_LOG = get_logger("karnama.warmup")  # Streamlit's logger: its level and format, in the server log


def warm() -> float:
    """Import what every page needs and prepare the active snapshot's overview; returns the seconds it took."""
    started = time.perf_counter()
    from karnama import metrics
    from karnama.core.paths import default_data_dir
    from karnama.data import catalog, query
    from karnama.data.snapshots import SnapshotStore
    from karnama.web import cards, charts, county_map, filters, frame, meeting_panel  # noqa: F401  (imports only)

    store = SnapshotStore(default_data_dir())
    active = store.active_id()
    if active:
        snapshot = store.open(active)
        query.prepare(snapshot)
        years = catalog.years(snapshot)
        if years:
            year = filters.default_year(snapshot, years)
            metrics.compute(snapshot, query.Filters(year), None)
            query.run(snapshot, "kpi_by_county", query.Filters(year).params(), None)
    return time.perf_counter() - started


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
