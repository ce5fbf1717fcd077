"""Publishing, verifying, activating and falling back between snapshots."""

from __future__ import annotations

import json

import pytest

from karnama.data.snapshots import SnapshotError, SnapshotStore
from tests import fixtures


def _publish(store, **kw):
    return store.publish(fixtures.tables(), source="test", as_of=fixtures.AS_OF, **kw)


def test_publish_writes_manifest_and_activates(store):
    snap = _publish(store)
    assert store.active_id() == snap.id
    m = json.loads((snap.path / "manifest.json").read_text(encoding="utf-8"))
    assert m["schema_version"] == 1 and m["source"] == "test" and m["created_jalali"].startswith("14")
    assert m["tables"]["incentives"]["rows"] == 5
    assert len(m["tables"]["incentives"]["sha256"]) == 64
    assert not any(store.staging_dir.iterdir())


def test_open_detects_damage_and_resolve_falls_back(store):
    first = _publish(store)
    second = _publish(store, parent=first.id)
    assert store.resolve().snapshot.id == second.id
    target = second.file("loans")
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(SnapshotError, match="آسیب"):
        SnapshotStore(store.root).open(second.id)
    resolved = SnapshotStore(store.root).resolve()
    assert resolved.snapshot.id == first.id
    assert resolved.notice and "آسیب" in resolved.notice and first.id in resolved.notice


def test_missing_file_and_missing_snapshot(store):
    first = _publish(store)
    second = _publish(store)
    second.file("targets").unlink()
    resolved = SnapshotStore(store.root).resolve()
    assert resolved.snapshot.id == first.id and "targets" in resolved.notice
    (store.root / "ACTIVE").write_text("no-such-snapshot")
    assert SnapshotStore(store.root).resolve().snapshot.id == first.id


def test_nothing_intact_is_a_clear_error(store):
    with pytest.raises(SnapshotError, match="demo"):
        store.resolve()


def test_list_marks_active_and_damaged(store):
    first = _publish(store)
    second = _publish(store, activate=False)
    (second.path / "manifest.json").write_text("{broken")
    entries = SnapshotStore(store.root).list()
    by_id = {e["id"]: e for e in entries}
    assert by_id[first.id]["active"] and by_id[first.id]["ok"]
    assert not by_id[second.id]["ok"]


def test_failed_publish_leaves_nothing_visible(store):
    first = _publish(store)

    def fault(step):
        if step == "table:loans":
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        _publish(store, fault=fault)
    assert store.ids() == [first.id]
    assert store.active_id() == first.id
    assert not any(store.staging_dir.iterdir())


def test_schema_is_enforced(store):
    tables = fixtures.tables()
    tables.pop("loans")
    with pytest.raises(SnapshotError):
        store.publish(tables, source="t", as_of=fixtures.AS_OF)


def test_ids_sort_in_publish_order_within_one_second(store):
    ids = [_publish(store).id for _ in range(6)]
    assert store.ids() == ids
    assert store.list()[0]["id"] == ids[-1] and store.active_id() == ids[-1]


def test_a_long_lived_store_reads_a_manifest_again_only_when_it_changed(store, monkeypatch):
    """The web's store lists every snapshot on every rerun: manifests are parsed once, yet a changed manifest, a
    damaged file or a deleted one is still seen by the same store."""
    first = _publish(store)
    second = _publish(store, parent=first.id)
    parsed = []
    real = json.loads
    monkeypatch.setattr(json, "loads", lambda text, *a, **k: parsed.append(1) or real(text, *a, **k))
    store = SnapshotStore(store.root)  # as a server process starts
    store.list()
    store.list()
    assert len(parsed) == 2  # two snapshots, each parsed once
    path = first.path / "manifest.json"
    manifest = real(path.read_text(encoding="utf-8"))
    manifest["author"] = "کارشناس داده"
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert next(e for e in store.list() if e["id"] == first.id)["author"] == "کارشناس داده"
    target = second.file("loans")
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    assert not next(e for e in store.list() if e["id"] == second.id)["ok"]
    second.file("loans").unlink()
    with pytest.raises(SnapshotError):
        store.open(second.id)
    path.write_text("[]", encoding="utf-8")  # not a manifest at all
    entry = next(e for e in store.list() if e["id"] == first.id)
    assert not entry["ok"] and entry["error"]
