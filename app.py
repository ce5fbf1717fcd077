"""Karnama entry point: registers the pages (links are drawn by the shared sidebar) and runs the chosen one.

The navigation is hidden because the sidebar draws its own right-to-left links; that also keeps Streamlit's
legacy page list (it sees the pages/ folder) from showing.
"""

from functools import cache
from types import CodeType

import streamlit as st

from karnama.core.paths import ROOT
from karnama.web import loading, nav, style


def overview_at_root() -> None:
    """The first page at the root address too. Streamlit serves the default page only at "/", so "/overview"
    (the README's and the sidebar's link) would open its English "Page not found" box: the overview is
    registered at its own path and this runs the same script at "/"."""
    path = str(ROOT / nav.PAGES[0].path)
    exec(_compiled(path), {"__name__": "__main__", "__file__": path})


@cache
def _compiled(path: str) -> CodeType:
    """The page's code, compiled once per process (Streamlit caches its pages' code the same way)."""
    with open(path, "rb") as handle:
        return compile(handle.read(), path, "exec")


style.configure_page()
# A branded "loading" line (title and spinner) while the page's queries run, instead of an empty page.
loading.show()
PAGES = [
    st.Page(overview_at_root, title=nav.PAGES[0].title, icon=nav.PAGES[0].icon, default=True),
    *(st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in nav.PAGES),
]
try:
    st.navigation(PAGES, position="hidden").run()
finally:
    loading.clear()
