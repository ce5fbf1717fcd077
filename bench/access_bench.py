"""Figures for docs/deployment.md: login time and audit events per second, on SQLite and on PostgreSQL.

    python bench/access_bench.py [--events 500] [--logins 15]

Login: the median wall time of a failed login (known name / unknown name) and of a successful one, through the
same Authenticator the login page uses, with the production argon2id cost. Audit: events per second appended by
one process, and by two processes at once (one chain). PostgreSQL is a throwaway server from tests/pg.py (needs
the Debian postgresql package); figures depend on the machine and its load, which is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from karnama.access import (  # noqa: E402
    audit,
    auth,
    registry,
)
from karnama.core.settings import load  # noqa: E402

WRITER = (
    "import sys, time; from karnama.access import audit; from karnama.core.settings import load;"
    "s = load(sys.argv[1]); audit.record('warm', 'x', settings=s); t = time.perf_counter();"
    "[audit.record('export', 'bench', settings=s, n=i) for i in range(int(sys.argv[2]))];"
    "print(time.perf_counter() - t)"
)


def measure(label: str, data_dir: Path, events: int, logins: int) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text("login_max_failures = 100000\n", encoding="utf-8")
    settings = load(data_dir)
    service = auth.login_service(settings)
    service.store.add("bench", auth.PROVINCE, (), "Bench-password-42")
    service.login("bench", "Bench-password-42", "warm")  # rehash / warm-up
    t: dict[str, list[float]] = {"known": [], "unknown": [], "success": []}
    for i in range(logins):
        for kind, name, pw in (
            ("known", "bench", "Wrong-password-1"),
            ("unknown", "nobody", "Wrong-password-1"),
            ("success", "bench", "Bench-password-42"),
        ):
            t0 = time.perf_counter()
            service.login(name, pw, f"10.1.{i}.1")
            t[kind].append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for i in range(events):
        audit.record("export", "bench", settings=settings, n=i)
    one = events / (time.perf_counter() - t0)
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), str(events)], cwd=ROOT, env=env, stdout=subprocess.PIPE
        )
        for _ in range(2)
    ]
    walls = [float(p.communicate()[0]) for p in procs]
    two = 2 * events / max(walls)
    assert audit.verify(settings) == []
    out = {
        "store": label,
        "login_failed_known_ms": round(statistics.median(t["known"]) * 1000),
        "login_failed_unknown_ms": round(statistics.median(t["unknown"]) * 1000),
        "login_success_ms": round(statistics.median(t["success"]) * 1000),
        "audit_events_per_s_one_process": round(one),
        "audit_events_per_s_two_processes": round(two),
    }
    print(out, flush=True)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=500)
    p.add_argument("--logins", type=int, default=15)
    args = p.parse_args()
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()}")
    base = Path(tempfile.mkdtemp(prefix="karnama-access-bench-"))
    os.environ.pop("KARNAMA_DATABASE_URL", None)
    measure("sqlite", base / "sqlite", args.events, args.logins)
    from tests import pg

    if pg.bin_dir() is None:
        print("PostgreSQL not installed: skipped")
        return
    with pg.server() as server:
        os.environ["KARNAMA_DATABASE_URL"] = server.new_database_url("bench")
        registry.forget_stores()
        measure("postgresql", base / "pg", args.events, args.logins)
        registry.forget_stores()


if __name__ == "__main__":
    main()
