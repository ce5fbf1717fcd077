"""Data: download the template, upload and check files, publish; snapshot history, "as of", diff, rollback."""

import streamlit as st

from karnama import texts, ui
from karnama.importer import view as data_view

view = ui.page_view(texts.PAGE_DATA)
store = ui.store()
# Publishing and rollback are writes: access control narrows can_write (and supplies the author).
tab_import, tab_history = st.tabs([texts.DATA_TAB_IMPORT, texts.DATA_TAB_HISTORY])
with tab_import:
    data_view.import_section(store, can_write=True, author=None)
with tab_history:
    data_view.history_section(store, can_write=True)
