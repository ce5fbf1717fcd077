"""Starting the real app on a free local port, and driving Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

from bench.common import CHROMIUM, CHROMIUM_ARGS, stop, wait_healthy
from karnama.core.paths import ROOT, SERVER_SCRIPT, server_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(data_dir: Path, env: dict | None = None, timeout: float = 60, script: Path | None = None):
    """Yield the base URL of `streamlit run serve.py` (or of ``script``, with the project's Streamlit settings)
    serving ``data_dir``; stop it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        server_command(sys.executable, port, script=script or SERVER_SCRIPT),
        cwd=ROOT,
        env={**os.environ, "KARNAMA_DATA_DIR": str(data_dir), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, proc, timeout=timeout, interval=0.3)
        except RuntimeError as exc:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout and proc.poll() is not None else ""
            raise RuntimeError(f"streamlit did not start: {out[-2000:]}") from exc
        yield url
    finally:
        stop(proc, timeout=10)


@contextlib.contextmanager
def browser():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_for_app(page, selector: str = "[data-testid=stMetricValue]", timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has rendered ``selector`` and stopped running."""
    page.wait_for_selector(selector, timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout_ms)
    page.wait_for_timeout(800)
