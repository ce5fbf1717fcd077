"""The first bytes a browser gets (serve.py + karnama/web/first_paint.py): Streamlit's index.html made Persian, right
to left and branded with a splash, while scripts, fonts and everything else pass through untouched."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import re
from pathlib import Path

import pytest
import streamlit

from karnama.core import texts
from karnama.core.paths import ROOT
from karnama.web import first_paint, plot
from karnama.web.first_paint import REWRITE_PATTERNS, SPLASH, FirstPaint, rewrite

INDEX = Path(streamlit.__file__).parent / "static" / "index.html"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _visible_text(document: str) -> str:
    """The text a person reads in the body (tags, styles and scripts removed)."""
    body = document.split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_every_rewrite_matches_the_installed_streamlit_index_once():
    """An upgrade of Streamlit that changes its index.html fails here instead of silently losing the splash."""
    document = INDEX.read_text(encoding="utf-8")
    for pattern in REWRITE_PATTERNS:
        assert len(pattern.findall(document)) == 1, pattern.pattern


def test_the_rewritten_index_is_persian_rtl_with_the_splash_in_the_root():
    document = rewrite(INDEX.read_text(encoding="utf-8"))
    assert '<html lang="fa" dir="rtl">' in document
    assert f"<title>{texts.APP_NAME}</title>" in document
    assert f'<div id="root">{SPLASH}</div>' in document
    assert texts.SPLASH_LOADING in document and 'role="status"' in document
    assert texts.NOSCRIPT in document
    # Nothing English left for a person to read, with or without scripts.
    assert not LATIN_WORD.findall(_visible_text(document))
    # Streamlit's own scripts are still there, and nothing is fetched from another address.
    assert re.search(r'<script type="module"[^>]*src="\./static/js/index\.', document)
    assert not re.search(r'(src|href)="(https?:)?//', document)


def _run(coro):
    """asyncio.run in its own thread: the session's Playwright keeps an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _serve(middleware_app, path: str, headers: list[tuple[bytes, bytes]], method: str = "GET"):
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers}
    await middleware_app(scope, receive, send)
    return sent


def _inner(body: bytes, content_type: bytes, seen: list, status: int = 200, chunked: bool = False):
    """A stand-in for Streamlit's static file handler: records the request headers, answers with ``body``."""

    async def app(scope, receive, send):
        seen.append(dict(scope["headers"]))
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), (b"etag", b'"x"')]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if chunked:
            half = len(body) // 2
            await send({"type": "http.response.body", "body": body[:half], "more_body": True})
            await send({"type": "http.response.body", "body": body[half:], "more_body": False})
        else:
            await send({"type": "http.response.body", "body": body, "more_body": False})

    return app


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize("path", ["/", "/overview", "/present", "/index.html"])
def test_a_page_address_gets_the_rewritten_document_uncompressed(path, chunked):
    original = INDEX.read_bytes()
    seen: list = []
    app = FirstPaint(_inner(original, b"text/html; charset=utf-8", seen, chunked=chunked))
    headers = [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"x"'), (b"cookie", b"a=b")]
    start, body = _run(_serve(app, path, headers))
    # The inner app was asked for a plain, fresh copy (so it can be rewritten and never revalidated as the old file).
    assert b"accept-encoding" not in seen[0] and b"if-none-match" not in seen[0] and seen[0][b"cookie"] == b"a=b"
    out = dict(start["headers"])
    assert body["body"] == rewrite(original.decode("utf-8"), first_paint.page_name(path)).encode("utf-8")
    assert int(out[b"content-length"]) == len(body["body"])
    assert b"etag" not in out


@pytest.mark.parametrize("path", ["/static/js/index.abc.js", "/app/static/fonts/Vazirmatn-Bold.woff2", "/favicon.png"])
def test_assets_pass_through_untouched_and_still_compressed(path):
    payload = gzip.compress(b"console.log(1)")
    seen: list = []
    app = FirstPaint(_inner(payload, b"application/javascript", seen))
    start, body = _run(_serve(app, path, [(b"accept-encoding", b"gzip")]))
    assert seen[0][b"accept-encoding"] == b"gzip"
    assert body["body"] == payload and dict(start["headers"])[b"etag"] == b'"x"'


def test_a_page_address_that_is_not_html_or_not_200_passes_through():
    seen: list = []
    app = FirstPaint(_inner(b'{"ok": true}', b"application/json", seen))
    _start, body = _run(_serve(app, "/_stcore/host-config", []))
    assert body["body"] == b'{"ok": true}'
    app = FirstPaint(_inner(b"", b"text/html", seen, status=304))
    start, body = _run(_serve(app, "/overview", []))
    assert start["status"] == 304 and body["body"] == b""
    # HEAD and the websocket are never touched.
    app = FirstPaint(_inner(b"<html></html>", b"text/html", seen))
    _start, body = _run(_serve(app, "/overview", [], method="HEAD"))
    assert body["body"] == b"<html></html>"


def test_the_browser_shows_the_splash_first_and_the_app_replaces_it(app_url, chromium, artifacts):
    """Before Streamlit's scripts arrive (here: never, they are blocked) the page is the Persian splash, not white;
    once the app mounts, the splash is gone and the document stays fa / rtl."""
    from tests.browser import wait_for_app

    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.route("**/static/js/**", lambda route: route.abort())
    page.goto(f"{app_url}/overview")
    splash = page.locator(".karnama-splash")
    splash.wait_for(state="visible")
    assert texts.APP_NAME in splash.inner_text() and texts.SPLASH_LOADING in splash.inner_text()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir, document.title]") == [
        "fa",
        "rtl",
        texts.APP_NAME,
    ]
    box = splash.bounding_box()
    assert box and box["width"] == 1366 and box["height"] == 768  # fills the screen, centred content
    page.screenshot(path=str(artifacts / "first-paint-1366.png"))
    page.close()

    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    failed, errors = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{app_url}/overview")
    wait_for_app(page, "[data-testid=stMetricValue]")
    page.locator(".karnama-plot[data-state=drawn] .main-svg").first.wait_for()
    # (Streamlit itself first tries /overview/_stcore/health, a 404, then /_stcore/health: not ours to check.)
    assert not [u for u in failed if "/static/" in u] and not errors
    # plotly.js-basic, loaded early by the document and then used by every chart: one script, fetched once; the
    # full plotly.js of Streamlit's own chart element never.
    fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert len([u for u in fetched if u.endswith("/app/static/plot/plotly-basic.min.js")]) == 1
    assert not [u for u in fetched if "/static/js/PlotlyChart." in u]
    assert page.locator(".karnama-splash").count() == 0
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.close()


def test_the_head_of_every_chunk_holds_all_its_static_imports():
    """chunk_files reads only a chunk's first bytes (fast at server start): true of every chunk installed."""
    files = sorted(p.name for p in first_paint.STREAMLIT_JS.glob("*.js"))
    assert len(files) > 100
    for name in files:
        assert first_paint.static_imports(name) == first_paint.static_imports(name, head=None), name


def test_the_document_preloads_every_file_the_element_chunks_import():
    """Chromium's modulepreload fetches only the file named: every file an element chunk needs, at any depth, is
    named in the document (ours or Streamlit's own links), so none waits for the element to arrive to be asked for."""
    document = rewrite(INDEX.read_text(encoding="utf-8"))
    named = re.findall(r'"\./static/js/([\w.\-]+\.js)"', document)
    assert len(named) == len(set(named))  # nothing named twice
    assert set(first_paint.chunk_files()) <= set(named)
    roots = [f for f in first_paint.chunk_files() if f.split(".")[0] in first_paint.PRELOAD_CHUNKS]
    assert {f.split(".")[0] for f in roots} == set(first_paint.PRELOAD_CHUNKS)  # every chunk found in this Streamlit
    for name in named:
        assert (first_paint.STREAMLIT_JS / name).is_file(), name
        missing = first_paint.static_imports(name, head=None) - set(named)
        assert not missing, (name, missing)


def _early_import(document: str) -> str | None:
    found = re.findall(r'<script defer id="karnama-plotly" src="([^"]+)"></script>', document)
    assert len(found) <= 1
    return found[0] if found else None


def test_pages_that_draw_charts_load_plotly_early_and_the_others_do_not():
    document = INDEX.read_text(encoding="utf-8")
    src = _early_import(rewrite(document, "overview"))
    assert src == plot.SCRIPT_URL and src.startswith("./app/static/")
    assert (ROOT / src.removeprefix("./app/")).is_file()  # served by Streamlit's static file serving
    # After Streamlit's own module script: deferred scripts run in document order once the document is parsed.
    rewritten = rewrite(document, "")
    assert rewritten.index('src="./static/js/index.') < rewritten.index(f'src="{src}"')
    for page in ("present", "data", "login", None):
        assert _early_import(rewrite(document, page)) is None, page


@pytest.mark.parametrize(
    ("path", "early"), [("/", True), ("/overview", True), ("/monitoring/", True), ("/data", False)]
)
def test_the_middleware_adds_the_early_import_by_the_address(path, early):
    original = INDEX.read_bytes()
    app = FirstPaint(_inner(original, b"text/html; charset=utf-8", []))
    _start, body = _run(_serve(app, path, []))
    assert (_early_import(body["body"].decode("utf-8")) is not None) is early


def test_chart_pages_are_the_pages_that_draw_plotly_charts_on_their_first_run(app_env):
    """CHART_PAGES names exactly the pages whose first run draws a chart (the root opens the overview)."""
    from karnama.web import nav
    from tests.apptest_helpers import drawn_charts, run_app

    assert drawn_charts(run_app())  # the root
    for spec in nav.PAGES:
        at = run_app(spec.url_path)
        assert not at.exception
        assert bool(drawn_charts(at)) is (spec.url_path in first_paint.CHART_PAGES), spec.url_path
