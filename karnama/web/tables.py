"""Right-to-left tables of pre-formatted Persian cells, with audited CSV / Excel downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from karnama import status
from karnama.core import fa, texts
from karnama.core.lru import BoundedCache
from karnama.core.tabular import content_digest, to_csv_bytes, to_xlsx_bytes
from karnama.web import plain
from karnama.web.auditing import audited_download

TABLE_HEIGHT = 520  # px: a long county table scrolls inside this box beside the map
SCROLL_FROM = 14  # rows: a shorter table (a few counties chosen) takes its own height, not an empty box


def box(rows: int):
    """Where a county table goes: a box of TABLE_HEIGHT that scrolls, for a table longer than fits it."""
    return st.container(height=TABLE_HEIGHT if rows > SCROLL_FROM else "content", border=False)


def static_table(
    frame: pd.DataFrame, highlight: dict[str, str] | None = None, colours: dict[str, dict[str, str]] | None = None
) -> None:
    """A small table drawn as HTML (so it is right to left with Persian digits), cells pre-formatted as text
    and shown as plain text (never Markdown: names come from imported data).

    ``highlight`` maps a column to a value whose cells are shown in red (e.g. laggards); ``colours`` maps a
    column to {cell text: colour} (e.g. the status colours of karnama/status.py)."""
    plain.table(frame.set_index(frame.columns[0]), highlight, colours)


def ranking_frames(ranking: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The county ranking (verdict.county_status rows) as shown (Persian digits, status words) and as downloaded
    (raw numbers), built once per ranking and kept: every rerun of the overview draws the same few."""
    display, raw = _RANKINGS.get_or_make(content_digest(ranking), lambda: _ranking_frames(ranking))
    return display.copy(deep=False), raw.copy(deep=False)


def _ranking_frames(ranking: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    headers = {
        "name_fa": texts.RANK_COUNTY,
        "value": texts.RANK_ACHIEVED,
        "target": texts.RANK_TARGET,
        "progress": texts.RANK_PROGRESS,
        "status": texts.RANK_STATUS,
    }
    raw = ranking.assign(status=ranking["status"].map(status.label)).rename(columns=headers)[list(headers.values())]
    display = raw.assign(
        **{
            texts.RANK_ACHIEVED: raw[texts.RANK_ACHIEVED].map(fa.num),
            texts.RANK_TARGET: raw[texts.RANK_TARGET].map(fa.num),
            texts.RANK_PROGRESS: raw[texts.RANK_PROGRESS].map(fa.pct),
        }
    )
    return display, raw


_RANKINGS: BoundedCache[tuple[pd.DataFrame, pd.DataFrame]] = BoundedCache(256)


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of a table with Persian headers; text cells that look like formulas are neutralised."""

    left, right = st.columns(2)
    # Made on click, after the download is written to the audit log (auth_ui.audited_download).
    left.download_button(
        texts.DOWNLOAD_CSV,
        audited_download("csv", name, lambda: to_csv_bytes(frame), rows=len(frame)),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"csv_{key}",
        icon=":material/download:",
        width="stretch",
    )
    right.download_button(
        texts.DOWNLOAD_XLSX,
        audited_download("xlsx", name, lambda: to_xlsx_bytes({name: frame}), rows=len(frame)),
        file_name=f"{name}.xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        icon=":material/download:",
        width="stretch",
    )


def table(display: pd.DataFrame, raw: pd.DataFrame, name: str, key: str) -> None:
    """A right-to-left table of pre-formatted Persian cells, with downloads of the raw numbers."""
    static_table(display)
    download_buttons(raw, name, key)
