"""Text from data, files or people shown as plain text, never as Markdown or HTML.

Streamlit renders Markdown (GitHub-flavoured, plus its own ``:red[…]``, ``:material/…:`` and ``$…$``) in
``st.table`` cells, index and headers, in captions and in alerts. A centre name such as ``![x](http://host/x.png)``
would make every viewer's browser fetch that address, and ``[…](http://host/login)`` would become a link. Every such
sink goes through this module: :func:`md` backslash-escapes what Markdown could read as syntax (CommonMark lets any
ASCII punctuation be escaped, so the escaped text reads exactly as typed; Persian letters, digits and ZWNJ are never
touched), and :func:`svg` does the same for Plotly, whose labels and hover text read ``<a href>``, ``<b>``, ``<br>``.
"""

from __future__ import annotations

import html
import re
import threading
from typing import Any

import pandas as pd

from karnama.core.lru import BoundedCache
from karnama.core.tabular import digest_or_none


def _st():
    """Streamlit, imported on first use: the exports import web.charts (and so :func:`svg`) without a server."""
    import streamlit

    return streamlit


# Inline syntax anywhere on a line: emphasis, code, links/images ([ and ]), HTML and autolinks (<, >), GFM tables and
# strikethrough, Streamlit directives and emoji (:), LaTeX ($), entities (&), e-mail autolinks (@).
_INLINE = re.compile(r"([\\`*_\[\]<>|~$:&@{}])")
# Block syntax only matters at the start of a line: headings, lists, quotes, setext underlines.
_LINE_START = re.compile(r"^(\s*)([#+\-=!])", re.M)
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])", re.M)
_WWW = re.compile(r"(?i)\b(www)\.")
# GFM finds bare web and e-mail addresses in the parsed text, after escapes are gone, so an escape cannot stop
# them: a word joiner (U+2060, invisible, no width) after "http", "www" or "@" breaks the pattern instead.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|www)(\\[:.])")
WORD_JOINER = "\u2060"


def md(value: object) -> str:
    """``value`` as Markdown source that renders as exactly its characters (no link, image, HTML or style)."""
    text = "" if value is None else str(value)
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    text = _WWW.sub(r"\1\\.", text)
    text = _AUTOLINK.sub(r"\1" + WORD_JOINER + r"\2", text)
    return text.replace("\\@", "\\@" + WORD_JOINER)


def svg(value: object) -> str:
    """``value`` for Plotly text (tick labels, hover, markers): its tag subset and entities are escaped."""
    return html.escape("" if value is None else str(value), quote=False)


def _label(value: object) -> object:
    return md(value) if isinstance(value, str) else value


def frame(data: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells, index and column labels are escaped for ``st.table``."""
    out = data.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_label)
    out.columns = [_label(c) for c in out.columns]
    if not isinstance(out.index, pd.RangeIndex):  # a default index stays one, so st.table still hides it
        out.index = out.index.map(_label)
        out.index.name = _label(data.index.name)
    return out


def table(
    data: pd.DataFrame, highlight: dict[str, str] | None = None, colours: dict[str, dict[str, str]] | None = None
) -> None:
    """``st.table`` of plain text. ``highlight`` maps a column to a value whose cells are shown in red; ``colours``
    maps a column to {cell text: colour} (status words in their status colour)."""
    if not highlight and not colours:
        _st().table(_escaped(data))
        return
    _st().table(_styled(data, highlight or {}, colours or {}))


def _escaped(data: pd.DataFrame) -> pd.DataFrame:
    """:func:`frame` of these inputs, escaped once and kept (a shallow copy each time: st.table only reads it)."""
    key = digest_or_none(data)
    if key is None:
        return frame(data)
    return _ESCAPED.get_or_make(key, lambda: frame(data)).copy(deep=False)


def _styled(data: pd.DataFrame, highlight: dict[str, str], colours: dict[str, dict[str, str]]):
    """The escaped, styled table for these inputs, styled once and kept: a county table's styling (pandas works
    out every cell's style, then Streamlit every cell's display value) cost more than the rest of its page."""
    digest = digest_or_none(data)

    def make():
        styler = _styled_once(frame(data))
        for col, bad in highlight.items():
            styler = styler.map(
                lambda v, bad=md(bad): "color: #c92a2a; font-weight: 700" if v == bad else "", subset=[md(col)]
            )
        for col, palette in colours.items():
            shown = {md(k): c for k, c in palette.items()}
            styler = styler.map(
                lambda v, shown=shown: f"color: {shown[v]}; font-weight: 700" if v in shown else "", subset=[md(col)]
            )
        if digest is not None:
            styler.set_uuid(digest[:12])  # the same table keeps the same CSS scope wherever it is drawn
        return styler

    if digest is None:
        return make()
    key = (
        digest,
        tuple(sorted(highlight.items())),
        tuple(sorted((col, tuple(sorted(palette.items()))) for col, palette in colours.items())),
    )
    return _STYLED.get_or_make(key, make)


def _styled_once(data: pd.DataFrame):
    """A pandas Styler that works out its styles and their translation once, whoever draws it: Streamlit calls
    ``_compute`` and ``_translate`` on every ``st.table``, so both are wrapped on the instance (a subclass would not
    be recognised as a Styler). Kept styles never change, so sharing the object is safe."""
    styler = data.style
    compute, translate, lock = styler._compute, styler._translate, threading.Lock()
    done: dict = {}

    def _compute_once():
        with lock:
            if "computed" not in done:
                compute()
                done["computed"] = True
        return styler

    def _translate_once(*args, **kwargs):
        key = repr((args, sorted(kwargs.items())))
        with lock:
            if key not in done:
                done[key] = translate(*args, **kwargs)
            return done[key]

    styler._compute = _compute_once  # type: ignore[method-assign]
    styler._translate = _translate_once  # type: ignore[method-assign]
    return styler


_ESCAPED: BoundedCache[pd.DataFrame] = BoundedCache(256)
_STYLED: BoundedCache[Any] = BoundedCache(64)  # pandas Stylers


def caption(text: object) -> None:
    _st().caption(md(text))


def write(text: object) -> None:
    _st().markdown(md(text))


def info(text: object, icon: str | None = None) -> None:
    _st().info(md(text), icon=icon)


def warning(text: object, icon: str | None = None) -> None:
    _st().warning(md(text), icon=icon)


def error(text: object, icon: str | None = None) -> None:
    _st().error(md(text), icon=icon)


def success(text: object, icon: str | None = None) -> None:
    _st().success(md(text), icon=icon)
