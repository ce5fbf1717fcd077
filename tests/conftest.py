from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from karnama.cli import publish_demo  # noqa: E402
from karnama.snapshots import SnapshotStore  # noqa: E402
from tests import fixtures  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def store(tmp_path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "data")


@pytest.fixture
def fixture_snapshot(store):
    return store.publish(fixtures.tables(), source="test fixture", as_of=fixtures.AS_OF)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A data directory holding a freshly generated demo snapshot (the default seed and reference year)."""
    path = tmp_path_factory.mktemp("demo-data")
    publish_demo(SnapshotStore(path))
    return path


@pytest.fixture(scope="session")
def demo_snapshot(demo_dir):
    return SnapshotStore(demo_dir).resolve().snapshot


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def app_env(demo_dir, monkeypatch):
    """Point the app at the session's demo data directory."""
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(demo_dir))
    return demo_dir
