"""Runs the named SQL files in queries/ against one snapshot, with DuckDB-bound parameters.

SQL names views (``incentives``, ``loans``, ``calendar``…), never paths: this module maps each view to the
snapshot's parquet file. Every query takes ``$counties`` (a list; empty = the whole province); a county scope,
when given, is applied here so no page or export can widen it.
"""

from __future__ import annotations

import contextvars
import gc
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import duckdb
import jdatetime
import pandas as pd
import pyarrow as pa

from karnama.core import paths
from karnama.core.schema import TABLES
from karnama.data import rollups
from karnama.data.snapshots import Snapshot

QUERIES_DIR = paths.QUERIES_DIR
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Jalali calendar rows cover every date the data may hold.
CALENDAR_YEARS = (1380, 1420)

# Queries that are not about counties and may leave out $counties (none so far): the runner refuses any other.
COUNTY_FREE_QUERIES: frozenset[str] = frozenset()

# Queries with one row per county whose rows do not depend on which other counties are chosen ($counties only
# filters them; no share of a total, no rank): a choice of counties is served from the province result of the
# same query and parameters, filtered to those counties, instead of planning and running the SQL again.
# tests/test_rerun_work.py checks each against running it directly, frame for frame with dtypes.
COUNTY_ROW_QUERIES: frozenset[str] = frozenset(
    {
        "kpi_by_county",
        "se_by_county",
        "se_progress_by_county",
        "incentives_by_county",
        "centres_by_county",
        "loans_by_county",
    }
)
COUNTY_COLUMN = "county_code"

# A county code that can never exist, so a scope that excludes everything matches no row.
NO_COUNTY = "\x00none"

# The signed-in account's county scope for the current Streamlit run, set by the login gate (web.gate.gate via
# web.frame.page_view) before any query. Every query of the run is narrowed to it, whatever scope a caller passes, and
# a query in a Streamlit run before that decision is refused. Outside Streamlit (CLI, tests) it is unset.
_UNDECIDED = object()
_SESSION_SCOPE: contextvars.ContextVar = contextvars.ContextVar("karnama_session_scope", default=_UNDECIDED)


def _bind_scope(scope: Iterable[str] | None) -> None:
    """Narrow every later query of this run (this thread's context) to ``scope``; None = unrestricted.

    Only the login gate (karnama/web/gate.py) calls this; a test of the layering checks that."""
    _SESSION_SCOPE.set(None if scope is None else frozenset(scope))


def _never_in_a_run() -> bool:
    return False


# Tells whether code runs inside a web page run (set by the web layer, so this module never imports streamlit).
_in_page_run: Callable[[], bool] = _never_in_a_run


def set_page_run_detector(detector: Callable[[], bool]) -> None:
    """Let the web layer say how to tell a page run, where a query before the access decision is refused."""
    global _in_page_run
    _in_page_run = detector


def session_scope() -> frozenset[str] | None:
    """The scope bound for this run (None = unrestricted); QueryError in a Streamlit run that has none yet."""
    value = _SESSION_SCOPE.get()
    if value is _UNDECIDED:
        if _in_page_run():
            raise QueryError("a query ran before the access decision: start the page with ui.page_view()")
        return None
    return value


class QueryError(Exception):
    """A query name or its parameters are wrong (a programming error, not bad data)."""


@cache
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql."""
    path = QUERIES_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        raise QueryError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@lru_cache(maxsize=1)
def calendar_table() -> pa.Table:
    """One row per Gregorian day with its Jalali year, month and day."""
    import numpy as np

    # Built per Jalali year from its Nowruz (months 1-6 have 31 days, 7-11 have 30, Esfand the rest): a few
    # dozen calendar conversions instead of one per day (15,000 of them cost ~0.3 s of every cold start).
    years = range(CALENDAR_YEARS[0], CALENDAR_YEARS[1] + 1)
    nowruz = [jdatetime.date(y, 1, 1).togregorian() for y in (*years, CALENDAR_YEARS[1] + 1)]
    jy, jm, jd = [], [], []
    for y, start, end in zip(years, nowruz, nowruz[1:]):
        lengths = [31] * 6 + [30] * 5 + [(end - start).days - 336]
        jy.append(np.full((end - start).days, y, np.int16))
        jm.append(np.repeat(np.arange(1, 13, dtype=np.int8), lengths))
        jd.append(np.concatenate([np.arange(1, n + 1, dtype=np.int8) for n in lengths]))
    days = np.arange(np.datetime64(nowruz[0]), np.datetime64(nowruz[-1]), dtype="datetime64[D]")
    return pa.table(
        {
            "d": pa.array(days, pa.date32()),
            "jy": pa.array(np.concatenate(jy)),
            "jm": pa.array(np.concatenate(jm)),
            "jd": pa.array(np.concatenate(jd)),
        }
    )


def scoped_counties(requested: Iterable[str] | None, scope: Iterable[str] | None) -> list[str]:
    """Counties a query may see: the request (empty = all) narrowed to the scope (None = unrestricted)."""
    req = [c for c in (requested or [])]
    if scope is None:
        return req
    allowed = set(scope)
    narrowed = [c for c in req if c in allowed] if req else sorted(allowed)
    return narrowed or [NO_COUNTY]


IN_MEMORY_ROWS = 100_000  # a snapshot table this small is held in memory, larger ones are read from parquet


class Db:
    """A DuckDB connection whose views read one snapshot. Thread-safe: each query uses its own cursor."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._con = duckdb.connect(config={"threads": 2})
        for table in TABLES:
            rel = self._con.read_parquet(str(snapshot.file(table)))
            if snapshot.rows(table) <= IN_MEMORY_ROWS:
                # Small tables (counties, targets, the monthly tables) are read into memory once: a view would
                # open and parse the parquet file again at every query that names it, a few ms each time.
                rel.create(table)
            else:
                rel.create_view(table)
        self._con.register("calendar_arrow", calendar_table())
        self._con.execute("CREATE TABLE calendar AS SELECT * FROM calendar_arrow")
        self._con.unregister("calendar_arrow")
        # Pre-aggregated agg_* tables: dashboard queries read these, never the record-level rows.
        self.rollups_cached = rollups.attach(self._con, snapshot, CALENDAR_YEARS)
        self._lock = threading.Lock()
        # Results by (query, bound parameters). The snapshot never changes, so an entry is never stale; it
        # lives as long as this snapshot's Db. Bounded, least recently used first out.
        self._results: OrderedDict[tuple, pd.DataFrame] = OrderedDict()

    def run(self, name: str, params: dict | None = None, scope: Iterable[str] | None = None) -> pd.DataFrame:
        """Run queries/<name>.sql with named parameters; ``counties`` is narrowed to ``scope``."""
        sql = sql_text(name)
        wanted = set(_PARAM.findall(sql))
        if "counties" not in wanted and name not in COUNTY_FREE_QUERIES:
            # A query that ignores $counties would ignore a county account's scope too.
            raise QueryError(f"{name}: every query takes $counties (or is listed in COUNTY_FREE_QUERIES)")
        values = dict(params or {})
        values["counties"] = scoped_counties(values.get("counties"), scope)
        bound_scope = session_scope()
        if bound_scope is not None:
            values["counties"] = scoped_counties(values["counties"], bound_scope)
        missing = wanted - values.keys()
        if missing:
            raise QueryError(f"{name}: missing parameters {sorted(missing)}")
        bound = {k: v for k, v in values.items() if k in wanted}
        if name in COUNTY_ROW_QUERIES and bound["counties"]:
            derived = self._from_province(name, sql, bound)
            if derived is not None:
                return derived
        return self._cached(name, sql, bound).copy(deep=False)  # a new frame (callers add columns)

    def _cached(self, name: str, sql: str, bound: dict) -> pd.DataFrame:
        """The query's result for exactly these bound values, from the cache or run now (and kept)."""
        key = _cache_key(name, bound)
        with self._lock:
            hit = self._hit(key)
            if hit is not None:
                return hit  # callers get a shallow copy; copy-on-write guards the data
            cur = self._con.cursor()
        try:
            frame = cur.execute(sql, bound).df()
        finally:
            cur.close()
        if key is not None:
            self._keep(key, frame)
        return frame

    def _hit(self, key: tuple | None) -> pd.DataFrame | None:
        """The kept result for ``key`` (now the most recently used), or None; the caller holds the lock."""
        if key is None:
            return None
        hit = self._results.get(key)
        if hit is not None:
            self._results.move_to_end(key)
        return hit

    def _keep(self, key: tuple, frame: pd.DataFrame) -> None:
        with self._lock:
            self._results[key] = frame
            while len(self._results) > RESULT_CACHE_ENTRIES:
                self._results.popitem(last=False)

    def _from_province(self, name: str, sql: str, bound: dict) -> pd.DataFrame | None:
        """A COUNTY_ROW_QUERIES result for the chosen counties: the province's rows of those counties, with the
        dtypes running the query for them gives. None when no county row is left (an empty result's dtypes come
        from the query itself, so it is run)."""
        key = _cache_key(name, bound)
        with self._lock:
            hit = self._hit(key)
        if hit is not None:
            return hit.copy(deep=False)
        province = self._cached(name, sql, {**bound, "counties": []})
        rows = province[province[COUNTY_COLUMN].isin(bound["counties"])].reset_index(drop=True)
        if rows.empty:
            return None
        # DuckDB gives a nullable dtype (Int64, boolean) only to a column that holds a NULL: the province's may,
        # these counties' may not.
        for column, dtype in rows.dtypes.items():
            if isinstance(dtype, _NULLABLE_NUMPY) and not rows[column].isna().any():
                rows[column] = rows[column].to_numpy(dtype=dtype.numpy_dtype)
        if key is not None:
            self._keep(key, rows)
        return rows.copy(deep=False)

    def clear_results(self) -> None:
        """Forget cached results (benchmarks use it to time queries that miss the cache)."""
        with self._lock:
            self._results.clear()

    def close(self) -> None:
        self._con.close()


RESULT_CACHE_ENTRIES = 2048
_NULLABLE_NUMPY = (pd.core.arrays.integer.IntegerDtype, pd.BooleanDtype)


def _cache_key(name: str, bound: dict) -> tuple | None:
    """A hashable key for a query and its bound values (lists become tuples); None if a value is unhashable."""
    try:
        key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in bound.items())))
        hash(key)
    except TypeError:
        return None
    return key


def clear_results() -> None:
    """Forget every cached query result of this process."""
    with _DBS_LOCK:
        dbs = list(_DBS.values())
    for db in dbs:
        db.clear_results()


_DBS: dict[tuple[str, str], Db] = {}
_DBS_LOCK = threading.Lock()


def db_for(snapshot: Snapshot) -> Db:
    """A shared Db per snapshot (by path and id), so views and the calendar are built once per process."""
    key = (str(snapshot.path), snapshot.id)
    with _DBS_LOCK:
        db = _DBS.get(key)
        if db is None:
            db = _DBS[key] = Db(snapshot)
        return db


_FROZEN = False


def freeze_startup_heap() -> None:
    """Once per process, called by the web layer when it first opens the snapshot store (the app's modules are
    imported by then): move every object alive now out of the cyclic garbage collector's reach.

    A dashboard process holds a large heap that lives as long as it does (Streamlit, plotly, pandas, DuckDB);
    every full collection walked all of it, 75-90 ms each time, which the benchmark saw as the slowest reruns.
    Frozen objects are still freed by reference counting; only cycles among them are never collected."""
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.freeze()


# Page runs of this process after which the live heap is frozen again (see page_run_started).
REFREEZE_AFTER_RUNS = frozenset({2, 4, 8, 16, 32, 64})
_RUNS = 0
_RUNS_LOCK = threading.Lock()


def page_run_started() -> None:
    """Called by the web layer as every page run starts. On the first it freezes the startup heap; on a few early
    ones (REFREEZE_AFTER_RUNS) it collects and freezes again what the first runs left alive.

    Every full collection walks every object that is not frozen: Streamlit's after every script run unless
    ``runner.postScriptGC`` is off (it is, in .streamlit/config.toml), Python's own whenever the heap has grown by
    a quarter. The first runs of a process create objects that live as long as it does (the modules and templates
    that pages import on first use, the SQL, figure and result caches' structures); left unfrozen, they were
    walked again after every run (about a sixth of a rerun's CPU). Garbage is collected before each freeze,
    so only what is alive is frozen; the freezes stop after a few dozen runs, so whatever a session then held
    and would drop in a reference cycle is bounded and small."""
    global _RUNS
    freeze_startup_heap()
    with _RUNS_LOCK:
        _RUNS += 1
        again = _RUNS in REFREEZE_AFTER_RUNS
    if again:
        gc.collect()
        gc.freeze()


def prepare(snapshot: Snapshot) -> None:
    """Build and store a snapshot's rollups now (right after publishing), so no app process pays for it."""
    db_for(snapshot)


def run(snapshot: Snapshot, name: str, params: dict | None = None, scope: Iterable[str] | None = None) -> pd.DataFrame:
    """Run a named query against a snapshot."""
    return db_for(snapshot).run(name, params, scope)


@dataclass(frozen=True)
class Filters:
    """What the user chose: a Jalali year and counties (empty tuple = the whole province)."""

    year: int
    counties: tuple[str, ...] = ()

    def params(self, **extra) -> dict:
        return {"year": self.year, "counties": list(self.counties), **extra}
