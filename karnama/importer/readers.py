"""Reading uploaded files into rows of cells, refusing what is not a safe spreadsheet.

An .xlsx file is a zip of XML parts. Before the (fast, Rust) calamine reader sees it, every part is
decompressed here with hard caps, so a decompression bomb, a huge sharedStrings part, XML entity tricks or
a truncated file are refused with a message instead of exhausting memory. The same pass finds formula cells:
a sheet's cached formula results are not trusted as data.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import io
import posixpath
import re
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

import python_calamine
from defusedxml import ElementTree as SafeET

from karnama.core import fa, texts
from karnama.importer.cells import BLANK_CHARS, is_blank
from karnama.importer.report import Findings

HEADER_ROOM = 10  # rows above the header a sheet may hold (a title, notes): not counted against max_rows

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')
_CHUNK = 1 << 20
# A password-protected .xlsx is an OLE container holding an "EncryptedPackage" stream (its directory entry name is
# UTF-16LE), not an old .xls.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Rows one file may hold: with the 20 MB size cap this bounds a check's memory (docs/import.md gives the figures).
MAX_ROWS = 300_000
# Columns read per row: every table has fewer than 10; a row of a million commas must not become a million cells.
MAX_COLUMNS = 64
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_OVERLAP = 8192  # bytes carried between chunks so a tag split across two chunks is still seen once
_DELIMITERS = (",", ";", "\t", "،")
_OTHER_SEPARATORS = ("|",)


class Formula(str):
    """A cell holding a formula: its cached result is not data. Validation reports it in place, with every other
    problem of the sheet (the sheet is still read)."""


@dataclass(frozen=True)
class Limits:
    """Caps on what an upload may be. ``max_bytes`` is the file size; the rest guard what it unpacks to."""

    max_bytes: int = 20 * MB
    max_unzipped: int = 400 * MB
    max_part: int = 250 * MB
    max_ratio: float = 200.0
    max_parts: int = 5_000
    max_rows: int = MAX_ROWS
    # Rows still allowed in this upload (all its files share max_rows); None: all of them.
    rows_left: int | None = None

    @property
    def row_budget(self) -> int:
        return self.max_rows if self.rows_left is None else self.rows_left

    def too_many_rows(self) -> FileRefused:
        return FileRefused(texts.IMP_TOO_MANY_ROWS.format(limit=fa.num(self.max_rows)))

    @classmethod
    def from_mb(cls, mb: float) -> Limits:
        """Limits scaled to an upload size (the ``upload_max_mb`` setting, 20 MB by default)."""
        size = int(mb * MB)
        return cls(max_bytes=size, max_unzipped=20 * size, max_part=int(12.5 * size), max_rows=MAX_ROWS)


@dataclass
class RawSheet:
    """The cells of one sheet or CSV file, with the row numbers a person sees in Excel."""

    source: str
    sheet: str
    header: list
    header_row: int
    first_col: int
    rows: list[list] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    def promote(self, k: int) -> None:
        """Make data row ``k`` the header; the rows above it (a title, a note) are dropped."""
        self.header, self.header_row = self.rows[k], self.row_numbers[k]
        del self.rows[: k + 1]
        del self.row_numbers[: k + 1]

    def letter(self, index: int) -> str:
        """Excel column letter of the header cell ``index`` (A, B, …, AA)."""
        n = self.first_col + index + 1
        out = ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out


class FileRefused(Exception):
    """The whole file cannot be read; the message is Persian."""


_GC_LOCK = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import runs (threads of one process share the switch: the last one
    out turns it back on, if it was on).

    A check builds a list per row and a tuple per place, hundreds of thousands of containers that all stay alive
    until it ends; the collector walked them again and again as they grew (a sixth of a check's time, measured).
    Reference counting still frees everything as usual; only cycles made during the import wait for the
    collection after it, and the cycles already waiting are collected when the first import starts."""
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        first = _gc_pauses == 0
        if first:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        if first and _gc_was_enabled:  # what is garbage already goes now, not after the import (it adds to its peak)
            gc.collect()
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def read_upload(name: str, data: bytes, limits: Limits, findings: Findings) -> list[RawSheet]:
    """All sheets of one uploaded file; a file that cannot be read adds one error and yields nothing."""
    try:
        with gc_paused():
            return _read(name, data, limits, findings)
    except FileRefused as exc:
        findings.error(str(exc), source=name)
        return []


def _read(name: str, data: bytes, limits: Limits, findings: Findings) -> list[RawSheet]:
    if len(data) > limits.max_bytes:
        raise FileRefused(
            texts.IMP_TOO_BIG.format(size=fa.num(len(data) / MB, 1), limit=fa.num(limits.max_bytes / MB, 1))
        )
    if not data.strip():
        raise FileRefused(texts.IMP_EMPTY_FILE)
    suffix = PurePath(name).suffix.lower()
    if data.startswith(OLE_MAGIC):
        raise FileRefused(texts.IMP_ENCRYPTED if _ENCRYPTED in data else texts.IMP_OLD_XLS)
    if suffix in XLSX_SUFFIXES or (suffix not in CSV_SUFFIXES and data.startswith(ZIP_MAGIC)):
        if not data.startswith(ZIP_MAGIC):
            raise FileRefused(texts.IMP_NOT_SPREADSHEET)
        return read_xlsx(name, data, limits, findings)
    if suffix in CSV_SUFFIXES:
        if data.startswith(ZIP_MAGIC) or _binary(data):
            raise FileRefused(texts.IMP_NOT_SPREADSHEET)
        return [read_csv(name, data, limits)]
    raise FileRefused(texts.IMP_UNSUPPORTED)


# ---- xlsx ---------------------------------------------------------------------------------------------
@dataclass
class _Scan:
    """What streaming a worksheet part found: its formula cells and how many rows it has."""

    refs: list[str] = field(default_factory=list)
    rows: int = 0


# _ROW's usual forms, counted as plain bytes at C speed (the regular expression took longer than inflating).
_ROW_TAGS = (b"<row ", b"<row>", b"<row/")


def _scan(window: bytes, upto: int, scan: _Scan) -> None:
    """Count the rows and formula cells that start before ``upto`` in ``window``."""
    # A tag starting before upto ends before upto + its length. When every "<row" is one of the usual forms that
    # is the count; otherwise (a prefix such as <x:row, a tab after the name, <rowBreaks) the regular expression.
    # Each count starts before upto, so "<row" = "<row " + "<row>" + "<row/" + the rest: when "<row " alone matches
    # "<row", the two rarer forms need no pass of their own.
    rows = window.count(b"<row", 0, upto + 3)
    usual = window.count(b"<row ", 0, upto + 4)
    if usual != rows:
        usual += sum(window.count(tag, 0, upto + len(tag) - 1) for tag in _ROW_TAGS[1:])
    if b":row" not in window and rows == usual:
        scan.rows += usual
    else:
        scan.rows += sum(1 for m in _ROW.finditer(window) if m.start() < upto)
    # A formula tag holds an "f". A sheet of shared strings and numbers has no "f" at all between its first and last
    # lines, and one byte is found at memchr speed, where the two-byte "<f" took longer than inflating the part.
    if window.find(b"f", 0, upto + 64) != -1 and (
        window.find(b"<f", 0, upto + 64) != -1 or window.find(b":f", 0, upto + 64) != -1
    ):
        scan.refs += [m[1].decode() for m in _FORMULA.finditer(window) if m.start() < upto]


def _inflate(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: list[int], keep: bool, scan: _Scan | None
) -> bytes:
    """Decompress one part with caps on its real (not declared) size, as a stream: only the parts asked for are
    kept in memory; a worksheet is scanned on the way for formulas and rows (a cap on rows is checked here,
    before any reader builds the sheet)."""
    out = bytearray()
    size = 0
    head = b""
    tail = b""
    with zf.open(info) as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            budget[0] -= len(chunk)
            if size > limits.max_part or budget[0] < 0:
                raise FileRefused(texts.IMP_BOMB)
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    raise FileRefused(texts.IMP_DOCTYPE)
            if keep:
                out += chunk
            if scan is not None:
                window = tail + chunk
                upto = max(0, len(window) - _OVERLAP)
                _scan(window, upto, scan)
                tail = window[upto:]
                if scan.rows > limits.row_budget + HEADER_ROOM:
                    raise limits.too_many_rows()
    if scan is not None:
        _scan(tail, len(tail), scan)
    return bytes(out)


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> its XML part, from workbook.xml and its relationships."""
    try:
        wb = SafeET.fromstring(parts["xl/workbook.xml"])
        rels = SafeET.fromstring(parts.get("xl/_rels/workbook.xml.rels", b"<r/>"))
    except Exception as exc:  # defusedxml raises its own errors for entity tricks
        raise FileRefused(texts.IMP_CORRUPT) from exc
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    out = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[el.get("name", "")] = targets[rid]
    return out


def read_xlsx(name: str, data: bytes, limits: Limits, findings: Findings) -> list[RawSheet]:
    """Every worksheet of a workbook, after the zip has been checked part by part."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRefused(texts.IMP_CORRUPT) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise FileRefused(texts.IMP_NOT_WORKBOOK)
    if len(infos) > limits.max_parts or sum(i.file_size for i in infos) > limits.max_unzipped:
        raise FileRefused(texts.IMP_BOMB)
    for i in infos:
        if i.compress_size and i.file_size > 1 * MB and i.file_size / i.compress_size > limits.max_ratio:
            raise FileRefused(texts.IMP_BOMB)
    budget = [limits.max_unzipped]
    parts: dict[str, bytes] = {}
    formulas: dict[str, list[str]] = {}
    rows = 0
    try:
        for i in infos:
            if i.is_dir():
                continue
            is_sheet = i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
            keep = i.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
            scan = _Scan(rows=rows) if is_sheet else None
            blob = _inflate(zf, i, limits, budget, keep, scan)
            if scan is not None:
                rows = scan.rows  # all sheets of the file together
                if scan.refs:
                    formulas[i.filename] = scan.refs
            if keep:
                parts[i.filename] = blob
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise FileRefused(texts.IMP_CORRUPT) from exc
    sheet_part = _sheet_parts(parts)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets_meta = book.sheets_metadata
    except Exception as exc:  # calamine raises several error types for damaged files
        raise FileRefused(texts.IMP_CORRUPT) from exc
    out = []
    used = 0
    for meta in sheets_meta:
        if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
            continue
        refs = formulas.get(sheet_part.get(meta.name, ""), [])
        try:
            sheet = book.get_sheet_by_name(meta.name)
            start = sheet.start or (0, 0)
            if sheet.height > limits.row_budget + 2 * HEADER_ROOM:
                raise limits.too_many_rows()
            # Row by row, sharing repeated values: a whole grid of Python objects would double the peak.
            raw = _raw(name, meta.name, sheet.iter_rows(), start[0], start[1], limits, used)
            used += len(raw.rows)
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(texts.IMP_CORRUPT) from exc
        _mark_formulas(raw, refs)
        out.append(raw)
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _mark_formulas(raw: RawSheet, refs: list[str]) -> None:
    """Put a :class:`Formula` in place of every formula cell's cached value (header formulas stay as read)."""
    if not refs:
        return
    at = {number: k for k, number in enumerate(raw.row_numbers)}
    for ref in refs:
        m = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", ref)
        if not m or int(m[2]) not in at:
            continue
        row = raw.rows[at[int(m[2])]]
        j = _column_index(m[1]) - raw.first_col
        if 0 <= j < MAX_COLUMNS:
            row.extend([None] * (j + 1 - len(row)))
            row[j] = Formula(texts.IMP_FORMULA_SHOWN)


def _row_blank(row: list) -> bool:
    for v in row:
        if v == "" or v is None:  # calamine's empty cell: skip the slower check
            continue
        if v.__class__ is str:  # is_blank without its regular expression (as cells.blank_texts)
            if v.strip(BLANK_CHARS):
                return False
        elif not is_blank(v):
            return False
    return True


def _raw(
    source: str,
    sheet: str,
    grid: Iterable[list],
    first_row: int,
    first_col: int,
    limits: Limits | None = None,
    used: int = 0,
) -> RawSheet:
    """Split a grid into the header (its first non-blank row) and the data rows with their Excel numbers."""
    raw = RawSheet(source, sheet, [], 0, first_col)
    budget = (limits or Limits()).row_budget
    header_at = None
    sharing = _Sharing()
    pending: list[list] = []  # rows not yet shared: a chunk at a time keeps the peak at one chunk of copies
    for i, row in enumerate(grid):
        if len(row) > MAX_COLUMNS:
            row = row[:MAX_COLUMNS]
        if header_at is None:
            if not _row_blank(row):
                header_at = i
                raw.header = list(row)
                raw.header_row = first_row + i + 1
            continue
        if _row_blank(row):
            continue
        if len(raw.row_numbers) + used >= budget:
            raise (limits or Limits()).too_many_rows()
        pending.append(row)
        raw.row_numbers.append(first_row + i + 1)
        if len(pending) >= SHARE_CHUNK:
            raw.rows.extend(sharing.rows(pending))
            pending = []
    raw.rows.extend(sharing.rows(pending))
    return raw


SHARE_CHUNK = 4096  # rows shared together (column by column)
# Types whose equal values become one object. By type, so 1, 1.0 and True stay apart; other types are kept as read.
_SHARED_TYPES = (str, float, int, dt.date, dt.datetime, dt.time, dt.timedelta)
# Types whose values can be equal across types (1 == 1.0 == True; a datetime is a date): a column holding two of one
# group cannot share by value alone.
_EQUAL_ACROSS_TYPES = (frozenset({bool, int, float}), frozenset({dt.datetime, dt.date}))
# Types a column may mix and still share by value (another type, e.g. a subclass of str, may equal one of these).
_BY_VALUE = frozenset({*_SHARED_TYPES, bool, type(None)})


class _Sharing:
    """One object for equal values (counties, kinds, dates, numbers): rows repeat them, and a sheet of Python
    objects would otherwise hold a copy per cell. Done column by column over a chunk of rows, in C (``map`` over a
    dict's ``setdefault``), not cell by cell in Python."""

    def __init__(self) -> None:
        self.by_type: dict[type, dict] = {t: {} for t in _SHARED_TYPES}
        self.by_types: dict[frozenset, dict] = {}

    def rows(self, rows: list[list]) -> list[list]:
        """``rows`` with equal values shared (the same values, the same order)."""
        if not rows:
            return []
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            return [self._cells(r) for r in rows]
        columns = [self._column(col) for col in zip(*rows)]
        return list(map(list, zip(*columns))) if columns else [[] for _ in rows]

    def _column(self, col: tuple) -> list:
        types = set(map(type, col))
        if len(types) == 1:
            same = self.by_type.get(next(iter(types)))
            return list(col) if same is None else list(map(same.setdefault, col, col))
        if types <= _BY_VALUE and all(len(types & group) <= 1 for group in _EQUAL_ACROSS_TYPES):
            # No two of these types hold equal values, so one dict per set of types shares by value alone.
            same = self.by_types.setdefault(frozenset(types), {})
            return list(map(same.setdefault, col, col))
        return self._cells(col)

    def _cells(self, values: Iterable) -> list:
        of_type = self.by_type.get
        return [v if (same := of_type(v.__class__)) is None else same.setdefault(v, v) for v in values]


def _share(shared: dict, value: object) -> object:
    """One object for equal short values (counties, kinds, dates, small numbers): rows repeat them."""
    if isinstance(value, str) and len(value) >= 40:
        return value
    try:
        return shared.setdefault((type(value), value), value)
    except TypeError:
        return value


# ---- csv ----------------------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1256 (Excel's 'CSV' on Persian Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1256", errors="replace")


def _binary(data: bytes) -> bool:
    """Not text at all (an image, a PDF, a program): control bytes other than NUL, tab and line ends. A NUL inside
    otherwise plain text is left to the cell checks, which name its row and column."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:65536]
    if head.count(b"\x00") > len(head) // 20:  # UTF-16 without a BOM, or binary
        return True
    return re.search(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]", head) is not None


def read_csv(name: str, data: bytes, limits: Limits | None = None) -> RawSheet:
    """One CSV file, read row by row; the delimiter (comma, semicolon, tab or ،) is the one the header line uses
    most. Repeated values (counties, kinds, dates) share one string, so a large file stays small in memory."""
    limits = limits or Limits()
    budget = limits.row_budget
    text = decode_text(data)
    del data
    first = next((line for line in text.splitlines()[:50] if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    del text
    raw = RawSheet(name, "", [], 0, 0)
    shared: dict = {}
    line = 1
    try:
        for row in reader:
            number, line = line, reader.line_num + 1
            if len(row) > MAX_COLUMNS:
                row = row[:MAX_COLUMNS]
            if _row_blank(row):
                continue
            if not raw.header:
                raw.header, raw.header_row = row, number
                continue
            if len(raw.rows) >= budget:
                raise limits.too_many_rows()
            raw.rows.append([_share(shared, v) for v in row])
            raw.row_numbers.append(number)
    except csv.Error as exc:
        raise FileRefused(texts.IMP_BAD_CSV.format(row=fa.num(line))) from exc
    _check_delimiter(raw, delimiter)
    return raw


def _shown_delimiter(d: str) -> str:
    return {"\t": "Tab", ",": "ویرگول ,", ";": "نقطه‌ویرگول ;", "،": "ویرگول فارسی ،"}.get(d, d)


def _check_delimiter(raw: RawSheet, delimiter: str) -> None:
    """One clear message instead of "required cell empty" five times a row when the separator is wrong."""
    header = [h for h in raw.header if not is_blank(h)]
    if len(header) == 1:
        found = [s for s in (*_DELIMITERS, *_OTHER_SEPARATORS) if s in header[0]]
        if found:
            raise FileRefused(texts.IMP_CSV_ONE_COLUMN.format(found=_shown_delimiter(found[0])))
        return
    sample = raw.rows[:200]
    if not sample:
        return
    unsplit = [r for r in sample if sum(not is_blank(v) for v in r) <= 1]
    if len(unsplit) * 2 <= len(sample):
        return
    seen = "".join(v for r in unsplit for v in r if isinstance(v, str))
    other = max((d for d in _DELIMITERS if d != delimiter), key=seen.count)
    if seen.count(other) >= len(unsplit):
        raise FileRefused(
            texts.IMP_CSV_DELIMITER.format(rows=_shown_delimiter(other), header=_shown_delimiter(delimiter))
        )
