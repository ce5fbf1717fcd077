"""Per-process and per-browser-session plumbing: the snapshot store and who is connecting."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from karnama.core.paths import default_data_dir
from karnama.data import query
from karnama.data.snapshots import SnapshotStore


@st.cache_resource
def _store(path: str) -> SnapshotStore:
    return SnapshotStore(Path(path))


def store() -> SnapshotStore:
    """The snapshot store for ``KARNAMA_DATA_DIR`` (or data/), one per process."""
    # The app's modules are imported by now: keep the long-lived heap out of full garbage collections (see
    # query.freeze_startup_heap; once per process).
    query.freeze_startup_heap()
    return _store(str(default_data_dir()))


def client_address() -> str:
    """The client's address from the WebSocket connection (never a header a client could set)."""
    try:
        return st.context.ip_address or "local"
    except Exception:
        return "local"
