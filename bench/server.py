"""The real server: cold start to a rendered overview in headless Chromium, and memory after every page.

    python -m bench.server --size 10M [--repeat 3] [--out FILE]

Cold start: the clock starts right before ``streamlit run serve.py`` is spawned (Chromium is already running, with
a new empty tab) and stops when the overview shows its KPI cards and map and Streamlit's running indicator is gone. Memory: in the
last of those servers, every page of the app is opened in turn, then the server's resident memory and its
peak (VmHWM) are read from /proc.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    WORK,
    app_server,
    data_dir,
    emit,
    proc_memory_mb,
    snapshot_rows,
    wait_healthy,
)

TIMEOUT_MS = 300_000


def wait_rendered(page, overview: bool) -> None:
    """Until the page has drawn (for the overview: 8 KPI cards and the map) and no script is running."""
    page.wait_for_selector("[data-testid=stMain] h1", timeout=TIMEOUT_MS)
    if overview:
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=stMetricValue]').length >= 8 && "
            "document.querySelector('.js-plotly-plot .main-svg') && "
            "![...document.querySelectorAll('.karnama-plot')].some((c) => c.dataset.state !== 'drawn')",
            timeout=TIMEOUT_MS,
        )
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=TIMEOUT_MS)


def run(size: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    from karnama.web import nav

    data = data_dir(size)
    cold: list[float] = []
    out: dict = {"size": size, "rows": snapshot_rows(data)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i in range(repeat):
                # The browser is open with an empty tab, as a person's would be: the tab's own start-up is not
                # the server's cold start.
                context = browser.new_context(viewport={"width": 1600, "height": 1000})
                page = context.new_page()
                with app_server(data, WORK / "logs" / f"server-{size}-{i}.log") as (url, proc, started):
                    wait_healthy(url, proc)
                    healthy = time.perf_counter() - started
                    page.goto(url + "/", timeout=TIMEOUT_MS)
                    wait_rendered(page, overview=True)
                    cold.append(time.perf_counter() - started)
                    print(
                        f"  cold start {size} #{i + 1}: {cold[-1]:.2f} s (healthy after {healthy:.2f} s)",
                        file=sys.stderr,
                        flush=True,
                    )
                    if i == repeat - 1:
                        out["memory_after_start_mb"] = proc_memory_mb(proc.pid)
                        visits = {}
                        for spec in nav.PAGES:
                            t = time.perf_counter()
                            page.goto(f"{url}/{spec.url_path}", timeout=TIMEOUT_MS)
                            wait_rendered(page, overview=spec.url_path == "overview")
                            visits[spec.url_path] = round(time.perf_counter() - t, 2)
                        out["page_visit_s"] = visits
                        out["memory_after_pages_mb"] = proc_memory_mb(proc.pid)
                    context.close()
        finally:
            browser.close()
    out["cold_start_s"] = round(statistics.median(cold), 2)
    out["cold_start_runs_s"] = [round(c, 2) for c in cold]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="demo")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    result = run(args.size, args.repeat)
    emit(result, args.out)


if __name__ == "__main__":
    main()
