from __future__ import annotations

from pathlib import Path

import pytest

from karnama.core.paths import ROOT
from karnama.data.demo import publish_demo
from karnama.data.snapshots import SnapshotStore
from tests import fixtures

# Modules whose tests take seconds each (process kills, scale snapshots, rendered PDFs and decks, clusters):
# `make test-fast` leaves them out, with the browser tests (any test using the `chromium` fixture).
SLOW_MODULES = {
    "test_import_crash",
    "test_scale",
    "test_exports",
    "test_auth_exports",
    "test_pack",
    "test_import_corpus",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, shared by every browser test."""
    from tests.browser import browser

    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def app_url(demo_dir):
    """The real app (streamlit run serve.py) serving the demo, on a free local port."""
    from tests.browser import running_app

    with running_app(demo_dir) as url:
        yield url


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for the whole session (tests/pg.py); skipped only when PostgreSQL is not installed."""
    from karnama.access import registry
    from tests import pg

    if pg.bin_dir() is None:
        pytest.skip("PostgreSQL is not installed (scripts/install-system-deps.sh installs it)")
    with pg.server() as server:
        yield server
        registry.forget_stores()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request, monkeypatch):
    """Run a test against the embedded SQLite store and against PostgreSQL (a fresh schema per test)."""
    from karnama.access import registry

    if request.param == "sqlite":
        monkeypatch.delenv("KARNAMA_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("KARNAMA_DATABASE_URL", request.getfixturevalue("pg_server").new_schema_url())
    yield request.param
    registry.forget_stores()
