"""Alembic environment: the app passes an open connection (``config.attributes["connection"]``) already inside a
transaction that holds the migration lock, so migrations never run twice at once."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes one (store.Store.migrate)
    raise RuntimeError("karnama migrations run through karnama.access.store.Store.migrate()")
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
