"""Shared pieces of the benchmark: where the generated data lives, statistics, the app server, memory readings."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

from karnama.core.paths import SERVER_SCRIPT, server_command

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# Debian's Chromium and the flags every browser measurement and browser test uses (tests/browser.py reads them).
CHROMIUM = "/usr/bin/chromium"  # Debian's; never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generated snapshots are big (10M rows ≈ 40 MB of parquet); they never go into the repository.
WORK = Path(os.environ.get("KARNAMA_BENCH_DIR", "/tmp/karnama_bench"))
SIZES: dict[str, int | None] = {"demo": None, "1M": 1_000_000, "10M": 10_000_000}
PORTS = range(8620, 8641)  # the benchmark's own Streamlit ports (loopback only)


def stats(seconds: list[float]) -> dict:
    """p50 / p95 / mean / max in milliseconds of a list of durations in seconds."""
    if not seconds:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}
    ms = np.array(seconds) * 1000
    return {
        "n": len(ms),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "mean_ms": round(float(ms.mean()), 1),
        "max_ms": round(float(ms.max()), 1),
    }


def data_dir(size: str, work: Path = WORK) -> Path:
    return work / size


def _generated_matches(path: Path, rows: int | None) -> bool:
    """Whether ``path`` holds the active snapshot the generator would write now for this size."""
    try:
        active = (path / "ACTIVE").read_text().strip()
        manifest = json.loads((path / "snapshots" / active / "manifest.json").read_text())
    except OSError:
        return False
    settings = manifest.get("demo_settings") or {}
    if rows is None:
        return settings.get("volume") == 1.0 and "se_volume" not in settings and len(settings.get("years", [])) == 5
    from karnama.data import scale

    return settings.get("volume") == scale.plan(rows).volume


def ensure_data(size: str, work: Path = WORK, regen: bool = False) -> Path:
    """The data directory for a size, generated with ``python -m karnama demo [--rows N]`` when missing."""
    path = data_dir(size, work)
    rows = SIZES[size]
    if regen or not _generated_matches(path, rows):
        shutil.rmtree(path, ignore_errors=True)
        cmd = [sys.executable, "-m", "karnama", "demo", "--data-dir", str(path)]
        if rows:
            cmd += ["--rows", str(rows)]
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"  generated {size} in {time.perf_counter() - t:.0f} s -> {path}", file=sys.stderr)
    return path


def snapshot_rows(path: Path) -> int:
    active = (path / "ACTIVE").read_text().strip()
    manifest = json.loads((path / "snapshots" / active / "manifest.json").read_text())
    return sum(t["rows"] for t in manifest["tables"].values())


def machine() -> dict:
    """What the figures were measured on."""
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import duckdb
    import pandas
    import streamlit

    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "os": platform.platform(),
    }


def proc_memory_mb(pid: int) -> dict:
    """Resident memory now (VmRSS) and its peak (VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS"), "peak_mb": fields.get("VmHWM")}


def proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@contextlib.contextmanager
def app_server(data: Path, log: Path, timeout: float = 120, script: Path | None = None):
    """``streamlit run serve.py`` on a free benchmark port serving ``data``; yields (url, process, start time).

    The start time is taken right before the process is spawned (for the cold-start figure). ``script`` serves
    another script the same way (the floor page: ``streamlit run bench/floor_app.py``)."""
    port = free_port()
    env = {**os.environ, "KARNAMA_DATA_DIR": str(data)}
    cmd = server_command(sys.executable, port, script=script or SERVER_SCRIPT)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "--browser.gatherUsageStats", "false"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        yield url, proc, started
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server process: politely, then for good."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120, interval: float = 0.05) -> None:
    """Poll Streamlit's health endpoint until it answers."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(interval)
    raise RuntimeError("streamlit did not become healthy in time")


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def emit(result: dict, out: Path | None) -> None:
    """A part's result: to ``out`` (how bench.run collects it) or printed."""
    if out:
        write_json(out, result)
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2))
