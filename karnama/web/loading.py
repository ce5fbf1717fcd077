"""The branded loading line (title and spinner) a page shows while its queries run, and the one way a page ends
early: after ``st.stop()`` nothing more reaches the browser, so the line is taken away first (else it spins on
above a login form or an "admin only" notice for good)."""

from __future__ import annotations

import contextvars
from typing import NoReturn

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from karnama.web import style

_LINE: contextvars.ContextVar[DeltaGenerator | None] = contextvars.ContextVar("karnama_loading", default=None)


def show() -> None:
    """Draw the loading line at this place of the page, until :func:`clear`."""
    line = st.empty()
    line.html(style.LOADING_HTML)
    _LINE.set(line)


def clear() -> None:
    """Take the loading line away (nothing when none is shown)."""
    line = _LINE.get()
    if line is not None:
        line.empty()
        _LINE.set(None)


def halt() -> NoReturn:
    """End this run of the page here (what it drew so far stays), without leaving the loading line behind."""
    clear()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; keeps type checkers honest
