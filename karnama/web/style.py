"""Page setup and static CSS: right-to-left layout, the bundled font, the bare (presentation) frame.

Static CSS only: no data or user text is ever placed in it."""

from __future__ import annotations

import streamlit as st
from PIL import Image

from karnama.core import paths, texts

# Static CSS only: no data or user text is ever placed in it.
_CSS = """
<style>
[data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stSidebarContent"] {
  direction: rtl !important; text-align: right !important;
}
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stSidebar"] h1, [data-testid="stSidebar"] h2, [data-testid="stSidebar"] h3 { text-align: right !important; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stAlertContainer"] {
  direction: rtl; text-align: right;
}
[data-testid="stMetric"] { direction: rtl; text-align: right; }
[data-testid="stMetricValue"] { font-size: 1.55rem; }
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"] {
  justify-content: flex-start; direction: rtl;
}
[data-testid="stTable"] table, [data-testid="stTable"] th, [data-testid="stTable"] td {
  direction: rtl; text-align: right !important;
}
[data-testid="stSidebarNav"] { direction: rtl; }
[data-testid="stMultiSelect"] [data-baseweb="tag"] span { direction: rtl; }
.js-plotly-plot .plotly .main-svg { direction: ltr; }
.karnama-verdict { direction: rtl; text-align: right; background: #f1f3f5; border-right: 4px solid #495057;
  padding: .6rem .9rem; border-radius: .4rem; line-height: 1.9; }
.karnama-status { direction: rtl; text-align: right; }
[data-testid="stMetricDelta"] p { direction: ltr; unicode-bidi: isolate; }
</style>
"""

ICON = paths.ICON


def configure_page() -> None:
    """Page title, a local icon (a material icon would make the browser fetch the favicon from the internet)
    and the wide layout. Safe to call more than once per run."""
    st.set_page_config(page_title=texts.APP_NAME, page_icon=Image.open(ICON), layout="wide")


def inject_css() -> None:
    """Lay the whole app out right to left with a Persian-capable font stack (bundled, no web fonts)."""
    st.html(_CSS)


# Static CSS only: presentation mode shows no sidebar, header or toolbar, and uses the whole screen.
_BARE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.5rem 3rem 0.5rem 3rem !important; max-width: 100% !important; }
</style>
"""
