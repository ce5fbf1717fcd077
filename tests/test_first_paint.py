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
    assert body["body"] == rewrite(original.decode("utf-8")).encode("utf-8")
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
    page.goto(f"{app_url}/overview")
    wait_for_app(page, "[data-testid=stMetricValue]")
    assert page.locator(".karnama-splash").count() == 0
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.close()
