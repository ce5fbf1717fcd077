"""The state store: accounts, server-side sessions, failed-login counters and lockouts, the audit log, notes and
decisions, in one database shared by every app process.

* Embedded default: SQLite at ``<data dir>/karnama.db`` (WAL mode, created on first use, file mode 0600, nothing to
  install). Several processes on one machine share it safely (each write is one ``BEGIN IMMEDIATE`` transaction).
* PostgreSQL when a database URL is set (``database_url`` in settings.toml or ``KARNAMA_DATABASE_URL``), for app
  processes on several machines. ``postgresql://…`` URLs are driven by psycopg 3.
* SQLAlchemy Core speaks both dialects; the schema is made and upgraded by the Alembic migrations in
  ``karnama/access/migrations`` (run automatically on first use in each process, under a lock, so several processes
  starting at once do not race).
* An existing ``users.json`` and JSON-lines audit log are copied in once, automatically (:mod:`legacy`, hooked in
  by :func:`karnama.access.registry.open_store`); the files are kept beside as ``*.migrated-<time>.bak`` and a
  message goes to the log (and into the audit log itself).

Nothing here caches security state in memory: every question (is this session live, is this name locked) is
answered by the database, so nothing a browser sends (Streamlit's "clear cache") can reset it, a restart keeps it
and every process sees the same.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from karnama.core.settings import Settings

_log = logging.getLogger("karnama.access.store")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DB_FILE = "karnama.db"
ROLES = ("admin", "province", "county")  # what accounts.role may hold (auth.ROLES)
_ADVISORY_KEY = 0x6B61726E  # "karn": one lock id for migrations and for appending to the audit chain

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("counties", sa.Text, nullable=False, server_default="[]"),  # JSON list of county codes
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_utc", sa.String(40), nullable=False),
    sa.Column("password_changed_utc", sa.String(40), nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # SHA-256 of the token: a copy of the table is no key
    sa.Column("name", sa.String(64), nullable=False, index=True),
    sa.Column("started", sa.Float, nullable=False),  # epoch seconds (shared by processes, unlike a monotonic clock)
    sa.Column("last_seen", sa.Float, nullable=False),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(8), nullable=False),  # "account" or "client"
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("ix_login_failures_kind_key_at", "kind", "key", "at"),
)

lockouts = sa.Table(
    "lockouts",
    metadata,
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("until", sa.Float, nullable=False),
)

audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),  # 1, 2, 3… with no gap
    sa.Column("utc", sa.String(24), nullable=False, index=True),
    sa.Column("jalali", sa.String(24), nullable=False),
    sa.Column("event", sa.String(64), nullable=False, index=True),
    sa.Column("account", sa.String(64), nullable=True, index=True),
    sa.Column("details", sa.Text, nullable=False),  # canonical JSON
    sa.Column("prev", sa.String(64), nullable=False),  # hash of the entry before ("" for the first)
    sa.Column("hash", sa.String(64), nullable=False),  # SHA-256 over prev and this entry
)

# Failed logins that were counted but not written one by one (unknown names, refused while locked), per client.
audit_quiet = sa.Table(
    "audit_quiet",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("window_start", sa.Float, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
)

# Notes and decisions pinned to data (karnama/meeting/notes.py): a decision is a note with an owner, a Jalali due
# date and a state; ``value_then`` is the figure it was taken on.
notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_utc", sa.String(40), nullable=False),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("snapshot_id", sa.String(64), nullable=True),
    sa.Column("view", sa.Text, nullable=False, server_default=""),  # the page and filters (query string)
    sa.Column("counties", sa.Text, nullable=False, server_default="[]"),  # JSON list: whose scope may read it
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=True),
    sa.Column("county", sa.String(8), nullable=False, server_default=""),  # "" = the province
    sa.Column("subject", sa.String(64), nullable=False, server_default=""),  # a metric or topic key
    sa.Column("kind", sa.String(16), nullable=False, server_default="note"),  # note | decision
    sa.Column("owner", sa.String(64), nullable=True),
    sa.Column("due_jalali", sa.String(10), nullable=True),
    sa.Column("state", sa.String(16), nullable=False, server_default="open"),  # open | done | dropped
    sa.Column("value_then", sa.Float, nullable=True),
    sa.Column("updated_utc", sa.String(40), nullable=True),
)


class StoreError(RuntimeError):
    """The state store cannot be opened or migrated; the message is for the log and the admin."""


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL: ``database_url`` (``postgresql://`` → psycopg 3), else SQLite in the data dir."""
    url = (settings.database_url or "").strip()
    if not url:
        return f"sqlite:///{Path(settings.data_dir).resolve() / DB_FILE}"
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def exists(settings: Settings) -> bool:
    """Whether the store is there already (a PostgreSQL URL counts as there; a SQLite file must exist)."""
    url = database_url(settings)
    return not url.startswith("sqlite") or Path(sa.engine.make_url(url).database or "").exists()


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)


def script_head() -> str | None:
    """The newest migration's revision, read from the migration files (no Alembic import); None when the files
    do not form one simple chain (a merge, a branch), so the caller asks Alembic instead."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        rev, down = found.get("revision", ""), found.get("down_revision", "")
        if not re.fullmatch(r"[\"'][\w.-]+[\"']", rev):
            continue  # __init__.py and the like
        revisions.add(rev[1:-1])
        if down != "None":
            if not re.fullmatch(r"[\"'][\w.-]+[\"']", down):
                return None  # a tuple (merge) or something computed
            parents.add(down[1:-1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def ensure_private_dir(path: Path) -> None:
    """Create a data directory owner-only (0700); an existing one is left as its owner set it."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask


class Store:
    """One database (SQLite or PostgreSQL) holding every piece of shared state; see the module docstring."""

    def __init__(self, url: str, data_dir: Path | None = None) -> None:
        self.url = url
        self.data_dir = data_dir
        self.is_sqlite = url.startswith("sqlite")
        self.engine = self._engine()
        self._migrated = False
        self._lock = threading.Lock()
        self.after_migrate: Callable[[Store], object] | None = None

    def _engine(self) -> Engine:
        if not self.is_sqlite:
            return sa.create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        path = Path(sa.engine.make_url(self.url).database or "")
        ensure_private_dir(path.parent)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # the WAL and shm files follow its mode
        engine = sa.create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy issues BEGIN itself (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # durable across a process crash; WAL keeps it consistent
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:
            # Take the write lock at the start: read-then-write transactions (the audit chain, counters) from
            # several processes then run one after another instead of failing with "database is locked".
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    # ---- transactions --------------------------------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction (migrated first)."""
        self.migrate()
        with self.engine.begin() as conn:
            yield conn

    def lock_chain(self, conn: Connection) -> None:
        """Serialise appenders of the audit chain (SQLite: the transaction already holds the write lock)."""
        if not self.is_sqlite:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})

    # ---- schema ----------------------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the newest migration, once per process; then copy legacy files in once."""
        if self._migrated:
            return
        with self._lock:
            if self._migrated:
                return
            # Already at the newest migration (every start but the first): no Alembic import (~0.3 s) or run.
            if not self._at_head():
                self._upgrade()
            self._migrated = True
        if self.after_migrate is not None:  # the one-time copy of old files (set by registry.open_store)
            self.after_migrate(self)

    def _upgrade(self) -> None:
        from alembic import command
        from alembic.config import Config

        try:
            with self.engine.begin() as conn:
                self.lock_chain(conn)  # PostgreSQL: one migrating process at a time
                cfg = Config()
                cfg.set_main_option("script_location", str(MIGRATIONS))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except Exception as exc:  # any driver/migration error means "no store"
            raise StoreError(f"state store {self.safe_url()} cannot be opened or migrated: {exc}") from exc

    def _at_head(self) -> bool:
        """Whether the database records the newest migration (read without a lock: a migration in progress in
        another process commits its version with its schema, so this sees either the old version or both)."""
        head = script_head()
        if head is None:
            return False
        try:
            with self.engine.connect() as conn:
                at = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        except Exception:  # no table yet (a new database), or no database: Alembic's path reports it
            return False
        return at == [head]

    def safe_url(self) -> str:
        """The URL without a password, for messages."""
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
