"""Per-process and per-browser-session plumbing: the snapshot store and who is connecting."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from karnama.core.paths import default_data_dir
from karnama.core.settings import load
from karnama.data.snapshots import SnapshotStore

# One store per data directory and process, in a plain dict rather than st.cache_resource: every rerun asks for it
# several times, and Streamlit's cache hashed the argument and inspected the function's signature on every call.
_STORES: dict[str, SnapshotStore] = {}
_STORES_LOCK = threading.Lock()


def _store(path: str) -> SnapshotStore:
    with _STORES_LOCK:
        kept = _STORES.get(path)
        if kept is None:
            kept = _STORES[path] = SnapshotStore(Path(path))
        return kept


def store() -> SnapshotStore:
    """The snapshot store for ``KARNAMA_DATA_DIR`` (or data/), one per process."""
    return _store(str(default_data_dir()))


def client_address() -> str:
    """The client's address from the WebSocket connection; behind a reverse proxy (the ``client_ip_header``
    setting, e.g. ``X-Real-IP`` that nginx in deploy/ overwrites), that header, and only when the connection
    itself comes from the loopback proxy, so a client reaching the app directly cannot choose its address."""
    try:
        direct = st.context.ip_address
    except Exception:
        direct = None
    if not isinstance(direct, str) or not direct:  # Streamlit gives None on loopback (and in a test harness)
        direct = "local"
    header = load(store().root).client_ip_header
    if header and direct in ("127.0.0.1", "::1", "local"):
        try:
            value = st.context.headers.get(header)
        except Exception:
            value = None
        if isinstance(value, str) and value.strip():
            return value.strip()[:64]
    return direct
