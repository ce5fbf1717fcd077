"""The Excel template: an instructions sheet, one right-to-left sheet per importable table with Persian
headers, and drop-down lists for counties and every enumerated column (kept on a hidden lists sheet)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pyarrow as pa
import xlsxwriter

from karnama.core import texts
from karnama.core.counties import COUNTIES
from karnama.core.schema import SCHEMA_VERSION, TABLES, Column
from karnama.data.query import CALENDAR_YEARS
from karnama.importer.columns import county_lookup, enum_values, specs

LAST_ROW = 100_000  # drop-downs and number checks reach this far down each sheet


def _col_letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def template_bytes(counties: Sequence[tuple[str, str]] | None = None) -> bytes:
    """The template workbook; ``counties`` are (code, Persian name) pairs, by default the province's 34."""
    counties = list(counties) if counties else [(c.code, c.name_fa) for c in COUNTIES]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBEC", "border": 1, "text_wrap": True, "valign": "top"})
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    as_text = wb.add_format({"num_format": "@"})
    as_int = wb.add_format({"num_format": "#,##0"})

    guide = wb.add_worksheet(texts.TPL_SHEET_GUIDE)
    lists = wb.add_worksheet(texts.TPL_SHEET_LISTS)
    for ws in (guide, lists):
        ws.right_to_left()

    # Lists sheet: one column per drop-down list.
    list_ranges: dict[str, str] = {}

    def add_list(key: str, values: list[str]) -> str:
        col = len(list_ranges)
        lists.write(0, col, key, bold)
        for r, v in enumerate(values, start=1):
            lists.write_string(r, col, v)
        letter = _col_letter(col)
        list_ranges[key] = f"={_quoted(texts.TPL_SHEET_LISTS)}!${letter}$2:${letter}${len(values) + 1}"
        return list_ranges[key]

    county_names = sorted(name for _, name in counties)
    county_src = add_list(texts.FILTER_COUNTIES, county_names)
    province_src = add_list(texts.PROVINCE, [texts.PROVINCE, *county_names])
    lists.hide()

    lookup = county_lookup([(code, name, code) for code, name in counties])
    sheets = []
    for table in TABLES.values():
        if not table.importable:
            continue
        ws = wb.add_worksheet(table.label_fa[:31])
        ws.right_to_left()
        ws.freeze_panes(1, 0)
        column_specs = specs(table, lookup)
        for i, col in enumerate(table.columns):
            spec = column_specs[col.name]
            ws.write_string(0, i, col.label_fa, bold)
            ws.set_column(
                i,
                i,
                max(14, len(col.label_fa) + 4),
                as_text
                if col.type in (pa.string(), pa.date32())
                else as_int
                if pa.types.is_integer(col.type)
                else None,
            )
            rng = (1, i, LAST_ROW, i)
            message = {
                "input_title": col.label_fa[:32],
                "input_message": spec.expected[:250],
                "error_title": col.label_fa[:32],
                "error_message": spec.expected[:250],
            }
            values = enum_values(table.name, col)
            if col.name == "county_code":
                ws.data_validation(
                    *rng, {"validate": "list", "source": county_src if col.required else province_src, **message}
                )
            elif values:
                ws.data_validation(
                    *rng,
                    {
                        "validate": "list",
                        # headed in Persian, «برگه — ستون» (the sheet's and the column's own labels)
                        "source": add_list(f"{table.label_fa} — {col.label_fa}", [str(v) for v in values.values()]),
                        **message,
                    },
                )
            elif col.name == "year":
                ws.data_validation(
                    *rng,
                    {
                        "validate": "integer",
                        "criteria": "between",
                        "minimum": CALENDAR_YEARS[0],
                        "maximum": CALENDAR_YEARS[1],
                        **message,
                    },
                )
            elif col.name == "month":
                ws.data_validation(
                    *rng, {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 12, **message}
                )
            elif pa.types.is_integer(col.type):
                ws.data_validation(*rng, {"validate": "integer", "criteria": ">=", "value": 0, **message})
            elif pa.types.is_floating(col.type):
                ws.data_validation(*rng, {"validate": "decimal", "criteria": ">=", "value": 0, **message})
            else:
                ws.data_validation(*rng, {"validate": "any", **message})
        sheets.append(table)

    # Instructions sheet.
    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 22)
    guide.set_column(2, 2, 60)
    guide.set_column(3, 3, 10)
    guide.write(0, 0, texts.TPL_TITLE, title)
    row = 2
    for line in texts.TPL_STEPS:
        guide.merge_range(row, 0, row, 3, line, wrap)
        guide.set_row(row, 30)
        row += 1
    row += 1
    for table in sheets:
        guide.write(row, 0, table.label_fa, title)
        keys = "، ".join(table.col_by_name[k].label_fa for k in table.key)
        guide.merge_range(row, 1, row, 3, texts.TPL_TABLE_LINE.format(name=table.name, key=keys), wrap)
        row += 1
        for i, h in enumerate(texts.TPL_COLUMNS):
            guide.write(row, i, h, bold)
        row += 1
        column_specs = specs(table, lookup)
        for col in table.columns:
            guide.write_string(row, 0, col.label_fa)
            guide.write_string(row, 1, col.name)
            guide.write_string(row, 2, column_specs[col.name].expected, wrap)
            guide.write_string(row, 3, texts.TPL_REQUIRED if col.required else texts.TPL_OPTIONAL)
            row += 1
        row += 1
    guide.activate()
    wb.close()
    return buf.getvalue()


def describe_column(table: str, col: Column) -> dict:
    """Machine-readable description of one column (for ``schema --json``)."""
    values = enum_values(table, col)
    spec = specs(TABLES[table], county_lookup())[col.name]
    return {
        "name": col.name,
        "header_fa": col.label_fa,
        "type": str(col.type),
        "required": col.required,
        "unit": col.unit or None,
        "allowed_values": [{"value": k, "label_fa": v} for k, v in values.items()] if values else None,
        "expected_fa": spec.expected,
        "doc": col.doc or None,
    }


def describe_schema() -> dict:
    """Every table with its columns and natural key."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tables": [
            {
                "name": t.name,
                "label_fa": t.label_fa,
                "importable": t.importable,
                "natural_key": list(t.key),
                "doc": t.doc,
                "columns": [describe_column(t.name, c) for c in t.columns],
            }
            for t in TABLES.values()
        ],
    }
