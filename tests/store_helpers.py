"""Helpers for tests that play an attacker with direct access to the state store's database."""

from __future__ import annotations

import sqlalchemy as sa

from karnama.access import registry
from karnama.core.settings import Settings


def tamper(settings: Settings, *statements: str, params: dict | None = None) -> None:
    """Run SQL around the append-only triggers, as someone holding the database file or the owner role would."""
    st = registry.open_store(settings)
    with st.begin() as conn:
        if st.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        for sql in statements:
            conn.execute(sa.text(sql), params or {})
        if not st.is_sqlite:
            conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
