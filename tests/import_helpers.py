"""Building upload files in tests: workbooks (with formulas, bombs, damage) and CSV in several encodings."""

from __future__ import annotations

import csv
import io
import zipfile

import xlsxwriter

from karnama.core.schema import TABLES
from karnama.data.snapshots import SnapshotStore


def headers(table: str, machine: bool = False) -> list[str]:
    return [c.name if machine else c.label_fa for c in TABLES[table].columns]


def xlsx(sheets: dict[str, list[list]], formulas: dict[str, dict[str, str]] | None = None) -> bytes:
    """A workbook: sheet name -> rows (the first row is the header). ``formulas``: sheet -> {cell: formula}."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        for cell, formula in (formulas or {}).get(name, {}).items():
            ws.write_formula(cell, formula, None, 0)
    wb.close()
    return buf.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8", bom: bool = False) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some parts' content replaced (e.g. a huge sharedStrings part)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in replace.items():
            if name not in src.namelist():
                z.writestr(name, blob)
    return out.getvalue()


def state(store: SnapshotStore) -> tuple:
    """What must not change when an upload is refused: the snapshot ids and the active one."""
    return tuple(store.ids()), store.active_id()
