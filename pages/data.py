"""Data: download the template, upload and check files, publish; snapshot history, "as of", diff, rollback."""

import streamlit as st

from karnama.core import texts
from karnama.web import auditing, frame, gate, meeting_panel, state
from karnama.web import data_page as data_view

view = frame.page_view(texts.PAGE_DATA)
store = state.store()
# Import, publish, rollback and the audit log are for a signed-in admin only (whatever open viewing allows);
# publish_upload and rollback_to check again right before they write.
access = gate.require_admin(store)
tab_import, tab_history, tab_audit = st.tabs([texts.DATA_TAB_IMPORT, texts.DATA_TAB_HISTORY, texts.AUDIT_TAB])
with tab_import:
    data_view.import_section(store, can_write=access.is_admin, author=access.account_name)
with tab_history:
    meeting_panel.changes_expander(view)  # the shown snapshot against its parent, in Persian
    data_view.history_section(store, can_write=access.is_admin)
with tab_audit:
    auditing.audit_panel(store)
