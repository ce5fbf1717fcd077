"""Immutable parquet snapshots: publish atomically, verify on open, one pointer names the active one.

Layout under the data directory::

    snapshots/<id>/<table>.parquet   one file per table, never modified after publish
    snapshots/<id>/manifest.json     id, times, source, parent, schema version, rows and sha256 per file
    ACTIVE                           the active snapshot id, replaced atomically (write temp, fsync, rename)
    .staging/                        where a snapshot is written; a directory here is never listed or opened

A snapshot becomes visible only by one ``rename`` of a fully written and verified directory from .staging/ into
snapshots/, so a crash at any moment leaves either the old state or the new one.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from karnama.core import fa, texts
from karnama.core.paths import default_data_dir
from karnama.core.schema import SCHEMA_VERSION, TABLES

ACTIVE_FILE = "ACTIVE"
MANIFEST = "manifest.json"


class SnapshotError(Exception):
    """A snapshot is missing, damaged or cannot be published. The message is Persian, for the user."""


@dataclass(frozen=True)
class Snapshot:
    """A published, verified snapshot."""

    id: str
    path: Path
    manifest: dict = field(compare=False, repr=False)

    def file(self, table: str) -> Path:
        return self.path / self.manifest["tables"][table]["file"]

    @property
    def created_utc(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["created_utc"])

    @property
    def as_of(self) -> dt.date:
        """The date the data describes (the last day it covers)."""
        return dt.date.fromisoformat(self.manifest["as_of"])

    @property
    def is_demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    def rows(self, table: str) -> int:
        return int(self.manifest["tables"][table]["rows"])


@dataclass(frozen=True)
class Resolved:
    """The snapshot the app should show, and a Persian notice when it is not the one the pointer names."""

    snapshot: Snapshot
    notice: str | None = None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durable(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def new_snapshot_id(now: dt.datetime | None = None) -> str:
    """Sortable in publish order, unique: 20261128T131500123456Z-1a2b3c.

    Microseconds matter: two publishes within one second (an import right after another) must still sort in
    the order they happened, since "newest" and the history's default comparison follow the id order."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def _mtime_ns(file: str) -> int | None:
    """A file's modification time, None if it is not there (one system call, not two)."""
    try:
        return os.stat(file).st_mtime_ns
    except OSError:
        return None


FILE_MODE = 0o640  # snapshot files: owner writes, the service group reads, nobody else


class SnapshotStore:
    """Publishes, lists, verifies and activates snapshots in one data directory."""

    def __init__(self, data_dir: Path | str | None = None) -> None:
        self.root = Path(data_dir) if data_dir else default_data_dir()
        self.snapshots_dir = self.root / "snapshots"
        self.staging_dir = self.root / ".staging"
        self._verified: dict[str, tuple] = {}
        self._manifests: dict[str, tuple[tuple, dict]] = {}

    # ---- reading -------------------------------------------------------------------------------------
    def ids(self) -> list[str]:
        """Ids of published snapshot directories, oldest first (not yet verified)."""
        if not self.snapshots_dir.is_dir():
            return []
        return sorted(p.name for p in self.snapshots_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def active_id(self) -> str | None:
        try:
            text = (self.root / ACTIVE_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def open(self, snapshot_id: str) -> Snapshot:
        """Open and verify a snapshot: manifest readable, every file present with its recorded sha256."""
        path = self.snapshots_dir / snapshot_id
        if "/" in snapshot_id or snapshot_id.startswith(".") or not path.is_dir():
            raise SnapshotError(texts.SNAP_NOT_FOUND.format(id=snapshot_id))
        manifest = self._manifest(snapshot_id, path)
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise SnapshotError(texts.SNAP_SCHEMA_MISMATCH.format(id=snapshot_id, version=SCHEMA_VERSION))
        missing = [t for t in TABLES if t not in manifest.get("tables", {})]
        if missing:
            raise SnapshotError(texts.SNAP_TABLES_MISSING.format(id=snapshot_id, tables=", ".join(missing)))
        folder = str(path)
        stamp = tuple((t, _mtime_ns(os.path.join(folder, m["file"]))) for t, m in sorted(manifest["tables"].items()))
        if self._verified.get(snapshot_id) != stamp:
            for table, meta in manifest["tables"].items():
                file = path / meta["file"]
                if not file.is_file():
                    raise SnapshotError(texts.SNAP_FILE_MISSING.format(table=table, id=snapshot_id))
                if _sha256(file) != meta["sha256"]:
                    raise SnapshotError(texts.SNAP_FILE_DAMAGED.format(table=table, id=snapshot_id))
            self._verified[snapshot_id] = stamp
        return Snapshot(snapshot_id, path, manifest)

    def _manifest(self, snapshot_id: str, path: Path) -> dict:
        """The snapshot's manifest, parsed again only when its file changed (the history lists every snapshot on
        every rerun). Callers get the shared dict and never modify it."""
        file = path / MANIFEST
        try:
            st = file.stat()
            key = (st.st_mtime_ns, st.st_size, st.st_ino)
            kept = self._manifests.get(snapshot_id)
            if kept is not None and kept[0] == key:
                return kept[1]
            manifest = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SnapshotError(texts.SNAP_MANIFEST_UNREADABLE.format(id=snapshot_id)) from exc
        if not isinstance(manifest, dict):
            raise SnapshotError(texts.SNAP_MANIFEST_UNREADABLE.format(id=snapshot_id))
        self._manifests[snapshot_id] = (key, manifest)
        return manifest

    def list(self) -> list[dict]:
        """Every published snapshot, newest first, with ``ok``/``error`` and whether it is active."""
        active = self.active_id()
        out = []
        for sid in reversed(self.ids()):
            entry = {"id": sid, "active": sid == active}
            try:
                snap = self.open(sid)
                m = snap.manifest
                entry.update(
                    ok=True,
                    created_utc=m["created_utc"],
                    created_jalali=m.get("created_jalali"),
                    as_of=m.get("as_of"),
                    source=m.get("source"),
                    author=m.get("author"),
                    parent=m.get("parent"),
                    demo=bool(m.get("demo")),
                    rows={t: v["rows"] for t, v in m["tables"].items()},
                )
            except SnapshotError as exc:
                entry.update(ok=False, error=str(exc))
            out.append(entry)
        return out

    def resolve(self, requested: str | None = None) -> Resolved:
        """The snapshot to show: ``requested`` or the active one; if damaged, the newest intact one, with a notice."""
        wanted = requested or self.active_id()
        problem = None
        if wanted:
            try:
                return Resolved(self.open(wanted))
            except SnapshotError as exc:
                problem = str(exc)
        for sid in reversed(self.ids()):
            if sid == wanted:
                continue
            try:
                snap = self.open(sid)
            except SnapshotError:
                continue
            lead = problem or texts.SNAP_NONE_ACTIVE
            return Resolved(snap, texts.SNAP_FALLBACK.format(lead=lead, id=snap.id, date=fa.date(snap.created_utc)))
        raise SnapshotError((problem + " " if problem else "") + texts.SNAP_NONE_INTACT)

    # ---- writing -------------------------------------------------------------------------------------
    def publish(
        self,
        tables: Mapping[str, pa.Table],
        *,
        source: str,
        as_of: dt.date,
        parent: str | None = None,
        author: str | None = None,
        demo: bool = False,
        activate: bool = True,
        extra: Mapping | None = None,
        fault: Callable[[str], None] | None = None,
        now: dt.datetime | None = None,
        snapshot_id: str | None = None,
    ) -> Snapshot:
        """Write every table and the manifest into staging, verify, move into place, then activate.

        ``fault`` is called with a step name between steps; tests use it to crash the process mid-publish.
        """
        step = fault or (lambda _name: None)
        now = now or dt.datetime.now(dt.UTC)
        sid = snapshot_id or new_snapshot_id(now)
        if not self.root.exists():
            self.root.mkdir(parents=True, mode=0o700)
            os.chmod(self.root, 0o700)  # a new data directory is the owner's only
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        self.snapshots_dir.mkdir(parents=True, exist_ok=True)
        work = self.staging_dir / sid
        # Held while this process writes: clean_staging() removes only what no living publish holds.
        lock = self._staging_lock(sid)
        work.mkdir()
        try:
            metas = {}
            for name, spec in TABLES.items():
                if name not in tables:
                    raise SnapshotError(texts.SNAP_TABLE_NOT_GIVEN.format(table=name))
                table = tables[name].select(spec.column_names).cast(spec.arrow_schema)
                file = work / f"{name}.parquet"
                pq.write_table(table, file, compression="zstd", row_group_size=1_000_000)
                os.chmod(file, FILE_MODE)
                with open(file, "rb+") as f:
                    os.fsync(f.fileno())
                metas[name] = {
                    "file": file.name,
                    "rows": table.num_rows,
                    "sha256": _sha256(file),
                    "bytes": file.stat().st_size,
                }
                step(f"table:{name}")
            manifest = {
                "id": sid,
                "created_utc": now.isoformat(timespec="seconds"),
                "created_jalali": fa.jalali(
                    now.astimezone(dt.timezone(dt.timedelta(hours=3, minutes=30))).date()
                ).isoformat(),
                "as_of": as_of.isoformat(),
                "source": source,
                "author": author,
                "parent": parent,
                "demo": demo,
                "schema_version": SCHEMA_VERSION,
                "tables": metas,
                **(dict(extra) if extra else {}),
            }
            _write_durable(work / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
            os.chmod(work / MANIFEST, FILE_MODE)
            _fsync_dir(work)
            step("manifest")
            self._verified.pop(sid, None)
            # Verify from disk what was written, before anyone can see it.
            for table, meta in metas.items():
                if _sha256(work / meta["file"]) != meta["sha256"]:
                    raise SnapshotError(texts.SNAP_WRITE_FAILED.format(table=table))
            step("verified")
            os.rename(work, self.snapshots_dir / sid)
            _fsync_dir(self.snapshots_dir)
            step("moved")
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        finally:
            (self.staging_dir / f"{sid}.lock").unlink(missing_ok=True)
            lock.close()
        snap = self.open(sid)
        if activate:
            self.activate(sid, fault=fault)
        return snap

    def activate(self, snapshot_id: str, fault: Callable[[str], None] | None = None) -> Snapshot:
        """Make a verified snapshot the active one by atomically replacing the pointer file."""
        snap = self.open(snapshot_id)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{ACTIVE_FILE}.{secrets.token_hex(4)}.tmp"
        _write_durable(tmp, (snapshot_id + "\n").encode("utf-8"))
        if fault:
            fault("pointer-written")
        os.replace(tmp, self.root / ACTIVE_FILE)
        _fsync_dir(self.root)
        return snap

    def _staging_lock(self, sid: str):
        """Create and lock ``.staging/<sid>.lock`` (the lock dies with the process, so a kill frees it)."""
        path = self.staging_dir / f"{sid}.lock"
        while True:
            f = open(path, "a+b")
            fcntl.flock(f, fcntl.LOCK_EX)
            try:  # a cleaner may have removed the file between open and lock: lock the one on disk
                if os.path.samestat(os.fstat(f.fileno()), os.stat(path)):
                    return f
            except FileNotFoundError:
                pass
            f.close()

    def clean_staging(self, stale_seconds: float = 60.0) -> int:
        """Remove what crashed (killed) publishes left in staging; returns how many directories went. A directory
        whose publish is still running (its lock is held) is left alone, whatever its age."""
        if not self.staging_dir.is_dir():
            return 0
        gone = 0
        for p in sorted(self.staging_dir.iterdir()):
            if p.suffix == ".lock":
                continue
            lock_path = self.staging_dir / f"{p.name}.lock"
            with open(lock_path, "a+b") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a living publish
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
                lock_path.unlink(missing_ok=True)
                gone += 1
        for lock_path in self.staging_dir.glob("*.lock"):
            if not (self.staging_dir / lock_path.stem).exists():
                with open(lock_path, "a+b") as f:
                    try:
                        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue
                    lock_path.unlink(missing_ok=True)
        # A pointer being written right now is younger than this; only a crashed one's is old.
        limit = dt.datetime.now().timestamp() - stale_seconds
        for p in self.root.glob(f".{ACTIVE_FILE}.*.tmp"):
            try:
                if p.stat().st_mtime < limit:
                    p.unlink(missing_ok=True)
            except FileNotFoundError:
                pass
        return gone

    def read_table(self, snapshot: Snapshot, table: str) -> pa.Table:
        return pq.read_table(snapshot.file(table))
