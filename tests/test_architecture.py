"""The layering contract (README, *Architecture*), checked on the source: who may import streamlit, what the web
layer may reach, no import cycles, every query scoped by county, scope binding private to the login gate."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from karnama.core.paths import QUERIES_DIR, ROOT
from karnama.data import query

PACKAGE = ROOT / "karnama"
WEB = PACKAGE / "web"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (``from a import b`` gives a.b when b is a
    module of the package, else a)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                is_module = (ROOT / (sub.replace(".", "/") + ".py")).exists() or (ROOT / sub.replace(".", "/")).is_dir()
                found.add(sub if is_module else node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.add("<relative>")
    return found


SOURCES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: _imports(path) for name, path in SOURCES.items()}


def _is_web(name: str) -> bool:
    return name == "karnama.web" or name.startswith("karnama.web.")


def test_imports_are_absolute():
    assert not [n for n, deps in GRAPH.items() if "<relative>" in deps]


def test_only_the_web_layer_imports_streamlit():
    offenders = {n for n, deps in GRAPH.items() if not _is_web(n) and any(d.split(".")[0] == "streamlit" for d in deps)}
    assert not offenders, offenders
    # and the web layer really is where Streamlit lives
    assert any(d.split(".")[0] == "streamlit" for d in GRAPH["karnama.web.frame"])


def test_pure_layers_never_import_the_web_layer_or_the_command_line():
    for name, deps in GRAPH.items():
        if _is_web(name) or name.startswith("karnama.cli") or name == "karnama.__main__":
            continue
        bad = {d for d in deps if _is_web(d) or d.startswith("karnama.cli")}
        assert not bad, (name, bad)


def test_core_depends_on_nothing_else_of_the_package():
    for name, deps in GRAPH.items():
        if name.startswith("karnama.core"):
            bad = {d for d in deps if d.startswith("karnama") and not d.startswith("karnama.core")}
            assert not bad, (name, bad)


WEB_MAY_REACH = (
    "karnama.core",
    "karnama.metrics",
    "karnama.data.query",
    "karnama.data.catalog",
    "karnama.data.snapshots",
    "karnama.access",
    "karnama.importer",
    "karnama.exports",
    "karnama.web",
    "karnama.status",
    "karnama.verdict",
    "karnama.meeting",
)
WEB_MAY_NOT = ("duckdb", "pyarrow.parquet", "pyarrow.dataset")


def test_the_web_layer_reaches_data_only_through_metrics_and_the_query_functions():
    pages = {f"pages.{p.stem}": _imports(p) for p in (ROOT / "pages").glob("*.py")} | {
        "app": _imports(ROOT / "app.py"),
        "serve": _imports(ROOT / "serve.py"),
    }
    for name, deps in {**{n: d for n, d in GRAPH.items() if _is_web(n)}, **pages}.items():
        ours = {d for d in deps if d.startswith("karnama")}
        assert all(d.startswith(WEB_MAY_REACH) or d == "karnama" for d in ours), (name, ours)
        assert not {d for d in deps if d.startswith(WEB_MAY_NOT)}, name


def test_no_import_cycles_in_the_package():
    graph = {n: {d for d in deps if d in GRAPH} for n, deps in GRAPH.items()}
    # a package's __init__ importing its own submodules is not a cycle of design; the rest must be a DAG
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def test_every_query_file_takes_counties():
    names = [p.stem for p in QUERIES_DIR.glob("*.sql")]
    assert names
    missing = [n for n in names if "$counties" not in query.sql_text(n) and n not in query.COUNTY_FREE_QUERIES]
    assert not missing, missing


def test_the_runner_refuses_a_query_that_ignores_counties(fixture_snapshot, tmp_path, monkeypatch):
    (tmp_path / "all_loans.sql").write_text("SELECT count(*) AS n FROM loans WHERE $year > 0", encoding="utf-8")
    (tmp_path / "scoped_loans.sql").write_text(
        "SELECT count(*) AS n FROM loans WHERE $year > 0 AND (len($counties::VARCHAR[]) = 0 "
        "OR list_contains($counties::VARCHAR[], county_code))",
        encoding="utf-8",
    )
    monkeypatch.setattr(query, "QUERIES_DIR", tmp_path)
    query.sql_text.cache_clear()
    try:
        with pytest.raises(query.QueryError, match=r"\$counties"):
            query.run(fixture_snapshot, "all_loans", {"year": 1402})
        assert int(query.run(fixture_snapshot, "scoped_loans", {"year": 1402}, scope={"NEY"})["n"][0]) >= 0
        monkeypatch.setattr(query, "COUNTY_FREE_QUERIES", frozenset({"all_loans"}))
        assert int(query.run(fixture_snapshot, "all_loans", {"year": 1402})["n"][0]) > 0
    finally:
        query.sql_text.cache_clear()


def test_scope_binding_is_private_to_the_login_gate():
    callers = set()
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py", ROOT / "serve.py"]:
        if "_bind_scope" in path.read_text(encoding="utf-8"):
            callers.add(path.relative_to(ROOT).as_posix())
    assert callers == {"karnama/data/query.py", "karnama/web/gate.py"}
    assert not hasattr(query, "bind_scope") and not hasattr(query.Db, "con")
