"""Karnama entry point: registers the pages (links are drawn by the shared sidebar) and runs the chosen one.

The navigation is hidden because the sidebar draws its own right-to-left links; that also keeps Streamlit's
legacy page list (it sees the pages/ folder) from showing.
"""

import streamlit as st

from karnama.web import nav, style

style.configure_page()
PAGES = [
    st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=i == 0) for i, p in enumerate(nav.PAGES)
]
st.navigation(PAGES, position="hidden").run()
