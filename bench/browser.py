"""What people feel: every page in headless Chromium, fresh load and filter change, with the server's CPU per change.

    python -m bench.browser --sizes demo,10M [--loads 15] [--changes 16] [--floor] [--out FILE]

For each size one server (``streamlit run serve.py``) serves the generated snapshot; every page is opened once
first (untimed: the first run of a page in a process imports its modules; cold start is bench.server's figure).

* *Fresh load*: a new browser context per run (empty cache, no cookies), from navigation start to the page drawn.
  Rounds go over every page in turn, so noise from the rest of the machine falls on every page alike.
* *Filter change*: on a loaded page, the year (its selectbox: open it, click another year) and the county (its
  multiselect: pick a county from its list when none is chosen, else remove the chosen one with its ×)
  alternately, as a person does; timed from the click to the charts redrawn. The boxes are the sidebar's, and on
  the presentation page (which hides the sidebar) its footer's.
* *Drawn* (both): Streamlit's script run state on the ``stApp`` element (``data-test-script-state``) is
  ``notRunning``, the page's title is in the main area, no element of the previous run is left (``data-stale``),
  no skeleton, and every plotly chart has drawn its SVG (for karnama.web.plot's, for its current data); held for ``STABLE_MS`` so that a second run right after
  the first is not taken for the end. The time is the moment this first held (from the browser's own clock:
  ``performance.now()``, navigation start = 0; for a change, from the click's event time). A change also needs a
  script run seen after the click (a MutationObserver records every state of ``data-test-script-state``).
* *Server CPU per change*: utime + stime of the server process (every thread; /proc/<pid>/stat) over all the
  changes of a page, divided by their number, read after a settle wait. The floor (bench/floor_app.py, served the
  same way with ``streamlit run bench/floor_app.py``) is driven with the same clicks.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from bench.common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    WORK,
    app_server,
    data_dir,
    emit,
    proc_cpu_s,
    snapshot_rows,
    stats,
    wait_healthy,
)

VIEWPORT = {"width": 1600, "height": 1000}
STABLE_MS = 200  # the drawn state must hold this long (a rerun right after a run is not the end)
SETTLE_S = 0.5  # after the last change, before the CPU time is read
TIMEOUT_MS = 120_000
CHANGE_TIMEOUT_MS = 30_000  # a filter change not drawn by then is an error (and the run goes on)

# Installed in every document before its scripts: the user's last click and every change of the script state.
INIT_JS = """
window.__kbStates = [];
window.__kbAction = null;
document.addEventListener('click', () => { window.__kbAction = performance.now(); }, true);
new MutationObserver((records) => {
  for (const r of records) {
    if (r.attributeName === 'data-test-script-state') {
      window.__kbStates.push([performance.now(), r.target.getAttribute('data-test-script-state')]);
    }
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
"""

# Resolves with the time (performance.now()) at which the page was first drawn for good, or -1 on timeout.
DRAWN_JS = """
async ([t0, needRun, stableMs, timeoutMs]) => {
  const drawn = () => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!document.querySelector('[data-testid=stMain] h1')) return false;
    if (document.querySelector('[data-testid=stStatusWidget], [data-stale=true], [data-testid=stSkeleton]'))
      return false;
    for (const c of document.querySelectorAll('[data-testid=stPlotlyChart]'))
      if (!c.querySelector('.main-svg')) return false;
    // karnama.web.plot's charts: drawn for their current data (a redraw sets 'drawing' until Plotly.react is done)
    for (const c of document.querySelectorAll('.karnama-plot'))
      if (c.dataset.state !== 'drawn' || !c.querySelector('.main-svg')) return false;
    if (needRun && !window.__kbStates.some(([t, s]) => t >= t0 && s !== 'notRunning')) return false;
    return true;
  };
  const start = performance.now();
  let since = null;
  while (performance.now() - start < timeoutMs) {
    if (drawn()) {
      if (since === null) since = performance.now();
      if (performance.now() - since >= stableMs) return since;
    } else {
      since = null;
    }
    await new Promise((r) => setTimeout(r, 8));
  }
  return -1;
}
"""


def percentile_summary(ms: list[float]) -> dict:
    """p50 / p95 / n of durations already in milliseconds (the report's browser figures)."""
    s = stats([m / 1000 for m in ms])
    return {"p50_ms": s["p50_ms"], "p95_ms": s["p95_ms"], "n": s["n"]}


def per_change_ms(cpu_before_s: float, cpu_after_s: float, changes: int) -> float | None:
    """Server CPU milliseconds per change from two CPU-time readings in seconds."""
    if changes <= 0:
        return None
    return round(1000 * (cpu_after_s - cpu_before_s) / changes, 1)


def _drawn(page, t0: float = 0.0, need_run: bool = False, timeout_ms: int = TIMEOUT_MS) -> float:
    at = page.evaluate(DRAWN_JS, [t0, need_run, STABLE_MS, timeout_ms])
    if at < 0:
        raise TimeoutError(f"not drawn within {timeout_ms} ms: {page.url}")
    return at


def fresh_load(browser, url: str) -> tuple[float, object, object]:
    """Open ``url`` in a new context (empty cache); (ms from navigation start to drawn, context, page)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_JS)
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    return _drawn(page), context, page


# Resolves true once a script run has started after t0 (false after the timeout).
RUN_SEEN_JS = """
async ([t0, timeoutMs]) => {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (window.__kbStates.some(([t, s]) => t >= t0 && s !== 'notRunning')) return true;
    await new Promise((r) => setTimeout(r, 8));
  }
  return false;
}
"""
TRIES = 3  # a click that changed nothing (a list that was still closing took it) is done again
RUN_START_MS = 5_000


def _act(page, action) -> float:
    """Do a user action on a drawn page; ms from its last click (the one that changes the filter, e.g. the
    option picked in an open list; an Escape closing the list afterwards does not count) to the page drawn.
    An action after which no script run starts changed nothing: it is done again (not timed)."""
    for _ in range(TRIES):
        page.evaluate("() => { window.__kbAction = null; }")
        action()
        t0 = page.evaluate("() => window.__kbAction")
        if t0 is None:
            raise RuntimeError("the action was not seen by the page")
        if page.evaluate(RUN_SEEN_JS, [t0, RUN_START_MS]):
            return _drawn(page, t0, need_run=True, timeout_ms=CHANGE_TIMEOUT_MS) - t0
    raise RuntimeError(f"no script run after {TRIES} tries")


def _open_list(page, box):
    """Open a widget's dropdown and return its options; any list still open (or closing) is gone first, so the
    options found are this widget's."""
    lists = page.locator("[role=listbox]")
    if lists.count():
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
    box.click()
    options = page.locator("[role=listbox] [role=option]")
    options.first.wait_for(timeout=CHANGE_TIMEOUT_MS)
    return options


def change_year(page, rng: random.Random) -> None:
    box = page.locator(".st-key-f_year [data-testid=stSelectbox]").first
    # The chosen year is the box's input value (not its text): picking it again would change nothing.
    shown = box.locator("input").first.input_value() if box.locator("input").count() else box.inner_text()
    options = _open_list(page, box)
    texts = options.all_inner_texts()
    selected = options.evaluate_all("els => els.map((e) => e.getAttribute('aria-selected') === 'true')")
    choices = [
        i
        for i, (text, chosen) in enumerate(zip(texts, selected))
        if text.strip() and text.strip() != shown and not chosen
    ] or [0]
    options.nth(rng.choice(choices)).click()


def change_county(page, rng: random.Random) -> None:
    box = page.locator(".st-key-f_counties [data-testid=stMultiSelect]").first
    # A chosen county's ×: Streamlit labels it «Remove …», the page makes that «حذف …» (karnama/web/style.py).
    remove = box.locator("button[aria-label^='Remove '], button[aria-label^='حذف ']")
    if remove.count():
        remove.first.click()
        return
    options = _open_list(page, box)
    options.nth(rng.randrange(options.count())).click()
    page.keyboard.press("Escape")


def filter_changes(page, name: str, changes: int, pid: int, seed: int) -> dict:
    """``changes`` filter changes (year and county alternately) on a drawn page; times and CPU per change."""
    rng = random.Random(seed)
    times: dict[str, list[float]] = {"year": [], "county": []}
    errors: list[str] = []
    page.wait_for_timeout(SETTLE_S * 1000)
    cpu0 = proc_cpu_s(pid)
    done = 0
    for i in range(changes):
        kind = "year" if i % 2 == 0 else "county"
        try:
            change = change_year if kind == "year" else change_county
            times[kind].append(_act(page, lambda change=change: change(page, rng)))
            done += 1
        except Exception as exc:  # a benchmark reports what failed and goes on
            errors.append(f"{name} {kind}: {type(exc).__name__}: {str(exc)[:200]}")
    page.wait_for_timeout(SETTLE_S * 1000)
    cpu1 = proc_cpu_s(pid)
    return {"times": times, "errors": errors, "cpu_per_change_ms": per_change_ms(cpu0, cpu1, done)}


def _pages() -> list[str]:
    from karnama.web import nav

    return [spec.url_path for spec in nav.PAGES]


def page_entry(loads: list[float], changes: dict, errors: list[str]) -> dict:
    """The report's ``browser.<page>.<size>`` entry."""
    load, every = percentile_summary(loads), percentile_summary(changes["year"] + changes["county"])
    year, county = percentile_summary(changes["year"]), percentile_summary(changes["county"])
    return {
        "load_p50_ms": load["p50_ms"],
        "load_p95_ms": load["p95_ms"],
        "load_n": load["n"],
        "filter_p50_ms": every["p50_ms"],
        "filter_p95_ms": every["p95_ms"],
        "filter_n": every["n"],
        "year_p50_ms": year["p50_ms"],
        "year_p95_ms": year["p95_ms"],
        "county_p50_ms": county["p50_ms"],
        "county_p95_ms": county["p95_ms"],
        "errors": errors,
    }


def measure_size(browser, size: str, loads: int, changes: int) -> tuple[dict, dict]:
    """Every page at one size: (browser entries by page, CPU per change by page)."""
    pages = _pages()
    data = data_dir(size)
    out: dict = {}
    cpu: dict = {}
    with app_server(data, WORK / "logs" / f"browser-{size}.log") as (url, proc, _):
        wait_healthy(url, proc)
        _, context, page = fresh_load(browser, f"{url}/{pages[0]}")
        for name in pages[1:]:  # warm-up, untimed: imports and Streamlit's first run of each page
            page.goto(f"{url}/{name}", wait_until="commit", timeout=TIMEOUT_MS)
            _drawn(page)
        context.close()
        kept: dict[str, object] = {}  # the last round's pages stay open for the filter changes
        load_times: dict[str, list[float]] = {name: [] for name in pages}
        errors: dict[str, list[str]] = {name: [] for name in pages}
        for i in range(loads):
            for name in pages[i % len(pages) :] + pages[: i % len(pages)]:
                try:
                    ms, context, page = fresh_load(browser, f"{url}/{name}")
                    load_times[name].append(ms)
                    if i == loads - 1:
                        kept[name] = (context, page)
                    else:
                        context.close()
                except Exception as exc:
                    errors[name].append(f"{name} load: {type(exc).__name__}: {str(exc)[:200]}")
            print(f"  browser {size}: load round {i + 1}/{loads}", file=sys.stderr, flush=True)
        for j, name in enumerate(pages):
            context, page = kept.get(name) or fresh_load(browser, f"{url}/{name}")[1:]
            result = filter_changes(page, name, changes, proc.pid, seed=11 + j)
            context.close()
            out[name] = page_entry(load_times[name], result["times"], errors[name] + result["errors"])
            cpu[name] = result["cpu_per_change_ms"]
            e = out[name]
            print(
                f"  browser {size} {name}: load p50/p95 {e['load_p50_ms']}/{e['load_p95_ms']} ms, filter "
                f"{e['filter_p50_ms']}/{e['filter_p95_ms']} ms, server CPU {cpu[name]} ms per change",
                file=sys.stderr,
                flush=True,
            )
    return out, cpu


def measure_floor(browser, changes: int) -> dict:
    """The floor page driven with the same clicks: its filter-change times and server CPU per change."""
    with app_server(data_dir("demo"), WORK / "logs" / "browser-floor.log", script=ROOT / "bench" / "floor_app.py") as (
        url,
        proc,
        _,
    ):
        wait_healthy(url, proc)
        _, context, page = fresh_load(browser, url + "/")
        context.close()
        load, context, page = fresh_load(browser, url + "/")
        result = filter_changes(page, "floor", changes, proc.pid, seed=5)
        context.close()
    entry = page_entry([load], result["times"], result["errors"])
    return {**entry, "cpu_per_change_ms": result["cpu_per_change_ms"]}


def run(sizes: list[str], loads: int, changes: int, floor: bool) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {
        "sizes": sizes,
        "rows": {s: snapshot_rows(data_dir(s)) for s in sizes},
        "loads_per_page": loads,
        "changes_per_page": changes,
        "browser": {},
        "cpu_per_change_ms": {},
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if floor:
                out["floor"] = measure_floor(browser, changes)
                out["cpu_per_change_ms"]["floor"] = out["floor"]["cpu_per_change_ms"]
                print(f"  floor: {out['floor']['cpu_per_change_ms']} ms CPU per change", file=sys.stderr, flush=True)
            for size in sizes:
                entries, cpu = measure_size(browser, size, loads, changes)
                for name, entry in entries.items():
                    out["browser"].setdefault(name, {})[size] = entry
                    out["cpu_per_change_ms"].setdefault(name, {})[size] = cpu[name]
        finally:
            browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="demo", help="comma-separated: demo,1M,10M")
    ap.add_argument("--loads", type=int, default=15, help="fresh loads per page")
    ap.add_argument("--changes", type=int, default=16, help="filter changes per page (year and county alternately)")
    ap.add_argument("--no-floor", dest="floor", action="store_false", help="skip the floor page")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    emit(run(args.sizes.split(","), args.loads, args.changes, args.floor), args.out)


if __name__ == "__main__":
    main()
