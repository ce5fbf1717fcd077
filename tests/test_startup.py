"""What a cold start relies on: the dashboard's pages load without the export, import and chart-image libraries
(loaded when a button is pressed), and the calendar built per Jalali year matches a day-by-day conversion."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import jdatetime

from karnama.core.paths import ROOT
from karnama.data.query import CALENDAR_YEARS, calendar_table

# Libraries only an export, the meeting pack, the data page or the importer needs.
NOT_AT_FIRST_PAINT = (
    "fpdf",
    "pptx",
    "matplotlib",
    "openpyxl",
    "xlsxwriter",
    "python_calamine",
    "karnama.importer.pipeline",
    "karnama.importer.readers",
    "karnama.exports.pdf",
    "karnama.exports.agenda",
)


def test_dashboard_modules_do_not_load_export_or_import_libraries():
    # Every module the overview page imports, and the app's router modules, in a fresh interpreter.
    code = (
        "import sys, json\n"
        "import streamlit\n"
        "from karnama import metrics, status, verdict\n"
        "from karnama.web import cards, county_map, frame, meeting_panel, notes_panel, tables, nav, style, gate\n"
        "from karnama.web import charts, figures, filters, export_buttons, present\n"
        f"print(json.dumps([m for m in {NOT_AT_FIRST_PAINT!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_importer_names_still_resolve_lazily():
    code = (
        "import sys\n"
        "from karnama.importer import history\n"
        "assert 'karnama.importer.pipeline' not in sys.modules\n"
        "from karnama.importer import Limits, Upload, check, publish\n"
        "from karnama.importer.pipeline import check as direct\n"
        "assert check is direct and Upload.__module__ == 'karnama.importer.pipeline'\n"
        "assert Limits.__module__ == 'karnama.importer.readers'\n"
        "import karnama.importer as imp\n"
        "try:\n"
        "    imp.nothing_here\n"
        "except AttributeError:\n"
        "    print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_calendar_matches_day_by_day_conversion():
    cal = calendar_table()
    days = cal["d"].to_pylist()
    first = jdatetime.date(CALENDAR_YEARS[0], 1, 1).togregorian()
    last = jdatetime.date(CALENDAR_YEARS[1], 12, 1).togregorian()
    assert days[0] == first
    assert days == [first + dt.timedelta(days=i) for i in range(len(days))]  # every day once, in order
    assert jdatetime.date.fromgregorian(date=days[-1] + dt.timedelta(days=1)) == jdatetime.date(
        CALENDAR_YEARS[1] + 1, 1, 1
    )
    assert days[-1] > last
    jy, jm, jd = (cal[c].to_pylist() for c in ("jy", "jm", "jd"))
    for i, d in enumerate(days):
        j = jdatetime.date.fromgregorian(date=d)
        assert (jy[i], jm[i], jd[i]) == (j.year, j.month, j.day), d
    assert str(cal.schema.field("jy").type) == "int16" and str(cal.schema.field("jm").type) == "int8"


def test_state_store_at_head_opens_without_alembic(tmp_path):
    """The first open migrates (with Alembic); later opens (every app start) see the newest revision recorded and
    skip Alembic; a database behind the newest migration is still upgraded."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from karnama.access import store as db

    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    assert db.script_head() == ScriptDirectory.from_config(cfg).get_current_head()

    url = f"sqlite:///{tmp_path / 'k.db'}"
    code = (
        "import sys\n"
        "import sqlalchemy as sa\n"
        "from karnama.access.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "s.migrate()\n"
        "with s.engine.connect() as c:\n"
        "    v = c.execute(sa.text('SELECT version_num FROM alembic_version')).scalar()\n"
        "    n = c.execute(sa.text('SELECT count(*) FROM notes')).scalar()\n"
        "print('alembic' in sys.modules, v, n)\n"
    )
    head = db.script_head()

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert run() == f"True {head} 0"  # a new database: migrated by Alembic
    assert run() == f"False {head} 0"  # at head: no Alembic
    from alembic import command

    store = db.Store(url)
    with store.engine.begin() as conn:  # as if made by an older release: one migration behind
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-1")
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() != head
    store.dispose()
    assert run() == f"True {head} 0"


def test_account_store_does_not_wait_for_its_dummy_hash(tmp_path):
    """The hash unknown names are verified against is made on another thread: opening the account store (every
    app process's first page) does not wait for argon2, and an unknown name still costs a verification."""
    import threading

    from argon2 import PasswordHasher

    from karnama.access import auth
    from karnama.core.settings import load

    release = threading.Event()

    class Slow(PasswordHasher):
        def hash(self, password, *, salt=None):  # type: ignore[override]
            release.wait(10)
            return super().hash(password, salt=salt)

    accounts = auth.AccountStore(load(tmp_path), hasher=Slow(time_cost=1, memory_cost=8, parallelism=1))
    assert not accounts._dummy_made.is_set()  # constructed while the hash is still being made
    release.set()
    assert accounts._dummy_hash.startswith("$argon2id$")
    assert accounts.check("nobody", "whatever-password") == (None, False)


def test_with_the_default_hasher_no_dummy_hash_is_made_and_unknown_names_still_cost_a_verification(
    tmp_path, monkeypatch
):
    """The bundled dummy hash has argon2-cffi's default parameters (if a new version changes them, this fails and
    the hash is made again, on a thread): no process spends a 64 MiB hash at start, and an unknown name is still
    verified against a hash of the same cost as a real one."""
    from argon2 import PasswordHasher

    from karnama.access import auth
    from karnama.core.settings import load

    assert not auth.default_hasher().check_needs_rehash(auth.DUMMY_HASH)
    made: list[str] = []
    verified: list[str] = []
    monkeypatch.setattr(PasswordHasher, "hash", lambda self, password, **kw: made.append(password))
    original_verify = PasswordHasher.verify

    def verify(self, hash, password):
        verified.append(hash)
        return original_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    accounts = auth.AccountStore(load(tmp_path))
    assert accounts._dummy_made.is_set() and made == []
    assert accounts.check("nobody", "whatever-password") == (None, False)
    assert verified == [auth.DUMMY_HASH]


def test_the_first_bytes_preload_streamlit_chunks_that_exist():
    """The document names Streamlit's own element chunks (the chart's among them) for the browser to fetch from the
    first byte, each a file of the installed Streamlit; a name not found is left out, never guessed."""
    import re

    from karnama.web import first_paint

    files = first_paint.chunk_files()
    assert any(f.startswith("BidiComponent.") for f in files) and any(f.startswith("Metric.") for f in files)
    assert all((first_paint.STREAMLIT_JS / f).is_file() for f in files)
    original = (first_paint.STREAMLIT_JS.parents[1] / "index.html").read_text(encoding="utf-8")
    pattern = r'<link rel="modulepreload" crossorigin href="\./static/js/([\w.-]+\.js)">'
    head = first_paint.rewrite(original).split("</head>")[0]
    added = set(re.findall(pattern, head)) - set(re.findall(pattern, original))
    assert added == set(files)  # none of them was preloaded by Streamlit itself


def test_warm_up_prepares_the_active_snapshot_for_the_province_only(demo_dir, monkeypatch):
    """serve.py's warm-up leaves the overview's province results of the active snapshot in the query cache, and
    nothing narrowed to a county (the cache is keyed on the scope a query ran with)."""
    from karnama.data import query
    from karnama.data.snapshots import SnapshotStore
    from karnama.web import warmup

    monkeypatch.setenv("KARNAMA_DATA_DIR", str(demo_dir))
    store = SnapshotStore(demo_dir)
    db = query.db_for(store.open(store.active_id()))
    db.clear_results()
    assert warmup.warm() > 0
    ran = [(name, dict(bound)) for name, bound in list(db._results)]
    assert {"kpi_values", "kpi_by_county"} <= {name for name, _ in ran}
    assert all(bound["counties"] == () for _name, bound in ran if "counties" in bound)


def test_the_overviews_first_run_finds_its_ranking_and_freshness_made_by_the_warm_up(demo_dir, monkeypatch):
    """The warm-up makes the overview's province ranking and freshness rows under the keys the page reads: the
    page's first run after it makes neither again. The login service is ready too."""
    from karnama.access import auth
    from karnama.core.lru import BoundedCache
    from karnama.web import meeting_panel, tables, warmup
    from tests.apptest_helpers import run_app

    monkeypatch.setenv("KARNAMA_DATA_DIR", str(demo_dir))
    made: list[str] = []
    original = BoundedCache.get_or_make

    def watched(self, key, make):
        if self.get(key) is None:
            made.append(make.__qualname__)
        return original(self, key, make)

    monkeypatch.setattr(BoundedCache, "get_or_make", watched)
    monkeypatch.setattr(auth, "_SERVICES", {})
    meeting_panel._FRESHNESS.clear()
    tables._RANKINGS.clear()
    warmup.warm()
    assert {"_freshness_in_scope.<locals>.make", "ranking_frames.<locals>.<lambda>"} <= set(made)
    assert len(auth._SERVICES) == 1
    made.clear()
    at = run_app()
    assert not at.exception and at.title
    assert not {"_freshness_in_scope.<locals>.make", "ranking_frames.<locals>.<lambda>"} & set(made), made


def test_a_failed_warm_up_is_logged_not_raised(monkeypatch):
    from karnama.web import warmup

    logged: list[str] = []
    monkeypatch.setattr(warmup, "warm", lambda: 1 / 0)
    monkeypatch.setattr(warmup._LOG, "exception", lambda message, *a: logged.append(message))
    warmup._warm_logged()  # returns: the server keeps starting
    thread = warmup.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and len(logged) == 2 and "first page" in logged[0]


def test_skipping_streamlits_component_scan_loses_nothing_and_skips_it(monkeypatch):
    """serve.py skips the runtime's scan of every installed package for components-v2 manifests: there is none to
    find here (an installed package that ships one fails this test), and after the skip the runtime's call to it
    no longer reads any package's metadata."""
    import inspect

    from streamlit.components.v2 import component_manager, manifest_scanner
    from streamlit.runtime import runtime

    from karnama.web import warmup

    assert manifest_scanner.scan_component_manifests() == []
    # the method the runtime calls when it starts, by this name (an upgrade that renames it fails here)
    assert ".discover_and_register_components()" in inspect.getsource(runtime.Runtime.__init__)
    manager = component_manager.BidiComponentManager
    monkeypatch.setattr(manager, "discover_and_register_components", manager.discover_and_register_components)
    scanned = []
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", lambda *a, **k: scanned.append(1) or [])
    manager().discover_and_register_components()
    assert scanned == [1]  # as Streamlit ships it
    warmup.skip_component_scan()
    manager().discover_and_register_components()
    assert scanned == [1]
