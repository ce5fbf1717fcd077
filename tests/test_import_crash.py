"""Killing the publishing process at any moment leaves the previous active snapshot intact and loadable, and
never lets a half-written snapshot be listed or opened.

Each run starts a real import in its own process and SIGKILLs it: at every named step of the publish (via the
fault hook), and at random moments while it writes. 62 runs in all.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

from karnama.data.snapshots import SnapshotStore
from karnama.importer import Upload, check, publish
from tests.import_helpers import headers, xlsx

STEPS = [
    "table:counties",
    "table:targets",
    "table:se_clients",
    "table:incentives",
    "table:centre_employment",
    "table:loans",
    "table:monitoring",
    "manifest",
    "verified",
    "moved",
    "pointer-written",
]


def _worker(root: str, upload: str, kill_at: str, ready) -> None:
    """The publishing process: check an upload, then publish it, killing itself at ``kill_at`` if named."""
    store = SnapshotStore(root)
    report = check([Upload("loans.xlsx", open(upload, "rb").read())], store)
    assert report.ok, report.problems

    def fault(step: str) -> None:
        if step == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.005)  # widen the window between steps for the random kills

    ready.set()
    publish(report, store, author="crash-test", fault=fault)


def _upload(tmp_path):
    rows = [headers("loans")] + [[f"X{i}", "MSH", f"1402/{i % 12 + 1}/1", 1000 + i, 1, "ایجاد"] for i in range(500)]
    path = tmp_path / "loans.xlsx"
    path.write_bytes(xlsx({"تسهیلات اشتغال‌زایی": rows}))
    return path


def _assert_consistent(root) -> str:
    store = SnapshotStore(root)  # a fresh process's view: nothing cached
    resolved = store.resolve()
    assert resolved.notice is None, resolved.notice  # the active snapshot itself opens and verifies
    assert resolved.snapshot.id == store.active_id()
    for sid in store.ids():  # every listed snapshot is complete
        store.open(sid)
    listed = {e["id"] for e in store.list()}
    assert all(e["ok"] for e in store.list()) and store.active_id() in listed
    staging = {p.name for p in store.staging_dir.iterdir()} if store.staging_dir.is_dir() else set()
    assert not staging & listed  # a half-written snapshot stays in staging, never listed
    return store.active_id()


def test_killed_publish_never_breaks_the_active_snapshot(store, fixture_snapshot, tmp_path):
    upload = _upload(tmp_path)
    # A fork server that has imported the importer once: each run is a fresh process forked from it (fast),
    # killed with SIGKILL exactly like a crash.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["karnama.importer", "tests.test_import_crash"])
    rng = random.Random(4)
    plan = [("step", s) for s in STEPS] * 2 + [("random", None)] * 40
    outcomes = {"killed": 0, "finished": 0}
    for kind, step in plan:
        before_active, before_ids = store.active_id(), set(store.ids())
        ready = ctx.Event()
        proc = ctx.Process(target=_worker, args=(str(store.root), str(upload), step or "-", ready))
        proc.start()
        if kind == "random":
            assert ready.wait(timeout=60)
            time.sleep(rng.uniform(0, 0.12))
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # it finished first: a complete publish is a valid outcome too
        proc.join(timeout=60)
        active = _assert_consistent(store.root)
        new_ids = set(store.ids()) - before_ids
        assert len(new_ids) <= 1
        if kind == "step":
            assert proc.exitcode == -signal.SIGKILL
            # Killed before the rename into snapshots/: nothing new is visible; before the pointer: not active.
            moved = STEPS.index(step) >= STEPS.index("moved")
            assert bool(new_ids) == moved
            assert active == before_active
        outcomes["killed" if proc.exitcode == -signal.SIGKILL else "finished"] += 1
    assert sum(outcomes.values()) == len(plan) >= 50
    print(outcomes)
    assert outcomes["killed"] >= 40  # most random kills land while publishing
    # The store is not wedged: a normal publish still works and leftovers can be cleaned.
    report = check([Upload("loans.xlsx", upload.read_bytes())], store)
    snap = publish(report, store)
    assert store.active_id() == snap.id
    store.clean_staging()
    assert not any(store.staging_dir.iterdir())
