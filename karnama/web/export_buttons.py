"""The sidebar's PDF / PowerPoint / Excel buttons and the meeting pack for the current view, each made on click."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from karnama.access import audit
from karnama.core import texts
from karnama.exports import FORMATS, build_export, file_name
from karnama.meeting import pack
from karnama.web import gate, state
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


def _pack_maker(view: View) -> Callable[[], bytes]:
    """The meeting pack (brief, deck, workbook, agenda), made on click like the files above."""
    snapshot, filters, scope = view.snapshot, view.filters, view.scope
    actor = audit.actor() or {"account": None}
    store = state.store()

    def make() -> bytes:
        audit.bind_actor(**actor)
        return pack.build(store, snapshot, filters, scope, account=actor.get("account")).data

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
        st.download_button(
            texts.PACK_BUTTON,
            data=_pack_maker(view),
            file_name=pack.pack_name(view.filters, view.scope),
            mime="application/zip",
            key="export_pack",
            on_click="ignore",
            icon=":material/folder_zip:",
            width="stretch",
            help=texts.PACK_HELP,
        )
