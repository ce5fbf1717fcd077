"""The benchmark's pure helpers (issue 16): percentiles, CPU-time readings, session counting, report shapes.

No timing is asserted: the benchmark itself is not part of the test suite."""

from __future__ import annotations

import os
import socket

from bench import run
from bench.browser import page_entry, per_change_ms, percentile_summary
from bench.common import proc_cpu_s
from bench.sessions import established


def test_percentiles_of_milliseconds():
    s = percentile_summary([float(x) for x in range(1, 101)])
    assert s == {"p50_ms": 50.5, "p95_ms": 95.0, "n": 100}
    assert percentile_summary([]) == {"p50_ms": None, "p95_ms": None, "n": 0}


def test_cpu_per_change_and_the_process_cpu_time():
    assert per_change_ms(10.0, 10.5, 5) == 100.0
    assert per_change_ms(1.0, 2.0, 0) is None
    before = proc_cpu_s(os.getpid())
    sum(i * i for i in range(2_000_000))  # some work of this process's own
    after = proc_cpu_s(os.getpid())
    assert 0 < before < after


def test_established_counts_a_process_s_connections_on_a_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert established(os.getpid(), port) == 0
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        accepted = [server.accept()[0] for _ in clients]
        try:
            assert established(os.getpid(), port) == 3  # the accepted ends, on the server's port
        finally:
            for s in clients + accepted:
                s.close()


def test_page_entry_has_the_report_keys():
    entry = page_entry([1000.0, 2000.0], {"year": [100.0, 300.0], "county": [200.0]}, [])
    assert entry["load_n"] == 2 and entry["filter_n"] == 3
    assert entry["filter_p50_ms"] == 200.0 and entry["year_p50_ms"] == 200.0 and entry["county_p95_ms"] == 200.0
    for key in ("load_p50_ms", "load_p95_ms", "filter_p50_ms", "filter_p95_ms"):
        assert isinstance(entry[key], float)


def _report(filter95: float, cpu: float, sixty_errors: int) -> dict:
    return {
        "pages": {},
        "naive": {},
        "karnama": {},
        "cold_start_s": 2.5,
        "import": {"seconds": 2.0, "bare_read_seconds": 1.0, "rows": 100000},
        "browser": {"overview": {"10M": {"filter_p95_ms": filter95, "load_p95_ms": 2000.0}}},
        "cpu_per_change_ms": {"overview": {"10M": cpu}, "floor": 50.0},
        "concurrency": {
            "sessions": 20,
            "errors": 0,
            "runs": [
                {"sessions": 60, "processes": 2, "p50_ms": 300.0, "p95_ms": 900.0, "errors": sixty_errors},
                {"sessions": 30, "processes": 2, "p50_ms": 200.0, "p95_ms": 500.0, "errors": 0},
            ],
            "runs_single": {"p95_ms": 200.0},
        },
    }


def _by_name(goals: list[dict]) -> dict[str, dict]:
    return {g["goal"]: g for g in goals}


def test_goals_of_what_people_feel():
    goals = _by_name(run.goals(_report(filter95=350.0, cpu=70.0, sixty_errors=0), "10M"))
    cpu = goals["overview: server CPU per filter change at 10M <= 1.5 x the floor page's"]
    assert cpu["measured"] == 1.4 and cpu["pass"] is True and "limited_by" not in cpu
    assert goals["overview: filter change -> page redrawn p95 at 10M <= 400 ms"]["pass"] is True
    assert goals["overview: fresh page load p95 at 10M <= 2500 ms"]["pass"] is True
    assert goals["60 concurrent sessions on 2 processes: zero errors"]["pass"] is True
    assert goals["60 concurrent sessions on 2 processes: p95 <= 1500 ms"]["pass"] is True
    assert goals["30 concurrent sessions on 2 processes: p95 <= 3 x one session's p95"]["measured"] == 2.5
    assert goals["cold start to the overview drawn at 10M <= 3 s"]["pass"] is True
    assert goals["import of 100000 rows <= 1.5 x the bare read"]["pass"] is False

    missed = _by_name(run.goals(_report(filter95=450.0, cpu=90.0, sixty_errors=2), "10M"))
    for name in (
        "overview: server CPU per filter change at 10M <= 1.5 x the floor page's",
        "overview: filter change -> page redrawn p95 at 10M <= 400 ms",
        "60 concurrent sessions on 2 processes: zero errors",
    ):
        assert missed[name]["pass"] is False and missed[name]["limited_by"]
    # every goal has the same shape as the earlier ones
    assert all(set(g) <= {"goal", "measured", "target", "pass", "limited_by"} for g in missed.values())


def test_goals_without_the_new_parts_are_not_applicable():
    goals = run.goals({"pages": {}, "naive": {}, "karnama": {}, "concurrency": None}, "10M")
    felt = _by_name(goals)["60 concurrent sessions on 2 processes: p95 <= 1500 ms"]
    assert felt["pass"] is None and felt["measured"] is None


def test_the_import_figure_is_the_median_of_its_rounds(demo_dir, tmp_path, monkeypatch):
    from bench import figures

    monkeypatch.setattr(figures, "WORK", tmp_path)
    monkeypatch.setattr(figures, "ensure_data", lambda size: demo_dir)
    result = figures.import_figures(300, repeat=3)
    assert result["data_rows"] == 300 and result["repeat"] == 3
    assert len(result["seconds_runs"]) == len(result["bare_read_runs"]) == 3
    assert result["seconds"] == sorted(result["seconds_runs"])[1]
    assert result["bare_read_seconds"] == sorted(result["bare_read_runs"])[1]
    assert result["ratio"] > 0 and result["publish_seconds"] > 0
