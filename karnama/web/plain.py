"""Text from data, files or people shown as plain text, never as Markdown or HTML.

Streamlit renders Markdown (GitHub-flavoured, plus its own ``:red[…]``, ``:material/…:`` and ``$…$``) in captions,
alerts and ``st.table`` cells. A centre name such as ``![x](http://host/x.png)`` would make every viewer's browser
fetch that address, and ``[…](http://host/login)`` would become a link. Every such sink goes through this module:
:func:`md` backslash-escapes what Markdown could read as syntax (CommonMark lets any ASCII punctuation be escaped,
so the escaped text reads exactly as typed; Persian letters, digits and ZWNJ are never touched); :func:`table`
draws a table as HTML whose every cell is escaped text; and :func:`svg` escapes text for Plotly, whose labels and
hover text read ``<a href>``, ``<b>``, ``<br>``.
"""

from __future__ import annotations

import html
import math
import re

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


def _cell(value: object) -> str:
    """A cell's text, HTML-escaped: what the data says, character for character (an empty cell stays empty)."""
    if (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return svg(value)


def table(
    data: pd.DataFrame, highlight: dict[str, str] | None = None, colours: dict[str, dict[str, str]] | None = None
) -> None:
    """A table of plain text, right to left. ``highlight`` maps a column to a value whose cells are shown in red;
    ``colours`` maps a column to {cell text: colour} (status words in their status colour).

    Drawn as one HTML element of escaped text, not ``st.table``: that renders every cell, index entry and header
    as its own Markdown element, about 200 for a county table, which the browser drew again on every filter
    change. A named index (``set_index``) is shown as the first column, as row headers."""
    _st().html(table_html(data, highlight or {}, colours or {}))


def table_html(data: pd.DataFrame, highlight: dict[str, str], colours: dict[str, dict[str, str]]) -> str:
    """:func:`table`'s HTML for these inputs, made once per content and kept (every rerun draws the same few)."""
    digest = digest_or_none(data)
    if digest is None:
        return _table_html(data, highlight, colours)
    key = (
        digest,
        tuple(sorted(highlight.items())),
        tuple(sorted((col, tuple(sorted(palette.items()))) for col, palette in colours.items())),
    )
    return _HTML.get_or_make(key, lambda: _table_html(data, highlight, colours))


HIGHLIGHT_STYLE = "color: #c92a2a; font-weight: 700"


def _table_html(data: pd.DataFrame, highlight: dict[str, str], colours: dict[str, dict[str, str]]) -> str:
    with_index = not isinstance(data.index, pd.RangeIndex)
    columns = list(data.columns)
    head = [f'<th scope="col">{_cell(data.index.name)}</th>'] if with_index else []
    head += [f'<th scope="col">{_cell(c)}</th>' for c in columns]
    # Per column: the style of a cell by its value (only the colours of karnama/status.py and the red above).
    styles: list[dict[str, str]] = []
    for col in columns:
        by_value = {k: f"color: {c}; font-weight: 700" for k, c in colours.get(col, {}).items()}
        if col in highlight:
            by_value[highlight[col]] = HIGHLIGHT_STYLE
        styles.append(by_value)
    rows = []
    for label, values in zip(data.index, data.itertuples(index=False, name=None)):
        cells = [f'<th scope="row">{_cell(label)}</th>'] if with_index else []
        for value, by_value in zip(values, styles):
            style = by_value.get(value) if by_value and isinstance(value, str) else None
            cells.append(
                f'<td style="{html.escape(style)}">{_cell(value)}</td>' if style else f"<td>{_cell(value)}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="{TABLE_CLASS}-wrap" dir="rtl"><table class="{TABLE_CLASS}"><thead><tr>{"".join(head)}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


TABLE_CLASS = "karnama-table"
_HTML: BoundedCache[str] = BoundedCache(256)


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
