"""One :class:`~karnama.access.store.Store` per database per process, with the one-time copy of old files hooked
in. Every module that needs the state store opens it here (``registry.open_store(settings)``)."""

from __future__ import annotations

import threading
from pathlib import Path

from karnama.access import legacy
from karnama.access.store import Store, database_url
from karnama.core.settings import Settings

_STORES: dict[str, Store] = {}
_LOCK = threading.Lock()


def open_store(settings: Settings) -> Store:
    """The store for these settings, one per database and data dir per process (its connection pool and migration
    check are kept; no security state is: that lives in the database). Nothing is connected until first use."""
    url = database_url(settings)
    data_dir = Path(settings.data_dir).resolve()
    key = f"{url}|{data_dir}"
    with _LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = Store(url, data_dir)
            store.after_migrate = lambda s: legacy.migrate_files(s, data_dir)
    return store


def forget_stores() -> None:
    """Close every pooled connection and forget the stores (tests that drop a database, a forked worker)."""
    with _LOCK:
        for store in _STORES.values():
            store.dispose()
        _STORES.clear()
