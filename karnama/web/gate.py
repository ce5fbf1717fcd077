"""The login gate in Streamlit: login page, logout, idle expiry, open viewing, "view as", admin-only guards.

``frame.page_view`` calls :func:`gate` before anything else on every page, so a page run directly by Streamlit
is gated too. The browser session holds only a random token (``st.session_state``); the account, its role and
its counties are looked up on the server on every run, so a tampered session state or URL gives nothing. The
gate binds the account's county scope into the query layer (``query._bind_scope``, called nowhere else): every query of the run is
narrowed to it whatever the page, the URL or the widgets ask.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import streamlit as st

from karnama.access import audit
from karnama.access.auth import (
    MAX_PASSWORD,
    Account,
    AccountStore,
    Authenticator,
    AuthError,
    RateLimiter,
    Sessions,
    login_service,
)
from karnama.core import fa, texts
from karnama.core.settings import Settings, load
from karnama.data import query
from karnama.data.snapshots import SnapshotStore
from karnama.web import loading, state, style
from karnama.web.state import client_address

T = TypeVar("T")

# The access decided by gate() for the current run (a Streamlit run is one context), for parts of a page that
# need to know who is looking without asking the state store again.
_UNSET = object()
_RUN_ACCESS: contextvars.ContextVar[object] = contextvars.ContextVar("karnama_run_access")


def _in_page_run() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx(suppress_warning=True) is not None


# In a page run, a query before the access decision is refused (the query layer cannot import streamlit).
query.set_page_run_detector(_in_page_run)

SESSION_KEY = "_karnama_session"  # the only login state a browser session holds: a random server-side token
VIEW_AS_KEY = "_karnama_view_as"  # kept apart from the widget, whose state Streamlit drops on a page change
VIEW_AS_WIDGET = "_karnama_view_as_widget"
WANT_LOGIN_KEY = "_karnama_want_login"
NOTICE_KEY = "_karnama_auth_notice"


@dataclass(frozen=True)
class Access:
    """Who is looking: the signed-in account (None under open viewing) and the account whose view is shown
    (the same, or the account an admin views as)."""

    user: Account | None
    shown: Account | None
    open_viewing: bool

    @property
    def scope(self) -> frozenset[str] | None:
        return self.shown.scope if self.shown else None

    @property
    def viewing_as(self) -> bool:
        return self.user is not None and self.shown is not self.user

    @property
    def is_admin(self) -> bool:
        """May write (import, publish, rollback): an admin, signed in, not viewing as someone else."""
        return self.user is not None and self.user.is_admin and not self.viewing_as

    @property
    def account_name(self) -> str | None:
        """The name the audit log records: the signed-in account (also while viewing as)."""
        return self.user.name if self.user else None


@dataclass
class _Runtime:
    """Handles on the state store for this run. Nothing here holds security state (sessions and failed-login
    counters live in the database), and nothing is kept in ``st.cache_resource``: Streamlit's "clear cache"
    message, which any websocket client may send, must not be able to sign anyone out or lift a lockout."""

    sessions: Sessions
    limiter: RateLimiter
    service: Authenticator


def _runtime(settings: Settings) -> _Runtime:
    """The login service of this process for these settings (its store, limits and sessions)."""
    service = login_service(settings)
    return _Runtime(service.sessions, service.limiter, service)


def _idle_seconds(settings: Settings) -> float:
    return settings.session_idle_minutes * 60.0  # a positive whole number (core/settings.py checks it)


def open_viewing(settings: Settings) -> bool:
    """Read-only viewing without login: only an explicit, readable setting turns it on (never the data)."""
    return settings.open_viewing is True


def _signed_in(settings: Settings, rt: _Runtime, accounts: AccountStore) -> Account | None:
    """The account behind this browser session's token, or None (and a notice when a session just ended)."""
    token = st.session_state.get(SESSION_KEY)
    if token is None:
        return None
    try:
        name, status = rt.sessions.check(token, _idle_seconds(settings))
    except Exception:  # an unreachable store: nobody is signed in (fail closed)
        return None
    if status != "ok":
        st.session_state.pop(SESSION_KEY, None)
        if status == "expired":
            audit.try_record("session_expired", name, settings=settings, client=client_address())
            st.session_state[NOTICE_KEY] = texts.SESSION_EXPIRED.format(minutes=fa.num(_idle_seconds(settings) / 60))
        else:  # ended on the server (a new password, the account removed), perhaps by another process
            st.session_state[NOTICE_KEY] = texts.SESSION_ENDED
        st.session_state[WANT_LOGIN_KEY] = True
        return None
    try:
        account = accounts.get(name) if name else None
    except AuthError:
        account = None
    started = rt.sessions.started(token)
    if account is None or (started is not None and _changed_after(account, started)):
        rt.sessions.end(token)
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[NOTICE_KEY] = texts.SESSION_ENDED
        st.session_state[WANT_LOGIN_KEY] = True
        return None
    return account


def _changed_after(account: Account, started: float) -> bool:
    try:
        changed = dt.datetime.fromisoformat(account.password_changed_utc).timestamp()
    except ValueError:
        return False
    return changed > started


def _shown(user: Account | None, accounts: AccountStore) -> Account | None:
    """The account whose view is shown: an admin may pick a non-admin account; anyone else sees their own."""
    wanted = st.session_state.get(VIEW_AS_KEY)
    if not wanted:
        return user
    target = None
    if user is not None and user.is_admin and isinstance(wanted, str):
        try:
            target = accounts.get(wanted)
        except AuthError:
            target = None
    if target is None or target.is_admin:
        st.session_state.pop(VIEW_AS_KEY, None)  # tampered or stale: ignore it
        return user
    return target


@dataclass
class _Context:
    settings: Settings
    rt: _Runtime
    accounts: AccountStore
    is_open: bool


def resolve(store: SnapshotStore) -> tuple[Access | None, _Context]:
    """The access of this browser session without drawing anything; Access is None when a login is needed."""
    settings = load(store.root)
    rt = _runtime(settings)
    ctx = _Context(settings, rt, rt.service.store, open_viewing(settings))
    user = _signed_in(settings, ctx.rt, ctx.accounts)
    if user is None and (not ctx.is_open or st.session_state.get(WANT_LOGIN_KEY)):
        return None, ctx
    return Access(user, _shown(user, ctx.accounts), ctx.is_open), ctx


def _session_may_upload(session_id: str, root: Path) -> bool:
    """Whether the browser session behind an upload is signed in as an admin (only admins import data)."""
    from streamlit.runtime import Runtime

    try:
        info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
        token = info.session.session_state[SESSION_KEY] if info else None
    except (KeyError, AttributeError, RuntimeError):
        return False
    if not isinstance(token, str):
        return False
    settings = load(root)
    try:
        service = login_service(settings)
        name, status = service.sessions.check(token, _idle_seconds(settings))
        account = service.store.get(name) if status == "ok" and name else None
    except Exception:  # an unreachable store refuses (fail closed)
        return False
    return account is not None and account.is_admin


def guard_uploads(root: Path) -> bool:
    """Refuse files sent to Streamlit's upload endpoint by a browser session that is not signed in as an admin.

    Streamlit stores any file PUT to ``/_stcore/upload_file/<session>/<file>`` for any live websocket session,
    whether or not the page shows an uploader (up to ``server.maxUploadSize`` each, in memory until the session
    ends). The data page's uploader is drawn only after the admin gate, so an upload from anyone else is an
    attack: the wrapped ``add_file`` answers it with 403 and keeps nothing. Installed once per process (True
    when it is in place)."""
    from starlette.exceptions import HTTPException
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return False
    mgr = Runtime.instance().uploaded_file_mgr
    if getattr(mgr, "_karnama_guarded", False):
        return True
    original = mgr.add_file  # type: ignore[attr-defined]  # MemoryUploadedFileManager's

    def add_file(session_id: str, file) -> None:
        if not _session_may_upload(session_id, root):
            raise HTTPException(status_code=403, detail="sign in as an admin to upload")
        original(session_id, file)

    mgr.add_file = add_file  # type: ignore[attr-defined]
    mgr._karnama_guarded = True  # type: ignore[attr-defined]
    # Files that arrived before the first script run of this process installed the guard: keep only an admin's.
    for session_id in list(getattr(mgr, "file_storage", {})):
        if not _session_may_upload(session_id, root):
            mgr.remove_session_files(session_id)
    return True


def gate(store: SnapshotStore) -> Access:
    """Decide who is looking before any query: show the login page (and stop) when a login is needed, else
    bind the account's county scope into the query layer and return the access."""
    guard_uploads(store.root)
    access, ctx = resolve(store)
    _RUN_ACCESS.set(access)
    if access is None:
        query._bind_scope(frozenset())  # nothing may be read until someone signs in
        login_page(ctx.settings, ctx.rt, ctx.accounts, can_go_back=ctx.is_open)
        loading.halt()
    query._bind_scope(access.scope)
    extra = {"viewing_as": access.shown.name} if access.viewing_as and access.shown else {}
    audit.bind_actor(access.account_name, client=client_address(), **extra)
    return access


def this_run() -> Access:
    """The access :func:`gate` decided at the start of this run (no second look-up in the state store); checked
    afresh when no gate ran in this context. Writes check again with :func:`require_admin`."""
    access = _RUN_ACCESS.get(_UNSET)
    if access is _UNSET:
        return current()
    return access if isinstance(access, Access) else Access(None, None, False)


def current(store: SnapshotStore | None = None) -> Access:
    """The access of this run, checked afresh on the server (for pages deciding what to draw)."""
    access, _ = resolve(store or state.store())
    return access or Access(None, None, False)


def require_admin(store: SnapshotStore | None = None) -> Access:
    """Call right before any write (import, publish, rollback): stops the run with a message unless an admin is
    signed in (not viewing as someone else). Checked on the server, whatever the page or the session state say."""
    access = current(store)
    if access.is_admin:
        return access
    st.warning(texts.ADMIN_ONLY_VIEW_AS if access.viewing_as else texts.ADMIN_ONLY, icon=":material/lock:")
    if access.user is None:
        st.button(texts.LOGIN_BUTTON, key="auth_admin_login", on_click=_want_login, icon=":material/login:")
    loading.halt()


def _want_login() -> None:
    st.session_state[WANT_LOGIN_KEY] = True


def _skip_login() -> None:
    st.session_state.pop(WANT_LOGIN_KEY, None)
    st.session_state.pop(NOTICE_KEY, None)


def login_page(settings: Settings, rt: _Runtime, accounts: AccountStore, can_go_back: bool) -> None:
    """The login form in place of the page (Persian, right to left), without the sidebar."""
    st.html(style.NO_SIDEBAR_CSS)
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.title(texts.LOGIN_TITLE, anchor=False)
        st.caption(texts.LOGIN_INTRO)
        notice = st.session_state.pop(NOTICE_KEY, None)
        if isinstance(notice, str):
            st.warning(notice, icon=":material/schedule:")
        for problem in settings.problems:  # why the dashboard asks for a login although open viewing was set
            st.warning(problem, icon=":material/settings:")
        try:
            if not accounts.list():
                st.info(texts.LOGIN_NO_ACCOUNTS, icon=":material/person_add:")
        except AuthError as exc:
            st.error(str(exc))
        with st.form("karnama_login", clear_on_submit=True):
            name = st.text_input(texts.LOGIN_NAME, key="login_name", max_chars=64, autocomplete="username")
            password = st.text_input(
                texts.LOGIN_PASSWORD,
                key="login_password",
                type="password",
                max_chars=MAX_PASSWORD,
                autocomplete="current-password",
            )
            submitted = st.form_submit_button(texts.LOGIN_SUBMIT, type="primary", icon=":material/login:")
        if submitted:
            if not (name or "").strip() or not password:
                st.error(texts.LOGIN_EMPTY)
            else:
                result = rt.service.login(name, password, client_address())
                if result.account is not None:
                    for key in (VIEW_AS_KEY, WANT_LOGIN_KEY, NOTICE_KEY):
                        st.session_state.pop(key, None)
                    st.session_state[SESSION_KEY] = rt.sessions.create(result.account.name)
                    st.rerun()
                st.error(result.message, icon=":material/lock:")
        if can_go_back:
            st.button(texts.LOGIN_BACK, key="auth_skip_login", on_click=_skip_login)


def in_scope(scope: frozenset[str] | None, make: Callable[[], T]) -> Callable[[], T]:
    """``make`` wrapped to run with ``scope`` bound: for files Streamlit makes on click, on another thread."""

    def run() -> T:
        query._bind_scope(scope)
        return make()

    return run
