"""The sidebar's account section: open-viewing notice and login, who is signed in, view as, logout."""

from __future__ import annotations

import streamlit as st

from karnama.access import audit
from karnama.access.auth import ROLE_LABELS, AuthError
from karnama.core import texts
from karnama.core.counties import COUNTIES
from karnama.core.settings import Settings, load
from karnama.data.snapshots import SnapshotStore
from karnama.web.gate import (
    NOTICE_KEY,
    SESSION_KEY,
    VIEW_AS_KEY,
    VIEW_AS_WIDGET,
    WANT_LOGIN_KEY,
    Access,
    _Runtime,
    _runtime,
    _want_login,
)
from karnama.web.state import client_address


def _logout(settings: Settings, rt: _Runtime, name: str | None) -> None:
    rt.sessions.end(st.session_state.get(SESSION_KEY))
    for key in (SESSION_KEY, VIEW_AS_KEY, WANT_LOGIN_KEY, NOTICE_KEY):
        st.session_state.pop(key, None)
    audit.try_record("logout", name, settings=settings, client=client_address())  # never keeps anyone in


def _choose_view_as(settings: Settings, name: str | None) -> None:
    chosen = st.session_state.get(VIEW_AS_WIDGET) or None
    st.session_state[VIEW_AS_KEY] = chosen
    audit.try_record("view_as", name, settings=settings, target=chosen)


def county_names(codes) -> str:
    return "، ".join(_NAMES.get(c, c) for c in sorted(codes, key=lambda c: _NAMES.get(c, c)))


_NAMES = {c.code: c.name_fa for c in COUNTIES}


def account_box(access: Access, store: SnapshotStore) -> None:
    """The sidebar's account section: open-viewing notice and login, or who is signed in, view as, logout."""
    settings = load(store.root)
    rt = _runtime(settings)
    with st.sidebar:
        st.divider()
        if access.user is None:
            st.info(texts.OPEN_VIEWING_NOTICE, icon=":material/visibility:")
            st.button(texts.LOGIN_BUTTON, key="auth_login", on_click=_want_login, icon=":material/login:")
            return
        st.caption(texts.SIGNED_IN_AS.format(name=access.user.name, role=ROLE_LABELS[access.user.role]))
        if access.user.counties:
            st.caption(texts.SIGNED_IN_COUNTIES.format(names=county_names(access.user.counties)))
        if access.user.is_admin:
            try:
                others = [a for a in rt.service.store.list() if not a.is_admin]
            except AuthError:
                others = []
            labels: dict[str, str] = {"": texts.VIEW_AS_NONE}
            for a in others:
                labels[a.name] = f"{a.name} — {ROLE_LABELS[a.role]}" + (
                    f" ({county_names(a.counties)})" if a.counties else ""
                )
            shown = access.shown
            st.session_state[VIEW_AS_WIDGET] = shown.name if access.viewing_as and shown else ""
            st.selectbox(
                texts.VIEW_AS,
                list(labels),
                key=VIEW_AS_WIDGET,
                format_func=lambda k: labels.get(k, str(k)),
                on_change=_choose_view_as,
                args=(settings, access.user.name),
            )
            if access.viewing_as and shown:
                st.warning(texts.VIEW_AS_ACTIVE.format(name=shown.name), icon=":material/visibility:")
        st.button(
            texts.LOGOUT,
            key="auth_logout",
            on_click=_logout,
            args=(settings, rt, access.user.name),
            icon=":material/logout:",
        )
