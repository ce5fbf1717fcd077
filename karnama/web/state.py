"""Per-process and per-browser-session plumbing: the snapshot store and who is connecting."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from karnama.core.paths import default_data_dir
from karnama.data.snapshots import SnapshotStore


@st.cache_resource
def _store(path: str) -> SnapshotStore:
    return SnapshotStore(Path(path))


def store() -> SnapshotStore:
    """The snapshot store for ``KARNAMA_DATA_DIR`` (or data/), one per process."""
    return _store(str(default_data_dir()))


def client_address() -> str:
    """The client's address from the WebSocket connection (never a header a client could set)."""
    try:
        return st.context.ip_address or "local"
    except Exception:
        return "local"
