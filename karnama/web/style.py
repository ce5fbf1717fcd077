"""Page setup and static CSS: right-to-left layout, the bundled font, the bare (presentation) frame.

Static CSS only: no data or user text is ever placed in it."""

from __future__ import annotations

import base64
import json
from functools import cache

import streamlit as st

from karnama.core import paths, texts

# An element that holds a place and shows nothing (no gap either: the rule below hides its container); see
# meeting_panel.place_kept.
SLOT_HTML = '<span class="karnama-slot"></span>'

# Static CSS only: no data or user text is ever placed in it.
_CSS = (
    """
<style>
/* The document says dir="rtl" (for assistive technology and the browser's own controls), but Streamlit's frame
   (sidebar slide-in, collapse on phones) is built for ltr: keep the frame ltr, its contents rtl (below). */
[data-testid="stAppViewContainer"], [data-testid="stApp"] { direction: ltr; }
[data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stSidebarContent"] {
  direction: rtl !important; text-align: right !important;
}
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stSidebar"] h1, [data-testid="stSidebar"] h2, [data-testid="stSidebar"] h3 { text-align: right !important; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stAlertContainer"] {
  direction: rtl; text-align: right;
}
[data-testid="stMetric"] { direction: rtl; text-align: right; }
[data-testid="stMetricValue"] { font-size: clamp(1.15rem, 1.05rem + 0.55vw, 1.55rem); }
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"] {
  justify-content: flex-start; direction: rtl;
}
/* Card titles and values wrap instead of being cut with an ellipsis (1366 px screens, long Persian labels). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"],
[data-testid="stMetricValue"] *, [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important;
}
/* A chosen county's chip: a little room between its name and its ×, which right to left otherwise touch. */
[data-testid="stMultiSelectTagsContainer"] [data-tag] { gap: .3rem; }
/* Keyboard users see where they are. */
[data-testid="stMain"] :focus-visible, [data-testid="stSidebar"] :focus-visible {
  outline: 3px solid #0f6e7a !important; outline-offset: 2px;
}
/* Streamlit leaves 6rem above the title; on a 768 px projector that is a sixth of the screen. The header (3.75rem,
   the sidebar toggle) still clears it. */
[data-testid="stMainBlockContainer"] { padding-top: 4rem !important; }
/* Captions dark enough for 4.5:1 on white. */
[data-testid="stCaptionContainer"] { color: #495057 !important; }
/* Phones (360 px and up): one column, nothing wider than the screen. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: .75rem !important; padding-right: .75rem !important; }
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    width: 100% !important; flex: 1 1 100% !important; min-width: 100% !important;
  }
  [data-testid="stMain"] h1 { font-size: 1.8rem !important; }
}

/* Tables of plain text (karnama/web/plain.table): one HTML element each, drawn like Streamlit's own tables. */
.karnama-table-wrap { direction: rtl; overflow-x: auto; max-width: 100%; border: 1px solid rgba(49, 51, 63, .1);
  border-radius: .5rem; }
.karnama-table { width: 100%; border-collapse: collapse; direction: rtl; font-size: .875rem; line-height: 1.5;
  color: #31333f; margin: 0; }
.karnama-table th, .karnama-table td { text-align: right; padding: .25rem .375rem; vertical-align: top;
  border-bottom: 1px solid rgba(49, 51, 63, .1); border-left: 1px solid rgba(49, 51, 63, .1);
  overflow-wrap: break-word; }
.karnama-table tr > :last-child { border-left: 0; }
.karnama-table tbody tr:last-child > * { border-bottom: 0; }
.karnama-table thead th { font-weight: 400; color: #5c5f6b; }
.karnama-table tbody th { font-weight: 400; }
[data-testid="stSidebarNav"] { direction: rtl; }
[data-testid="stMultiSelect"] [data-baseweb="tag"] span { direction: rtl; }
/* Plotly draws its charts left to right and measures every label in a hidden svg it adds to the body. Under the
   document's dir="rtl" that svg measured each label on the wrong side of its anchor, so the margins never grew to fit
   the county names and value ticks: they were cut off at the chart's edge (plotly.js issue 6837). */
.js-plotly-plot .plotly .main-svg, #js-plotly-tester, #js-plotly-tester text { direction: ltr; }
[data-testid="stElementContainer"]:has(.karnama-slot) { display: none; }
.karnama-verdict { direction: rtl; text-align: right; background: #f1f3f5; border-right: 4px solid #495057;
  padding: .6rem .9rem; border-radius: .4rem; line-height: 1.9; }
.karnama-status { direction: rtl; text-align: right; }
[data-testid="stMetricDelta"] p { unicode-bidi: plaintext; }
</style>
"""
    + (
        # Streamlit's file uploader writes its button and its hint in English («Upload», «20MB per file • XLSX, CSV»);
        # the label above it already gives the formats and the size cap in Persian.
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button p, [data-testid="stFileUploaderDropzoneInstructions"] span '
        "{ font-size: 0; }"
        f'[data-testid="stFileUploaderDropzone"] button p::after {{ content: "{texts.UPLOAD_BUTTON}"; font-size: .875rem; }}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{texts.UPLOAD_HINT}"; '
        "font-size: .875rem; }"
        # Streamlit's keyboard skip link (shown on the first Tab) sits at the top left: at the top right, where a
        # right-to-left reader starts (its words are made Persian with the other labels, _DOCUMENT_JS below).
        '[data-testid="stSkipToContent"] { left: auto !important; right: .5rem; }'
        "</style>"
    )
)

ICON = paths.ICON


# The document's language and direction (Streamlit's index.html says lang="en"): screen readers then read Persian,
# and the browser's own UI (scrollbars, form controls) runs right to left. Then Streamlit's own English labels,
# which a screen reader reads out («Collapse sidebar», «Help for …», «Remove مشهد», «Show password», the skip link):
# in Persian, from texts.A11Y_LABELS, as elements appear (once per page; elements inside a chart are skipped, plotly
# labels none). Static script: only the project's own constants are in it, no data.
_DOCUMENT_JS = (
    """<script>
document.documentElement.lang = "fa"; document.documentElement.dir = "rtl";
document.title = document.title || "کارنما";
(() => {
  if (window.__karnamaLabels) return;
  const EXACT = """
    + json.dumps(texts.A11Y_LABELS, ensure_ascii=False)
    + """;
  const PREFIX = """
    + json.dumps(texts.A11Y_PREFIXES, ensure_ascii=False)
    + """;
  const ATTRS = ["aria-label", "placeholder", "title"];
  const SELECTOR = "[aria-label],[placeholder],[title],[data-testid=stSkipToContent]";
  const persian = (value) => {
    if (!value || !/[A-Za-z]/.test(value)) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, value)) return EXACT[value];
    for (const [en, fa] of PREFIX) if (value.startsWith(en)) return fa + value.slice(en.length);
    return null;
  };
  const fix = (el) => {
    for (const name of ATTRS) {
      const fa = persian(el.getAttribute(name));
      if (fa !== null) el.setAttribute(name, fa);
    }
    if (el.dataset && el.dataset.testid === "stSkipToContent") {
      const fa = persian(el.textContent.trim());
      if (fa !== null) el.textContent = fa;
    }
  };
  const visit = (node) => {
    if (node.nodeType !== 1 || node.closest(".karnama-plot")) return;
    if (node.matches(SELECTOR)) fix(node);
    node.querySelectorAll(SELECTOR).forEach(fix);
  };
  window.__karnamaLabels = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") fix(r.target);
      else r.addedNodes.forEach(visit);
    }
  });
  window.__karnamaLabels.observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ATTRS,
  });
  visit(document.body);
})();
</script>"""
)

_LOADING_CSS = """<style>
/* The loading banner app.py shows until the page has drawn. */
.karnama-loading { display: flex; align-items: center; gap: .9rem; direction: rtl; padding: 2rem 0;
  font-size: 1.4rem; font-weight: 700; color: #0f6e7a; }
.karnama-loading .spin { width: 1.6rem; height: 1.6rem; border: .25rem solid #d7ecee;
  border-top-color: #0f6e7a; border-radius: 50%; animation: karnama-spin .9s linear infinite; }
@keyframes karnama-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .karnama-loading .spin { animation: none; } }
</style>"""

LOADING_HTML = _LOADING_CSS + (
    '<div class="karnama-loading" role="status" aria-live="polite"><span class="spin" aria-hidden="true"></span>'
    f"<span>{texts.APP_LOADING}</span></div>"
)


def configure_page() -> None:
    """Page title, a local icon (a material icon would make the browser fetch the favicon from the internet)
    and the wide layout. Safe to call more than once per run."""
    st.set_page_config(page_title=texts.APP_NAME, page_icon=icon_url(), layout="wide")


@cache
def icon_url() -> str:
    """The bundled icon as a data: address, made once: given an image, Streamlit opened, re-encoded and stored it
    on every call (twice per rerun); a data: address is passed through as it is and needs no request."""
    return "data:image/png;base64," + base64.b64encode(ICON.read_bytes()).decode("ascii")


def inject_css() -> None:
    """Lay the whole app out right to left with a Persian-capable font stack (bundled, no web fonts)."""
    st.html(_CSS)
    st.html(_DOCUMENT_JS, unsafe_allow_javascript=True)


_SIDEBAR = '[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]'
# Static CSS only: the login page has nothing for the sidebar (an empty grey panel otherwise).
NO_SIDEBAR_CSS = f"<style>{_SIDEBAR} {{ display: none !important; }}</style>"
# Static CSS only: presentation mode shows no sidebar, header or toolbar, and uses the whole screen.
_BARE_CSS = f"""
<style>
{_SIDEBAR},
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 1.5rem 3rem 0.5rem 3rem !important; max-width: 100% !important; }}
</style>
"""
