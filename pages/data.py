"""Data: download the template, upload and check files, publish; snapshot history, "as of", diff, rollback."""

import streamlit as st

from karnama import auth_ui, texts, ui
from karnama.importer import view as data_view

view = ui.page_view(texts.PAGE_DATA)
store = ui.store()
# Import, publish, rollback and the audit log are for a signed-in admin only (whatever open viewing allows);
# publish_upload and rollback_to check again right before they write.
access = auth_ui.require_admin(store)
tab_import, tab_history, tab_audit = st.tabs([texts.DATA_TAB_IMPORT, texts.DATA_TAB_HISTORY, texts.AUDIT_TAB])
with tab_import:
    data_view.import_section(store, can_write=access.is_admin, author=access.account_name)
with tab_history:
    data_view.history_section(store, can_write=access.is_admin)
with tab_audit:
    auth_ui.audit_panel(store)
