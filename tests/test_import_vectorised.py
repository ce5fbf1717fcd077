"""The column checks parse each distinct value once and visit only the bad rows: they must report exactly what a
row-by-row check reports (same messages, rows, cells, values, order, the first 50 per reason then one line for
the rest) and keep the same values. The reference below is the row-by-row check the importer used before."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.core.schema import TABLES
from karnama.importer import cells, validate
from karnama.importer.readers import Formula, RawSheet
from karnama.importer.report import Findings

LOOKUP = {s: c.code for c in COUNTIES for s in (c.code, c.name_fa, c.name_en)}

# Cells as real and hostile files hold them: values equal across types (True, 1, 1.0, "1"), blanks of every
# kind, formulas, control characters, Persian digits, over-long text, dates as text, numbers and date cells.
POOL = [
    None,
    "",
    "   ",
    " \u200c\u200f ",
    "\u00a0",
    float("nan"),
    True,
    False,
    1,
    1.0,
    0,
    -0.0,
    "1",
    "۱",
    2.5,
    -3,
    "۱٬۲۳۴",
    "1,5",
    10**20,
    "1402/05/01",
    "۱۴۰۲-۵-۱",
    "01/05/1402",
    "14021301",
    45000,
    45000.0,
    dt.datetime(2023, 7, 23, 10, 0),
    dt.date(2023, 7, 23),
    dt.time(10, 0),
    Formula(texts.IMP_FORMULA_SHOWN),
    texts.IMP_FORMULA_SHOWN,
    "a\x00b",
    "x\x07",
    "ok\ttab",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "ك" * 3 + " ـ ي",
    "w" * 250,
    " مشهد ",
    "شهرستان مشهد",
    "MSH",
    "Mashhad",
    "ناکجا",
    "ایجاد",
    "توسعه",
    "creation",
    "۳",
    "1403",
    "1390",
    2024,
    "B-0000001",
]


def _reference_parse_column(raw, j, spec, bad, findings, where):
    """The row-by-row check (as it was): each row in turn, a cache by (type, value)."""
    cache: dict = {}
    out: list = []
    reported: dict[str, int] = {}
    header = cells.show(raw.header[j])
    letter = raw.letter(j)
    for i, row in enumerate(raw.rows):
        value = row[j] if j < len(row) else None
        if cells.is_blank(value):
            out.append(None)
            if spec.column.required:
                validate._report(findings, reported, texts.IMP_REQUIRED, spec, raw, i, letter, header, "", where)
                bad[i] = True
            continue
        key = (type(value), value)
        try:
            hit = cache[key]
        except KeyError:
            if isinstance(value, Formula):
                hit = (False, texts.IMP_FORMULA_CELL)
            elif cells.has_control(value):
                hit = (False, texts.IMP_CONTROL_CHAR)
            else:
                try:
                    hit = (True, spec.parse(value))
                except cells.CellError as exc:
                    hit = (False, exc.reason)
                except (TypeError, OverflowError):
                    hit = (False, texts.IMP_UNKNOWN_VALUE)
            cache[key] = hit
        if hit[0]:
            out.append(hit[1])
        else:
            out.append(None)
            bad[i] = True
            validate._report(findings, reported, hit[1], spec, raw, i, letter, header, cells.show(value), where)
    for reason, count in reported.items():
        if count > validate.MAX_PER_COLUMN:
            findings.error(
                texts.IMP_MORE_ROWS.format(count=fa.num(count - validate.MAX_PER_COLUMN), reason=reason),
                column=header,
                expected=spec.expected,
                **where,
            )
    return out


def _sheet(table: str, rows: int, seed: int, short_rows: bool = False) -> RawSheet:
    rng = random.Random(seed)
    spec = TABLES[table]
    raw = RawSheet("hostile.xlsx", spec.label_fa, [c.label_fa for c in spec.columns], 3, 0)
    for i in range(rows):
        row = [rng.choice(POOL) for _ in spec.columns]
        if short_rows and i % 7 == 0:
            row = row[: rng.randrange(len(row))]  # a CSV line with fewer cells
        raw.rows.append(row)
        raw.row_numbers.append(4 + i + (i // 10))  # rows left blank in the sheet: numbers skip
    return raw


def _run(raw: RawSheet, table: str, parse_column) -> tuple[list, dict, list]:
    findings = Findings()
    original = validate._parse_column
    validate._parse_column = parse_column
    try:
        parsed = validate.validate_sheet(raw, TABLES[table], LOOKUP, findings)
    finally:
        validate._parse_column = original
    assert parsed is not None
    return findings.problems, parsed.columns, parsed.where


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b)


@pytest.mark.parametrize("table", [t for t, spec in TABLES.items() if spec.importable])
@pytest.mark.parametrize("seed", [1, 2])
def test_column_checks_report_exactly_what_a_row_by_row_check_reports(table, seed):
    rows = 400  # enough for some reasons to pass 50 in one column
    raw = _sheet(table, rows, seed, short_rows=seed == 2)
    copy = RawSheet(
        raw.source, raw.sheet, list(raw.header), raw.header_row, 0, [list(r) for r in raw.rows], list(raw.row_numbers)
    )
    problems, columns, where = _run(raw, table, validate._parse_column)
    ref_problems, ref_columns, ref_where = _run(copy, table, _reference_parse_column)
    assert problems == ref_problems
    assert where == ref_where
    assert columns.keys() == ref_columns.keys()
    for name in columns:
        assert all(_same(a, b) and type(a) is type(b) for a, b in zip(columns[name], ref_columns[name], strict=True))
    assert any(p.message.startswith(texts.IMP_MORE_ROWS.split("{")[0]) for p in problems) or rows < 100
    assert len(where) < rows  # some rows were refused, some kept


def test_bad_cells_in_several_rows_are_named_by_row_and_cell_and_capped_per_reason():
    spec = TABLES["loans"]
    raw = RawSheet("f.xlsx", spec.label_fa, [c.label_fa for c in spec.columns], 1, 0)
    good = ["B-1", "مشهد", "1402/05/01", 1_000_000, 2, "ایجاد"]
    for i in range(120):
        row = list(good)
        row[0] = f"B-{i}"
        if i % 2:  # 60 rows with a count that is not a number
            row[4] = "چند"
        if i in (5, 77):
            row[3] = True  # a checkbox is not an amount
        raw.rows.append(row)
        raw.row_numbers.append(i + 2)
    findings = Findings()
    parsed = validate.validate_sheet(raw, spec, LOOKUP, findings)
    assert parsed is not None and len(parsed) == 60
    counts = [p for p in findings.problems if p.column == spec.col_by_name["planned_jobs"].label_fa and p.row]
    assert [p.row for p in counts] == [i + 2 for i in range(1, 120, 2)][: validate.MAX_PER_COLUMN]
    assert [p.cell for p in counts[:2]] == ["E3", "E5"] and {p.value for p in counts} == {"چند"}
    assert {p.message for p in counts} == {texts.IMP_NOT_A_NUMBER}
    rest = [p for p in findings.problems if p.row is None]
    assert [p.message for p in rest] == [texts.IMP_MORE_ROWS.format(count=fa.num(10), reason=texts.IMP_NOT_A_NUMBER)]
    amounts = [p for p in findings.problems if p.cell.startswith("D")]
    assert [(p.row, p.cell, p.value) for p in amounts] == [(7, "D7", "True"), (79, "D79", "True")]


@pytest.mark.parametrize(
    "value", [v for v in POOL if isinstance(v, str)] + ["\u202f", "\ufeff\u202a ", "\x1c", "a\u200c"]
)
def test_text_helpers_agree_with_the_one_cell_functions(value):
    assert cells.blank_texts([value]) == [cells.is_blank(value)]
    assert cells.control_texts([value, "x"]) == [cells.has_control(value), False]
    if not cells.is_blank(value) and not cells.has_control(value):
        many = cells.parse_texts([value, " یك ", value])
        try:
            expected: object = cells.parse_text(value)
        except cells.CellError as exc:
            expected = exc.reason
        got = many[0].reason if isinstance(many[0], cells.CellError) else many[0]
        assert got == expected and many[1] == cells.parse_text(" یك ")


def test_blank_characters_are_exactly_what_is_blank_removes():
    every = (chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert {ch for ch in every if cells.is_blank(ch)} == set(cells.BLANK_CHARS)


def test_a_row_is_blank_when_every_cell_is():
    from karnama.importer import readers

    rng = random.Random(3)
    blanks = [v for v in POOL if cells.is_blank(v)] + ["\u2028\u3000", "\x1c \x85"]
    for _ in range(2000):
        row = [rng.choice(POOL if rng.random() < 0.2 else blanks) for _ in range(rng.randrange(0, 7))]
        assert readers._row_blank(row) == all(cells.is_blank(v) for v in row), row


@pytest.mark.parametrize(
    "xml",
    [
        b'<sheetData><row r="1"><c r="A1"/></row><row>\n</row><row/><rowBreaks count="1"/><row\tr="4"></row>',
        b'<x:sheetData><x:row r="1"></x:row><x:row>' + b"<x:c/>" * 50 + b"</x:row><row r='3'/></x:sheetData>",
        b"<row r='1'>" + b"<c><is><t>text :row &lt;row </t></is></c></row>" * 30,
    ],
)
def test_row_count_of_the_zip_scan_matches_the_regular_expression(xml):
    from karnama.importer import readers

    for upto in (0, 1, 5, len(xml) // 3, len(xml) - 3, len(xml)):
        scan = readers._Scan()
        readers._scan(xml, upto, scan)
        assert scan.rows == sum(1 for m in readers._ROW.finditer(xml) if m.start() < upto), upto


@pytest.mark.parametrize(
    "xml",
    [
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f><v>2</v></c></row></sheetData>',
        b'<x:sheetData><x:row r="2"><x:c r="C2"><x:f t="shared" ref="C2:C9" si="0"/><x:v>3</x:v></x:c></x:row>',
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' * 40,  # no "f" at all: the fast path
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>of :fa &lt;f</t></is></c></row>' * 20
        + b'<row r="9"><c r="D9"><f>SUM(A1:A2)</f></c></row><pageMargins footer="0.3"/>',
    ],
)
def test_formula_cells_found_by_the_zip_scan_match_the_regular_expression(xml):
    from karnama.importer import readers

    for upto in (0, 1, 30, len(xml) // 2, len(xml) - 40, len(xml)):
        scan = readers._Scan()
        readers._scan(xml, upto, scan)
        assert scan.refs == [m[1].decode() for m in readers._FORMULA.finditer(xml) if m.start() < upto], upto


def _reference_split_counties(table, uploaded, first_years, names, findings, label):
    """The row-by-row check (as it was)."""
    import jdatetime
    import pyarrow as pa

    dates = [f.name for f in uploaded.schema if pa.types.is_date(f.type)]
    columns = ["county_code", *(["year"] if "year" in uploaded.column_names else []), *dates]
    early: dict[str, int] = {}
    for r in uploaded.select(columns).to_pylist():
        first = first_years.get(r["county_code"])
        if first is None:
            continue
        years = [r["year"]] if "year" in r else []
        years += [jdatetime.date.fromgregorian(date=r[d]).year for d in dates if r[d] is not None]
        if any(y is not None and y < first for y in years):
            early[r["county_code"]] = early.get(r["county_code"], 0) + 1
    for code, count in sorted(early.items()):
        findings.warning(
            texts.IMP_BEFORE_SPLIT.format(
                table=label, county=names.get(code, code), count=fa.num(count), year=fa.year(first_years[code])
            ),
            table=table,
        )


@pytest.mark.parametrize("table", ["se_clients", "loans", "incentives"])
def test_counties_before_their_split_counted_as_row_by_row(table):
    import jdatetime
    import pyarrow as pa

    from karnama.importer import checks

    rng = random.Random(7)
    spec = TABLES[table]
    codes = [c.code for c in COUNTIES[:6]]
    first_years = {codes[0]: 1395, codes[1]: 1400, codes[2]: 1402}
    names = {c.code: c.name_fa for c in COUNTIES}
    cols: dict[str, list] = {}
    for col in spec.columns:
        if col.name == "county_code":
            cols[col.name] = [rng.choice(codes) for _ in range(3000)]
        elif col.name == "year":
            cols[col.name] = [rng.choice([1394, 1395, 1399, 1400, 1401, 1402, None]) for _ in range(3000)]
        elif pa.types.is_date(col.type):
            # around each Nowruz: the day before and the day itself, and nulls
            nowruz = [jdatetime.date(y, 1, 1).togregorian() for y in (1395, 1400, 1402)]
            cols[col.name] = [
                rng.choice([None, *(d + dt.timedelta(days=k) for d in nowruz for k in (-1, 0, 40))])
                for _ in range(3000)
            ]
        else:
            cols[col.name] = [None] * 3000
    uploaded = pa.table({c.name: pa.array(cols[c.name], type=c.type) for c in spec.columns})
    got, want = Findings(), Findings()
    checks.split_counties(table, uploaded, first_years, names, got, spec.label_fa)
    _reference_split_counties(table, uploaded, first_years, names, want, spec.label_fa)
    assert got.problems == want.problems and len(want.problems) >= 2


def test_blank_row_check_agrees_with_is_blank():
    import itertools

    from karnama.importer import readers

    pool = ["", None, " ", "\u200c", "\u00a0x", "x", " \u202f\ufeff", "\x1c", 0.0, float("nan"), True, "\u202e \u200e"]
    for row in itertools.product(pool, repeat=2):
        assert readers._row_blank(list(row)) == all(cells.is_blank(v) for v in row), row


def test_garbage_collection_is_paused_during_a_check_and_restored_after_it():
    import gc
    import threading
    import weakref

    from karnama.importer import readers

    assert gc.isenabled()
    seen = []
    entered, leave = threading.Event(), threading.Event()

    def other_import():
        with readers.gc_paused():
            seen.append(gc.isenabled())
            entered.set()
            leave.wait(5)

    worker = threading.Thread(target=other_import)
    with readers.gc_paused():
        seen.append(gc.isenabled())
        worker.start()
        entered.wait(5)
    seen.append(gc.isenabled())  # the other import still runs: still paused
    leave.set()
    worker.join()
    assert seen == [False, False, False] and gc.isenabled()
    with pytest.raises(RuntimeError), readers.gc_paused():
        raise RuntimeError
    assert gc.isenabled()

    class Node:
        pass

    gc.disable()  # a cycle that is garbage before the import starts: collected then, not after it
    node = Node()
    node.self = node
    ref = weakref.ref(node)
    del node
    gc.enable()
    with readers.gc_paused():
        assert ref() is None
    gc.disable()  # switched off by someone else: left off
    try:
        with readers.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("seed", [1, 2])
def test_rows_read_keep_every_value_and_type_and_share_equal_ones(seed, monkeypatch):
    """The reader shares equal values column by column over chunks of rows: every cell comes back exactly as read
    (same type: 1, 1.0 and True stay apart; NaN stays NaN), rows of another width keep theirs, and equal values of one
    type are one object, within a chunk and across chunks."""
    import math

    from karnama.importer import readers

    monkeypatch.setattr(readers, "SHARE_CHUNK", 7)
    rng = random.Random(seed)
    pure = [lambda: rng.choice(["مشهد", "نیشابور", "B-1"]), lambda: rng.choice([1.0, 2.0]), lambda: rng.choice([1, 2])]
    header = ["a", "b", "c", "d", "e"]
    grid = [["", "", "", "", ""], header]
    for i in range(200):
        mixed = rng.choice(POOL)
        row = [pure[0](), pure[1](), pure[2](), mixed, rng.choice([mixed, "x"])]
        if i % 17 == 5:
            row = row[:3]  # a shorter row in one chunk
        grid.append(row)
    grid.append(["", None, "  ", "", ""])  # blank: left out
    raw = readers._raw("f.xlsx", "s", [list(r) for r in grid], 0, 0)
    at = [i for i in range(2, len(grid)) if not readers._row_blank(grid[i])]
    kept = [grid[i] for i in at]
    assert raw.header == header and raw.header_row == 2
    assert len(raw.rows) == len(kept) == 200 and raw.row_numbers == [i + 1 for i in at]

    def same(a, b):
        return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))

    for got, want in zip(raw.rows, kept):
        assert len(got) == len(want) and all(same(g, w) for g, w in zip(got, want)), (got, want)
    for j in range(3):  # the single-type columns: one object per distinct value over all chunks
        column = [r[j] for r in raw.rows]
        assert len({id(v) for v in column}) == len({(type(v), v) for v in column})
