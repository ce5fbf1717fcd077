"""The sidebar's PDF / PowerPoint / Excel buttons for the current view, each file made on click."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from karnama.access import audit
from karnama.core import texts
from karnama.exports import FORMATS, build_export, file_name
from karnama.web import gate
from karnama.web.filters import View


def _maker(fmt: str, view: View) -> Callable[[], bytes]:
    """A callable Streamlit runs when the button is clicked (on another thread), so a page never waits for
    files nobody asked for. The account's scope is bound again there, and passed to build_export."""
    snapshot, filters, scope = view.snapshot, view.filters, view.scope
    actor = audit.actor() or {"account": None}  # who the audit log names for this export

    def make() -> bytes:
        audit.bind_actor(**actor)
        return build_export(fmt, snapshot, filters, scope)

    return gate.in_scope(scope, make)


def download_buttons(view: View) -> None:
    """PDF, PowerPoint and Excel of the current filters, in the sidebar."""
    with st.sidebar:
        st.divider()
        st.subheader(texts.EXPORT_SECTION, anchor=False)
        for fmt in FORMATS.values():
            st.download_button(
                fmt.label,
                data=_maker(fmt.key, view),
                file_name=file_name(fmt.key, view.filters, view.scope),
                mime=fmt.mime,
                key=f"export_{fmt.key}",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )
