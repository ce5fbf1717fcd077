"""The sidebar's account section: open-viewing notice and login, who is signed in, view as, logout."""

from __future__ import annotations

import streamlit as st

from karnama.access import audit
from karnama.access.auth import MAX_PASSWORD, MIN_PASSWORD, ROLE_LABELS, AuthError
from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.core.settings import Settings, load
from karnama.data.snapshots import SnapshotStore
from karnama.web import plain
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
        _password_section(rt, access.user.name)
        st.button(
            texts.LOGOUT,
            key="auth_logout",
            on_click=_logout,
            args=(settings, rt, access.user.name),
            icon=":material/logout:",
        )


PASSWORD_OPEN_KEY = "karnama_password_open"
PASSWORD_DONE_KEY = "karnama_password_done"


def _toggle_password(open_: bool) -> None:
    st.session_state[PASSWORD_OPEN_KEY] = open_


def _password_section(rt: _Runtime, name: str) -> None:
    """The signed-in person's own password: a button, and the form only once it is asked for (a sidebar element
    less on every rerun). On success this browser gets a new session; every other session of the account ends."""
    if st.session_state.pop(PASSWORD_DONE_KEY, False):
        st.success(texts.PASSWORD_CHANGED, icon=":material/check_circle:")
    if not st.session_state.get(PASSWORD_OPEN_KEY):
        st.button(texts.PASSWORD_CHANGE, key="pw_open", on_click=_toggle_password, args=(True,), icon=":material/key:")
        return
    st.subheader(texts.PASSWORD_CHANGE_TITLE, anchor=False)
    with st.form("karnama_password", clear_on_submit=True):
        current = st.text_input(
            texts.PASSWORD_CURRENT, key="pw_current", type="password", max_chars=MAX_PASSWORD,
            autocomplete="current-password",
        )  # fmt: skip
        new = st.text_input(
            texts.PASSWORD_NEW, key="pw_new", type="password", max_chars=MAX_PASSWORD, autocomplete="new-password",
            help=texts.PASSWORD_RULES.format(n=fa.num(MIN_PASSWORD)),
        )  # fmt: skip
        repeat = st.text_input(
            texts.PASSWORD_REPEAT, key="pw_repeat", type="password", max_chars=MAX_PASSWORD,
            autocomplete="new-password",
        )  # fmt: skip
        submitted = st.form_submit_button(texts.PASSWORD_SUBMIT, type="primary", icon=":material/key:")
    st.button(texts.PASSWORD_CANCEL, key="pw_cancel", on_click=_toggle_password, args=(False,))
    if not submitted:
        return
    if not current or not new or not repeat:
        st.error(texts.PASSWORD_EMPTY)
        return
    problem = rt.service.change_password(name, current, new, repeat, client_address())
    if problem:
        plain.error(problem, icon=":material/lock:")
        return
    st.session_state[SESSION_KEY] = rt.sessions.create(name)
    st.session_state[PASSWORD_OPEN_KEY] = False
    st.session_state[PASSWORD_DONE_KEY] = True
    st.rerun()
