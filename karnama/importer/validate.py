"""Checking sheets against the data model: which table, which columns, every cell, duplicate keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter

import pyarrow as pa

from karnama.core import fa, texts
from karnama.core.normalize import name_key
from karnama.core.schema import TABLES, Table
from karnama.importer import cells
from karnama.importer.columns import ColumnSpec, header_aliases, specs, table_aliases
from karnama.importer.readers import Formula, RawSheet
from karnama.importer.report import Findings

# Past this many errors of one kind in one column, the rest are summed up in one line.
MAX_PER_COLUMN = 50
HEADER_SEARCH = 10
TEMPLATE_SHEETS = {name_key(texts.TPL_SHEET_GUIDE), name_key(texts.TPL_SHEET_LISTS)}


@dataclass
class Parsed:
    """The valid rows of one table from one or more sheets, with where each row came from."""

    table: str
    columns: dict[str, list] = field(default_factory=dict)
    where: list[tuple[str, str, int]] = field(default_factory=list)
    # (source, sheet) -> column -> its Excel letter there, so later checks can name the cell.
    letters: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.where)

    def extend(self, other: Parsed) -> None:
        for name in TABLES[self.table].column_names:
            self.columns.setdefault(name, []).extend(other.columns[name])
        self.where.extend(other.where)
        self.letters.update(other.letters)

    def cell(self, i: int, column: str) -> str:
        """The Excel cell (``F12``) of row ``i``'s ``column``; empty for CSV."""
        source, sheet, row = self.where[i]
        letter = self.letters.get((source, sheet), {}).get(column)
        return f"{letter}{row}" if letter and sheet else ""

    def arrow(self) -> pa.Table:
        spec = TABLES[self.table]
        return pa.table(
            {c.name: pa.array(self.columns.get(c.name, []), type=c.type) for c in spec.columns},
            schema=spec.arrow_schema,
        )


def identify(raw: RawSheet, findings: Findings) -> str | None:
    """The table a sheet (by its name) or a CSV file (by its name, else its headers) holds; None to skip it."""
    aliases = table_aliases()
    where = {"source": raw.source, "sheet": raw.sheet}
    if raw.sheet:
        key = name_key(raw.sheet)
        if key in TEMPLATE_SHEETS:
            return None
        named = aliases.get(key)
    else:
        stem = raw.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        named = aliases.get(name_key(stem))
    if named is None and raw.header:
        named = _by_headers(raw)
    if named is None:
        if raw.sheet:
            findings.warning(texts.IMP_SHEET_UNKNOWN, **where)
        else:
            findings.error(texts.IMP_FILE_UNKNOWN, **where)
        return None
    if not TABLES[named].importable:
        findings.warning(texts.IMP_NOT_IMPORTABLE.format(table=TABLES[named].label_fa), **where)
        return None
    return named


def _found(row: list, table: Table) -> tuple[int, bool]:
    """How many of the table's columns a row of headers names, and whether all required ones are there."""
    aliases = header_aliases(table)
    found = {aliases[k] for k in (name_key(h) for h in row if not cells.is_blank(h)) if k in aliases}
    return len(found), {c.name for c in table.columns if c.required} <= found


def _candidates(raw: RawSheet) -> list[list]:
    """The first non-blank row, then the next few: a header may sit below a title or a note."""
    return [raw.header, *raw.rows[:HEADER_SEARCH]]


def _by_headers(raw: RawSheet) -> str | None:
    """The one importable table whose required columns all appear in a header row."""
    for row in _candidates(raw):
        fits = sorted(
            ((_found(row, t)[0], t.name) for t in TABLES.values() if t.importable and _found(row, t)[1]), reverse=True
        )
        if fits and (len(fits) == 1 or fits[0][0] > fits[1][0]):
            return fits[0][1]
    return None


def find_header(raw: RawSheet, table: Table) -> None:
    """Move the header down to the first candidate row naming every required column, if the first does not."""
    for k, row in enumerate(_candidates(raw)):
        if _found(row, table)[1]:
            if k:
                raw.promote(k - 1)
            return


def _map_headers(raw: RawSheet, table: Table, findings: Findings) -> dict[str, int] | None:
    """Column name -> index in the sheet; None when a required column is missing or doubled."""
    aliases = header_aliases(table)
    where = {"source": raw.source, "sheet": raw.sheet, "row": raw.header_row, "table": table.name}
    found: dict[str, int] = {}
    ok = True
    for i, h in enumerate(raw.header):
        if cells.is_blank(h):
            continue
        col = aliases.get(name_key(h))
        cell = f"{raw.letter(i)}{raw.header_row}"
        if col is None:
            findings.warning(texts.IMP_COLUMN_IGNORED, column=cells.show(h), cell=cell, **where)
        elif col in found:
            findings.error(texts.IMP_COLUMN_TWICE, column=cells.show(h), cell=cell, **where)
            ok = False
        else:
            found[col] = i
    for column in table.columns:
        if column.required and column.name not in found:
            findings.error(texts.IMP_COLUMN_MISSING.format(header=column.label_fa, name=column.name), **where)
            ok = False
    return found if ok else None


def validate_sheet(raw: RawSheet, table: Table, counties: dict[str, str], findings: Findings) -> Parsed | None:
    """Parse every cell of a sheet; rows with a bad cell are reported and left out."""
    where = {"source": raw.source, "sheet": raw.sheet, "table": table.name}
    find_header(raw, table)
    index = _map_headers(raw, table, findings)
    if index is None:
        return None
    if not raw.rows:
        return Parsed(table.name, {c: [] for c in table.column_names})
    column_specs = specs(table, counties)
    n = len(raw.rows)
    bad = [False] * n
    parsed = Parsed(table.name)
    for col in table.columns:
        spec: ColumnSpec = column_specs[col.name]
        if col.name not in index:
            parsed.columns[col.name] = [None] * n
            continue
        j = index[col.name]
        parsed.columns[col.name] = _parse_column(raw, j, spec, bad, findings, where)
    if True in bad:
        keep = [i for i in range(n) if not bad[i]]
        parsed.columns = {k: [v[i] for i in keep] for k, v in parsed.columns.items()}
        numbers = [raw.row_numbers[i] for i in keep]
    else:  # every row reads (the usual case): no row-by-row copy
        numbers = raw.row_numbers
    parsed.where = list(zip(repeat(raw.source), repeat(raw.sheet), numbers))
    parsed.letters[(raw.source, raw.sheet)] = {c: raw.letter(j) for c, j in index.items()}
    return parsed


# Types whose values can be equal across types (1 == 1.0 == True; a Formula is a str; a datetime is a date): a
# column mixing two of one group is made distinct by (type, value), any other by value alone (faster, same result).
_EQUAL_ACROSS_TYPES = (frozenset({bool, int, float}), frozenset({str, Formula}), frozenset({dt.datetime, dt.date}))


def _distinct(values: list) -> tuple[list, list[int]]:
    """The distinct values of a column (by type and value: True is not 1, "1" is not 1) and each row's index
    into them."""
    index: dict = {}
    types = set(map(type, values))
    if all(len(types & group) <= 1 for group in _EQUAL_ACROSS_TYPES):
        codes = [index.setdefault(v, len(index)) for v in values]
        return list(index), codes
    codes = [index.setdefault(key, len(index)) for key in zip(map(type, values), values)]
    return [v for _, v in index], codes


def _parse_distinct(distinct: list, spec: ColumnSpec) -> tuple[list, list[str | None], list[bool]]:
    """Each distinct value's parsed value, the reason it is refused (None when it reads) and whether it is
    blank. Checked in this order: blank, a formula, a control character, then the column's parser."""
    n = len(distinct)
    parsed: list = [None] * n
    failed: list[str | None] = [None] * n
    blank: list[bool] = [False] * n
    # Text columns hold a different value on most rows (names, ids): their plain-text cells are normalised in
    # one pass (cells.parse_texts) instead of one call per value.
    batch = spec.parse is cells.parse_text
    plain = [k for k, v in enumerate(distinct) if type(v) is str] if batch else []
    texts_at: list[int] = []
    if plain:
        strs = [distinct[k] for k in plain]
        clean = [not b and not c for b, c in zip(cells.blank_texts(strs), cells.control_texts(strs))]
        texts_at = [k for k, ok in zip(plain, clean) if ok]
    in_batch = set(texts_at)  # plain text, not blank, no control character: parsed together below
    for k, value in enumerate(distinct):
        if k in in_batch:
            continue
        if cells.is_blank(value):
            blank[k] = True
            failed[k] = texts.IMP_REQUIRED if spec.column.required else None
            continue
        reason: str | None = None
        if isinstance(value, Formula):
            reason = texts.IMP_FORMULA_CELL
        elif cells.has_control(value):
            reason = texts.IMP_CONTROL_CHAR
        else:
            try:
                parsed[k] = spec.parse(value)
                continue
            except cells.CellError as exc:
                reason = exc.reason
            except (TypeError, OverflowError):  # a bad value must never crash the check
                reason = texts.IMP_UNKNOWN_VALUE
        failed[k] = reason
    if texts_at:
        for k, result in zip(texts_at, cells.parse_texts([distinct[k] for k in texts_at])):
            if isinstance(result, cells.CellError):
                failed[k] = result.reason
            else:
                parsed[k] = result
    return parsed, failed, blank


def _parse_column(raw: RawSheet, j: int, spec: ColumnSpec, bad: list[bool], findings: Findings, where: dict) -> list:
    """Parse one column: each distinct value once (real sheets repeat counties, years, kinds…), then the results
    spread back to the rows; only the rows with a bad cell are visited one by one, in row order, for the report."""
    rows = raw.rows
    if rows and min(map(len, rows)) > j:
        values = list(map(itemgetter(j), rows))
    else:
        values = [row[j] if j < len(row) else None for row in rows]
    distinct, codes = _distinct(values)
    parsed, failed, blank = _parse_distinct(distinct, spec)
    out = list(map(parsed.__getitem__, codes))
    if not any(r is not None for r in failed):
        return out
    reported: dict[str, int] = {}
    header = cells.show(raw.header[j])
    letter = raw.letter(j)
    refused = {c: r for c, r in enumerate(failed) if r is not None}
    for i, c in enumerate(codes):
        if c in refused:
            bad[i] = True
            reason = refused[c]
            shown = "" if blank[c] else cells.show(values[i])
            _report(findings, reported, reason, spec, raw, i, letter, header, shown, where)
    for reason, count in reported.items():
        if count > MAX_PER_COLUMN:
            findings.error(
                texts.IMP_MORE_ROWS.format(count=fa.num(count - MAX_PER_COLUMN), reason=reason),
                column=header,
                expected=spec.expected,
                **where,
            )
    return out


def _report(
    findings: Findings,
    reported: dict,
    reason: str,
    spec: ColumnSpec,
    raw: RawSheet,
    i: int,
    letter: str,
    header: str,
    shown: str,
    where: dict,
) -> None:
    reported[reason] = reported.get(reason, 0) + 1
    if reported[reason] <= MAX_PER_COLUMN:
        row = raw.row_numbers[i]
        findings.error(
            reason,
            row=row,
            column=header,
            cell=f"{letter}{row}" if raw.sheet else "",
            value=shown,
            expected=spec.expected,
            **where,
        )


def check_duplicates(parsed: Parsed, findings: Findings) -> Parsed:
    """Refuse a natural key that appears twice in one upload (across all its sheets and files)."""
    table = TABLES[parsed.table]
    keys = list(zip(*(parsed.columns[k] for k in table.key)))
    first: dict[tuple, int] = {}
    dup = set()
    for i, k in enumerate(keys):
        if k in first:
            j = first[k]
            src, sheet, row = parsed.where[i]
            src0, sheet0, row0 = parsed.where[j]
            place = texts.IMP_PLACE.format(row=fa.num(row0), sheet=sheet0 or src0)
            label = "، ".join(f"{table.col_by_name[c].label_fa}={cells.show(v)}" for c, v in zip(table.key, k))
            findings.error(
                texts.IMP_DUPLICATE_KEY.format(place=place),
                source=src,
                sheet=sheet,
                row=row,
                value=label,
                table=table.name,
            )
            dup.add(i)
            dup.add(j)
        else:
            first[k] = i
    if not dup:
        return parsed
    keep = [i for i in range(len(keys)) if i not in dup]
    out = Parsed(
        parsed.table,
        {c: [v[i] for i in keep] for c, v in parsed.columns.items()},
        [parsed.where[i] for i in keep],
        parsed.letters,
    )
    return out
