"""How each schema column is read from a cell: its parser and, in Persian, what it expects."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import pyarrow as pa

from karnama import metrics
from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.core.normalize import name_key
from karnama.core.schema import TABLES, Column, Table
from karnama.importer import cells

# Target indicators a user may upload: metrics that have a target.
INDICATORS = {m.key: m.label for m in metrics.METRICS if m.target}
PROVINCE_WORDS = (texts.PROVINCE, "استان", "province")


@dataclass(frozen=True)
class ColumnSpec:
    column: Column
    parse: Callable[[object], object]
    expected: str


def county_lookup(rows: Iterable[tuple[str, str, str]] | None = None) -> dict[str, str]:
    """Every accepted spelling of a county (code, Persian and English name) -> code."""
    rows = rows if rows is not None else [(c.code, c.name_fa, c.name_en) for c in COUNTIES]
    out: dict[str, str] = {}
    for code, name_fa, name_en in rows:
        for spelling in (code, name_fa, name_en):
            out[spelling] = code
    return out


def enum_values(table: str, column: Column) -> dict | None:
    """Machine value -> Persian label for an enumerated column (the indicator list counts as one)."""
    if column.enum:
        return column.enum
    if table == "targets" and column.name == "indicator":
        return INDICATORS
    return None


def _enum_parser(values: dict, numeric: bool) -> Callable[[object], object]:
    lookup = cells.Lookup({**{str(k): k for k in values}, **{v: k for k, v in values.items()}})
    if not numeric:
        return lookup

    def parse(value: object) -> object:
        try:
            n = cells.parse_int(value, minimum=None)
        except cells.CellError:
            return lookup(value)
        if n in values:
            return n
        raise cells.CellError(texts.IMP_UNKNOWN_VALUE)

    return parse


def specs(table: Table, counties: dict[str, str]) -> dict[str, ColumnSpec]:
    """Parser and expectation for every column of ``table``."""
    out: dict[str, ColumnSpec] = {}
    parse: Callable[..., object]
    county = cells.Lookup(counties, unknown=texts.IMP_UNKNOWN_COUNTY)
    province_or_county = cells.Lookup(counties, blank_words=PROVINCE_WORDS, unknown=texts.IMP_UNKNOWN_COUNTY)
    for col in table.columns:
        values = enum_values(table.name, col)
        if col.name == "county_code":
            if col.required:
                parse, expected = county, texts.IMP_EXP_COUNTY
            else:
                parse, expected = province_or_county, texts.IMP_EXP_COUNTY_OR_PROVINCE
        elif values:
            parse = _enum_parser(values, pa.types.is_integer(col.type))
            expected = texts.IMP_EXP_ENUM.format(values="، ".join(str(v) for v in values.values()))
        elif col.name in ("year", "established_jy"):
            parse, expected = cells.parse_year, texts.IMP_EXP_YEAR
        elif col.name == "month":
            parse, expected = cells.parse_month, texts.IMP_EXP_MONTH
        elif pa.types.is_integer(col.type):
            # The stored type's largest value: beyond it a number cannot be stored (and 1e308 must not crash).
            top = (1 << (col.type.bit_width - 1)) - 1
            parse = partial(cells.parse_int, maximum=top)
            expected = texts.IMP_EXP_RIALS if col.unit == "rial" else texts.IMP_EXP_COUNT
        elif pa.types.is_floating(col.type):
            parse, expected = (lambda v: cells.parse_float(v, minimum=0)), texts.IMP_EXP_NUMBER
        elif pa.types.is_date(col.type):
            parse, expected = cells.parse_date, texts.IMP_EXP_DATE
        else:
            parse, expected = cells.parse_text, texts.IMP_EXP_TEXT.format(max=fa.num(cells.MAX_TEXT))
        out[col.name] = ColumnSpec(col, parse, expected)
    return out


def header_aliases(table: Table) -> dict[str, str]:
    """name_key of every accepted header (machine name, Persian header, header without its unit) -> column."""
    out: dict[str, str] = {}
    for col in table.columns:
        for alias in (col.name, col.label_fa, re.sub(r"\s*\(.*?\)\s*", "", col.label_fa)):
            out.setdefault(name_key(alias), col.name)
    return out


def table_aliases() -> dict[str, str]:
    """name_key of a table's machine name or Persian name -> table."""
    out = {}
    for t in TABLES.values():
        out[name_key(t.name)] = t.name
        out[name_key(t.label_fa)] = t.name
        out[name_key(t.label_fa[:31])] = t.name  # Excel cuts sheet names at 31 characters
    return out
