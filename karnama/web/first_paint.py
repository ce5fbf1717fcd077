"""The first bytes a browser gets: Streamlit's index.html made Persian, right to left and branded.

Streamlit answers every page address (``/``, ``/overview``, ``/present``…) with its own ``index.html``: an English
title, ``lang="en"`` and an empty ``<div id="root">`` that stays white until its scripts have loaded and the first
run has drawn. This ASGI middleware (registered by serve.py through ``st.App``, Streamlit's documented way to add
middleware) rewrites that one document on its way out: ``lang="fa" dir="rtl"``, the title «کارنما», a splash with
the name and a spinner inside the root element (React replaces it when the app mounts) and a Persian ``<noscript>``.
Everything else (scripts, fonts, the websocket) passes through untouched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit

from karnama.core import texts
from karnama.web import plot

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Inline only: the splash must draw before anything else arrives, and nothing may come from the internet. The font
# is the bundled Vazirmatn (served at app/static/ like the app's own); colours are the app's primary teal on white.
_STYLE = """<style>
@font-face { font-family: "Vazirmatn"; font-weight: 700; font-display: swap;
  src: url("./app/static/fonts/Vazirmatn-Bold.woff2") format("woff2"); }
.karnama-splash { position: fixed; inset: 0; display: flex; flex-direction: column; align-items: center;
  justify-content: center; gap: 1.2rem; direction: rtl; background: #ffffff; color: #0f6e7a;
  font-family: Vazirmatn, "Noto Sans Arabic", Tahoma, "Segoe UI", sans-serif; text-align: center; padding: 1rem; }
.karnama-splash h1 { margin: 0; font-size: clamp(2.2rem, 7vh, 4.5rem); font-weight: 700; }
.karnama-splash p { margin: 0; font-size: clamp(1rem, 2.6vh, 1.6rem); color: #334155; }
.karnama-splash .spin { width: 2.6rem; height: 2.6rem; border: .32rem solid #d7ecee; border-top-color: #0f6e7a;
  border-radius: 50%; animation: karnama-splash-spin .9s linear infinite; }
@keyframes karnama-splash-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .karnama-splash .spin { animation: none; } }
</style>"""

SPLASH = (
    '<div class="karnama-splash" role="status" aria-live="polite">'
    f"<h1>{html.escape(texts.APP_NAME)}</h1><p>{html.escape(texts.SPLASH_TAGLINE)}</p>"
    '<span class="spin" aria-hidden="true"></span>'
    f"<p>{html.escape(texts.SPLASH_LOADING)}</p></div>"
)

# Streamlit's browser code fetches the code of an element (a metric, a select box, a chart: plotly's alone is
# 4.7 MB) only when the first such element arrives, i.e. after the page's queries ran; on a fresh page load the
# browser sat idle meanwhile. The page's element chunks are named in the document itself, so the browser fetches and
# compiles them from the first byte, in parallel with Streamlit's own bundle. Chromium's modulepreload fetches only
# the file named, not what it imports, so each chunk's static imports are named too (e.g. the select boxes' menu
# code): otherwise those were fetched one level at a time once the elements had arrived. ``Html`` is st.html, which
# every page draws (the style sheet, the verdict, every table: karnama/web/plain.table); no page draws st.table or
# st.dataframe, so their chunks and the 743 kB Arrow reader are not asked for.
PRELOAD_CHUNKS = (
    "BidiComponent",  # karnama.web.plot's element, which draws every chart (no page asks for PlotlyChart)
    "Metric",
    "Selectbox",
    "Multiselect",
    "DownloadButton",
    "Button",
    "PageLink",
    "Progress",
    "Html",
)
STREAMLIT_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
# A static import in Streamlit's minified chunks: ``import{a as b}from"./x.js"`` or ``import"./x.js"`` (a dynamic
# ``import("./x.js")`` is not matched: it loads only when its code path runs). The bundler writes a chunk's imports
# first, so only its head is read (this runs when the server starts; plotly's chunk alone is 4.7 MB); a test checks
# that the head holds every import of every chunk of the installed Streamlit.
_STATIC_IMPORT = re.compile(r'(?:from|import)"\./([\w.\-]+\.js)"')
IMPORTS_HEAD = 16_384  # bytes


def _chunk_roots() -> list[str]:
    return sorted(p.name for name in PRELOAD_CHUNKS for p in STREAMLIT_JS.glob(f"{name}.*.js"))


def static_imports(name: str, head: int | None = IMPORTS_HEAD) -> set[str]:
    """The files a chunk of the installed Streamlit imports statically (one level), read from its first ``head``
    bytes (None: the whole file)."""
    try:
        with open(STREAMLIT_JS / name, "rb") as f:
            code = f.read(head if head else -1).decode("utf-8", errors="ignore")
    except OSError:
        return set()
    return {f for f in _STATIC_IMPORT.findall(code) if (STREAMLIT_JS / f).is_file()}


def chunk_files() -> tuple[str, ...]:
    """The hashed file names of those chunks in the installed Streamlit (a name not found is left out), with every
    file they import, directly or not, in a stable order (the chunks first, so they are asked for first)."""
    roots = _chunk_roots()
    seen = set(roots)
    todo = list(roots)
    while todo:
        for dep in sorted(static_imports(todo.pop()) - seen):
            seen.add(dep)
            todo.append(dep)
    already = set(_IN_INDEX.findall(_index_html()))  # Streamlit's document names its own bundle's files already
    return (*roots, *sorted(seen - set(roots) - already))


_IN_INDEX = re.compile(r'"\./static/js/([\w.\-]+\.js)"')


def _index_html() -> str:
    try:
        return (STREAMLIT_JS.parent.parent / "index.html").read_text(encoding="utf-8")
    except OSError:
        return ""


_PRELOAD = "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{html.escape(f)}">' for f in chunk_files())

# Plotly.js takes the browser's main thread a while to evaluate (the full build in Streamlit's PlotlyChart chunk
# ~0.9 s on this project's 2-core server; the basic build karnama.web.plot uses, a fraction of that), and the first
# chart would load it only at the end of the page's run. On a page that draws charts first thing, a deferred script
# (run after Streamlit's own module, in document order) loads it from the first byte: its download and evaluation
# overlap the browser's wait for the websocket and the server's run of the page, and the charts find it ready. Not
# on the pages that draw no chart at first (the presentation's first screen, the data page): there it would only
# cost time.
CHART_PAGES = frozenset({"", "overview", "supported_employment", "incentives", "centres_and_loans", "monitoring"})
EARLY_PLOTLY = f'<script defer id="{plot.SCRIPT_ID}" src="{html.escape(plot.SCRIPT_URL)}"></script>'

# (pattern, replacement) applied once each; every pattern is checked by tests against the installed Streamlit so an
# upgrade that changes index.html fails a test instead of silently dropping the splash.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<html\b[^>]*>"), '<html lang="fa" dir="rtl">'),
    (re.compile(r"<title>.*?</title>", re.S), f"<title>{html.escape(texts.APP_NAME)}</title>"),
    (re.compile(r"</head>"), _PRELOAD + _STYLE + "</head>"),
    (
        re.compile(r"<noscript>.*?</noscript>", re.S),
        f'<noscript><p dir="rtl">{html.escape(texts.NOSCRIPT)}</p></noscript>',
    ),
    (re.compile(r'<div id="root">\s*</div>'), f'<div id="root">{SPLASH}</div>'),
)
REWRITE_PATTERNS = tuple(p for p, _ in _REWRITES)


def rewrite(document: str, page: str | None = None) -> str:
    """Streamlit's index.html with the Persian document attributes, title, splash and noscript; for a page that
    draws charts first thing (``page``: the last segment of its address), plotly evaluated early."""
    for pattern, replacement in _REWRITES:
        # A function, not a template: the replacement is literal text (no backslash or group references).
        document = pattern.sub(_literal(replacement), document, count=1)
    if page in CHART_PAGES and EARLY_PLOTLY:
        document = document.replace("</head>", EARLY_PLOTLY + "</head>", 1)
    return document


def page_name(path: str) -> str:
    """The page an address asks for: its last segment ("" for the root and index.html)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return "" if last == "index.html" else last


def _literal(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text


def _is_page_request(scope: Scope) -> bool:
    """A GET for a page address (no file extension in the last segment), or index.html itself."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return False
    last = scope.get("path", "/").rstrip("/").rsplit("/", 1)[-1]
    return "." not in last or last == "index.html"


# Dropped from a page request: the rewritten body must not be compressed by the inner app, and a cached copy must
# not be revalidated against the unmodified file's validators (it would keep an older splash after an upgrade).
_DROP_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
_DROP_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified"}


class FirstPaint:
    """ASGI middleware: rewrites the HTML document Streamlit serves for page addresses (see the module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_page_request(scope):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in _DROP_REQUEST_HEADERS]
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                is_html = headers.get(b"content-type", b"").startswith(b"text/html")
                if is_html and message.get("status") == 200 and b"content-encoding" not in headers:
                    start = message
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = rewrite(b"".join(chunks).decode("utf-8"), page_name(scope.get("path", "/"))).encode("utf-8")
            kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _DROP_RESPONSE_HEADERS]
            kept.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": kept})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, capture)
