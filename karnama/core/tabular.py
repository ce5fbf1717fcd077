"""Tables leaving the app (CSV, Excel): Persian headers, and text that cannot run as a spreadsheet formula."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Mapping

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text starting with = + - @ (or a tab/CR) gets a leading apostrophe so a spreadsheet shows it as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and header) neutralised; numbers stay numbers."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel opens Persian correctly), formulas neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One sheet per frame, right-to-left sheets, formulas neutralised and written as text, never as formulas."""
    buf = io.BytesIO()
    with pd.ExcelWriter(
        buf, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}
    ) as xw:
        for name, frame in sheets.items():
            safe = neutralise_frame(frame)
            sheet = str(name)[:31]
            safe.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.right_to_left()
            for i, col in enumerate(safe.columns):
                width = max([len(str(col))] + [len(str(v)) for v in safe[col].head(200)]) + 2
                ws.set_column(i, i, min(width, 50))
    return buf.getvalue()


def content_digest(frame: pd.DataFrame | pd.Series) -> str:
    """A digest of a frame's whole content (columns, dtypes, index, values), for cache keys: equal digests mean
    frames that unpickle equal. Raises TypeError/pickle.PicklingError for a frame holding unpicklable objects."""
    return hashlib.blake2b(pickle.dumps(frame, protocol=5), digest_size=16).hexdigest()


def digest_or_none(frame: pd.DataFrame | pd.Series) -> str | None:
    """:func:`content_digest`, or None for a frame that cannot be pickled (a cache then simply does not keep it)."""
    try:
        return content_digest(frame)
    except (TypeError, pickle.PicklingError, AttributeError):
        return None
