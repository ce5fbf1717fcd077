"""Uploads end to end: valid workbooks and CSV publish with the right counts; every kind of bad input gets a
precise Persian message (file, sheet, Excel row, column, value) and leaves the active snapshot untouched."""

from __future__ import annotations

import io
import zipfile

import jdatetime
import pyarrow.parquet as pq
import pytest

from karnama.core import tabular, texts
from karnama.data.snapshots import SnapshotStore
from karnama.importer import ImportRefused, Limits, Upload, check, publish
from karnama.importer.pipeline import data_end
from tests.import_helpers import csv_bytes, headers, rezip, state, xlsx

INC = "مشوق‌های بیمه‌ای"
LOANS = "تسهیلات اشتغال‌زایی"


def inc_rows(*rows):
    return [headers("incentives"), *rows]


def loan_rows(*rows):
    return [headers("loans"), *rows]


def run(store, *files, replace=False, limits=None):
    return check([Upload(n, d) for n, d in files], store, replace=replace, limits=limits)


def only_error(report):
    assert len(report.errors) >= 1, report.problems
    return report.errors[0]


def refused(store, report, before):
    """Nothing publishes while errors remain, and the store is exactly as it was."""
    assert not report.ok
    with pytest.raises(ImportRefused):
        publish(report, store)
    assert state(store) == before


# ---- valid uploads ---------------------------------------------------------------------------------------
def test_workbook_upserts_by_natural_key(store, fixture_snapshot):
    data = xlsx(
        {
            INC: inc_rows(
                ["مشهد", 1402, 1, "بیمه سهم کارفرمایی", "تثبیت", 5, 5_000_000],  # same as the fixture: unchanged
                ["MSH", "۱۴۰۲", "اردیبهشت", "employer_share", "stabilisation", "۷", "۳٬۰۰۰٬۰۰۰"],  # replaces 3 -> 7
                ["شهرستان خليل آباد", 1402, 3, "یارانه ارتقاء کارایی", "ایجادی", 2, 0],  # new
            )
        }
    )
    report = run(store, ("april.xlsx", data))
    assert report.ok, report.problems
    c = report.counts["incentives"]
    assert (c.uploaded, c.added, c.replaced, c.unchanged, c.removed, c.total_after) == (3, 1, 1, 1, 0, 6)
    snap = publish(report, store, author="tester")
    assert store.active_id() == snap.id and snap.manifest["parent"] == fixture_snapshot.id
    assert snap.manifest["author"] == "tester" and "april.xlsx" in snap.manifest["source"]
    inc = pq.read_table(snap.file("incentives")).to_pandas()
    row = inc[(inc.county_code == "MSH") & (inc.year == 1402) & (inc.month == 2)]
    assert row.beneficiaries.tolist() == [7]
    assert len(inc[inc.county_code == "KHL"]) == 1
    # untouched tables are carried over unchanged
    assert pq.read_table(snap.file("loans")).equals(pq.read_table(fixture_snapshot.file("loans")))


def test_replace_mode_replaces_whole_tables(store, fixture_snapshot):
    data = xlsx({INC: inc_rows(["MSH", 1402, 1, "employer_share", "stabilisation", 5, 5_000_000])})
    report = run(store, ("a.xlsx", data), replace=True)
    c = report.counts["incentives"]
    assert (c.added, c.replaced, c.unchanged, c.removed, c.total_after) == (0, 0, 1, 4, 1)
    snap = publish(report, store)
    assert snap.rows("incentives") == 1 and snap.rows("loans") == fixture_snapshot.rows("loans")


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1256", False)])
def test_csv_in_each_encoding_with_machine_or_persian_headers(store, fixture_snapshot, encoding, bom):
    rows = [
        headers("loans", machine=encoding == "utf-8"),
        ["P9", "كاشمر" if encoding == "cp1256" else "کاشمر", "1402/05/01", "1,000,000", 2, "توسعه"],
    ]
    if encoding == "cp1256":  # Windows-1256 has Arabic yeh only, and no Persian digits
        rows = [[str(v).replace("ی", "ي") for v in r] for r in rows]
    report = run(store, ("loans.csv", csv_bytes(rows, encoding, bom)))
    assert report.ok, report.problems
    snap = publish(report, store)
    loans = pq.read_table(snap.file("loans")).to_pandas()
    p9 = loans[loans.project_id == "P9"].iloc[0]
    assert p9.county_code == "KSH" and p9.amount_rials == 1_000_000 and p9.kind == "development"
    assert p9.approved_on == jdatetime.date(1402, 5, 1).togregorian()


def test_csv_table_from_headers_when_the_name_says_nothing(store, fixture_snapshot):
    report = run(store, ("export (3).csv", csv_bytes(loan_rows(["P9", "MSH", "1402/05/01", 10, 1, "ایجاد"]))))
    assert report.ok and list(report.counts) == ["loans"]


def test_excel_date_cells_and_template_sheets_are_read(store, fixture_snapshot):
    import datetime as dt

    buf = io.BytesIO()
    import xlsxwriter

    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet(texts.TPL_SHEET_GUIDE).write(0, 0, "راهنما")
    ws = wb.add_worksheet(LOANS)
    ws.write_row(0, 0, headers("loans"))
    ws.write_row(1, 0, ["P9", "MSH"])
    ws.write_datetime(1, 2, dt.datetime(2023, 7, 23), wb.add_format({"num_format": "yyyy/mm/dd"}))
    ws.write_row(1, 3, [10, 1, "ایجاد"])
    wb.add_worksheet(INC).write_row(0, 0, headers("incentives"))  # an untouched template sheet
    wb.close()
    report = run(store, ("t.xlsx", buf.getvalue()))
    assert report.ok, report.problems
    assert [p.message for p in report.warnings] == [texts.IMP_NO_ROWS]
    assert report.tables["loans"].to_pandas().set_index("project_id").loc["P9", "approved_on"] == dt.date(2023, 7, 23)


def test_script_and_formula_text_are_stored_as_plain_text_and_neutralised_on_export(store, fixture_snapshot):
    data = xlsx(
        {
            LOANS: loan_rows(
                ["<script>alert(1)</script>", "MSH", "1402/05/01", 10, 1, "ایجاد"],
                ['=HYPERLINK("http://evil")', "MSH", "1402/05/02", 10, 1, "ایجاد"],
            )
        }
    )
    report = run(store, ("x.xlsx", data))
    assert report.ok, report.problems
    snap = publish(report, store)
    ids = set(pq.read_table(snap.file("loans")).column("project_id").to_pylist())
    assert {"<script>alert(1)</script>", '=HYPERLINK("http://evil")'} <= ids
    exported = tabular.to_csv_bytes(pq.read_table(snap.file("loans")).to_pandas()).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "\n=HYPERLINK" not in exported


def test_gap_against_last_year_warns_but_does_not_block(store, fixture_snapshot):
    # NEY had data in Mehr 1401; an upload for Mehr 1402 with only MSH leaves NEY without that month.
    data = xlsx({INC: inc_rows(["MSH", 1402, 7, "employer_share", "stabilisation", 1, 1])})
    report = run(store, ("a.xlsx", data))
    assert report.ok
    gap = [p for p in report.warnings if "نیشابور" in p.message]
    assert gap and "مهر ۱۴۰۲" in gap[0].message and "مهر ۱۴۰۱" in gap[0].message
    publish(report, store)


def test_as_of_follows_the_data(store, fixture_snapshot):
    data = xlsx({LOANS: loan_rows(["P9", "MSH", "1402/08/10", 10, 1, "ایجاد"])})
    report = run(store, ("x.xlsx", data))
    assert data_end(report.tables) == jdatetime.date(1402, 8, 10).togregorian()
    snap = publish(report, store)
    assert snap.as_of == jdatetime.date(1402, 8, 10).togregorian()


def test_publish_refuses_when_the_active_snapshot_changed_since_the_check(store, fixture_snapshot):
    report = run(store, ("a.xlsx", xlsx({INC: inc_rows(["MSH", 1402, 9, "employer_share", "creation", 1, 1])})))
    other = run(store, ("b.xlsx", xlsx({INC: inc_rows(["NEY", 1402, 9, "employer_share", "creation", 1, 1])})))
    publish(other, store)
    before = state(store)
    with pytest.raises(ImportRefused, match="دوباره"):
        publish(report, store)
    assert state(store) == before


def test_import_into_an_empty_data_directory(tmp_path):
    store = SnapshotStore(tmp_path / "fresh")
    report = run(store, ("a.xlsx", xlsx({INC: inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1])})))
    assert report.ok and report.base_id is None
    snap = publish(report, store)
    assert snap.rows("counties") == 34 and snap.rows("incentives") == 1 and not snap.is_demo


# ---- bad cells -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "row,column,cell,message",
    [
        (["تهران", 1402, 1, "employer_share", "creation", 1, 1], "شهرستان", "A2", texts.IMP_UNKNOWN_COUNTY),
        (["MSH", 1402, 1, "employer_sharez", "creation", 1, 1], "نوع مشوق", "D2", texts.IMP_UNKNOWN_VALUE),
        (["MSH", 1402, 1, "employer_share", "creation", -3, 1], "تعداد بهره‌مند", "F2", texts.IMP_NEGATIVE),
        (["MSH", 1402, 1, "employer_share", "creation", 2.5, 1], "تعداد بهره‌مند", "F2", texts.IMP_FRACTION),
        (["MSH", 1402, 1, "employer_share", "creation", "دو", 1], "تعداد بهره‌مند", "F2", texts.IMP_NOT_A_NUMBER),
        (["MSH", 2023, 1, "employer_share", "creation", 1, 1], "سال", "B2", texts.IMP_GREGORIAN_YEAR),
        (["MSH", 1402, None, "employer_share", "creation", 1, 1], "ماه", "C2", texts.IMP_REQUIRED),
    ],
)
def test_bad_cell_is_located_and_explained(store, fixture_snapshot, row, column, cell, message):
    before = state(store)
    report = run(
        store, ("county.xlsx", xlsx({INC: inc_rows(["NEY", 1402, 3, "employer_share", "creation", 1, 1], row)}))
    )
    e = only_error(report)
    assert (e.message, e.source, e.sheet, e.row, e.column, e.cell) == (
        message,
        "county.xlsx",
        INC,
        3,
        column,
        cell.replace("2", "3"),
    )
    assert e.expected  # what is expected, in Persian
    refused(store, report, before)


def test_impossible_jalali_date(store, fixture_snapshot):
    before = state(store)
    report = run(store, ("l.xlsx", xlsx({LOANS: loan_rows(["P9", "MSH", "1402/13/40", 1, 1, "ایجاد"])})))
    e = only_error(report)
    assert (e.message, e.row, e.cell, e.value) == (texts.IMP_IMPOSSIBLE_DATE, 2, "C2", "1402/13/40")
    refused(store, report, before)


def test_many_errors_in_a_column_are_summed_up(store, fixture_snapshot):
    rows = [["MSH", 2023, m % 12 + 1, "employer_share", "creation", i, 1] for i, m in enumerate(range(80))]
    report = run(store, ("a.xlsx", xlsx({INC: inc_rows(*rows)})))
    assert len(report.errors) == 51 and "۳۰" in report.errors[-1].message


def test_duplicate_key_inside_one_upload(store, fixture_snapshot):
    before = state(store)
    row = ["MSH", 1402, 1, "employer_share", "creation", 1, 1]
    report = run(
        store,
        (
            "a.xlsx",
            xlsx(
                {
                    INC: inc_rows(
                        row,
                        ["NEY", 1402, 1, "employer_share", "creation", 1, 1],
                        ["مشهد", "۱۴۰۲", "فروردین", "بیمه سهم کارفرمایی", "ایجادی", 9, 9],
                    )
                }
            ),
        ),
    )
    e = only_error(report)
    assert e.row == 4 and "سطر ۲" in e.message and e.sheet == INC
    refused(store, report, before)


def test_duplicate_key_across_two_files(store, fixture_snapshot):
    row = ["P9", "MSH", "1402/05/01", 1, 1, "ایجاد"]
    report = run(store, ("a.csv", csv_bytes(loan_rows(row))), ("b.csv", csv_bytes(loan_rows(row))))
    e = only_error(report)
    assert e.source == "b.csv" and e.row == 2 and "a.csv" in e.message


def test_missing_required_column(store, fixture_snapshot):
    before = state(store)
    hdr = [h for h in headers("incentives") if h != "تعداد بهره‌مند"]
    report = run(store, ("a.xlsx", xlsx({INC: [hdr, ["MSH", 1402, 1, "employer_share", "creation", 1]]})))
    e = only_error(report)
    assert "تعداد بهره‌مند" in e.message and "beneficiaries" in e.message and e.row == 1
    refused(store, report, before)


def test_unknown_column_is_a_warning(store, fixture_snapshot):
    report = run(
        store,
        (
            "a.xlsx",
            xlsx(
                {INC: [headers("incentives") + ["یادداشت"], ["MSH", 1402, 1, "employer_share", "creation", 1, 1, "x"]]}
            ),
        ),
    )
    assert report.ok and report.warnings[0].column == "یادداشت" and report.warnings[0].cell == "H1"


# ---- bad files -------------------------------------------------------------------------------------------
def test_empty_file(store, fixture_snapshot):
    before = state(store)
    for name in ("a.csv", "a.xlsx"):
        report = run(store, (name, b""))
        assert only_error(report).message == texts.IMP_EMPTY_FILE and only_error(report).source == name
        refused(store, report, before)


def test_sheet_with_only_headers(store, fixture_snapshot):
    before = state(store)
    report = run(store, ("a.xlsx", xlsx({INC: inc_rows()})))
    e = only_error(report)
    assert (e.message, e.sheet, e.row) == (texts.IMP_NO_ROWS, INC, 1)
    refused(store, report, before)
    assert only_error(run(store, ("loans.csv", csv_bytes(loan_rows())))).message == texts.IMP_NO_ROWS


def test_not_a_spreadsheet_named_xlsx(store, fixture_snapshot):
    before = state(store)
    report = run(store, ("report.xlsx", b"%PDF-1.4 this is a pdf"))
    assert only_error(report).message == texts.IMP_NOT_SPREADSHEET
    refused(store, report, before)
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert only_error(run(store, ("doc.xlsx", other_zip.getvalue()))).message == texts.IMP_NOT_WORKBOOK
    assert only_error(run(store, ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100))).message == texts.IMP_OLD_XLS
    assert only_error(run(store, ("a.csv", xlsx({INC: inc_rows()})))).message == texts.IMP_NOT_SPREADSHEET


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9, 0.99])
def test_truncated_workbook(store, fixture_snapshot, cut):
    before = state(store)
    data = xlsx({INC: inc_rows(*[["MSH", 1402, m, "employer_share", "creation", 1, 1] for m in range(1, 13)])})
    report = run(store, ("a.xlsx", data[: int(len(data) * cut)]))
    assert only_error(report).message == texts.IMP_CORRUPT
    refused(store, report, before)


def test_corrupt_part_inside_a_workbook(store, fixture_snapshot):
    data = xlsx({INC: inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1])})
    broken = rezip(data, {"xl/workbook.xml": b"<workbook><sheets><sheet name="})
    assert only_error(run(store, ("a.xlsx", broken))).message == texts.IMP_CORRUPT


def test_decompression_bomb_and_huge_shared_strings(store, fixture_snapshot):
    before = state(store)
    data = xlsx({INC: inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1])})
    limits = Limits.from_mb(1)  # unpacks to at most 20 MB
    huge = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        + b"A" * (30 * 1024 * 1024)
        + b"</t></si></sst>"
    )
    for part in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
        bomb = rezip(data, {part: huge})
        assert len(bomb) < 1024 * 1024  # small on disk
        report = run(store, ("bomb.xlsx", bomb), limits=limits)
        assert only_error(report).message == texts.IMP_BOMB
        refused(store, report, before)


def test_zip_that_lies_about_its_sizes(store, fixture_snapshot):
    """The declared size in the zip directory is not trusted: the real inflated size is capped."""
    data = xlsx({INC: inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1])})
    bomb = rezip(data, {"xl/sharedStrings.xml": b"<sst>" + b" " * (25 * 1024 * 1024) + b"</sst>"})
    z = bytearray(bomb)
    # Rewrite every declared uncompressed size of that part (local header and central directory) to 10 bytes.
    name = b"xl/sharedStrings.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := z.find(sig, pos)) != -1:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if z[name_at : name_at + len(name)] == name:
                z[pos + size_at : pos + size_at + 4] = (10).to_bytes(4, "little")
            pos += 4
    report = run(store, ("liar.xlsx", bytes(z)), limits=Limits.from_mb(1))
    assert only_error(report).message in (texts.IMP_BOMB, texts.IMP_CORRUPT)


def test_xml_entity_expansion_is_refused(store, fixture_snapshot):
    data = xlsx({INC: inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1])})
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><sst>&b;</sst>'
    assert only_error(run(store, ("e.xlsx", rezip(data, {"xl/sharedStrings.xml": evil})))).message == texts.IMP_DOCTYPE


def test_file_over_the_size_limit(store, fixture_snapshot):
    before = state(store)
    data = csv_bytes(loan_rows(*[[f"P{i}", "MSH", "1402/05/01", 1, 1, "ایجاد"] for i in range(40_000)]))
    assert len(data) > 1024 * 1024
    report = run(store, ("big.csv", data), limits=Limits.from_mb(1))
    e = only_error(report)
    assert e.message == texts.IMP_TOO_BIG.format(size=e.message.split()[2], limit="۱٫۰") and "مگابایت" in e.message
    refused(store, report, before)


def test_cells_holding_formulas(store, fixture_snapshot):
    before = state(store)
    data = xlsx(
        {
            INC: inc_rows(
                ["MSH", 1402, 1, "employer_share", "creation", 1, 1],
                ["MSH", 1402, 2, "employer_share", "creation", None, 1],
            )
        },
        formulas={INC: {"F3": "=F2*2"}},
    )
    report = run(store, ("f.xlsx", data))
    e = only_error(report)
    assert (e.message, e.cell, e.sheet, e.row) == (texts.IMP_FORMULA_CELL, "F3", INC, 3)
    refused(store, report, before)


def test_unrecognised_csv_and_no_files(store, fixture_snapshot):
    assert only_error(run(store, ("notes.csv", csv_bytes([["a", "b"], [1, 2]])))).message == texts.IMP_FILE_UNKNOWN
    assert only_error(run(store)).message == texts.IMP_NO_FILES


def test_counties_sheet_is_not_imported(store, fixture_snapshot):
    report = run(
        store,
        (
            "a.xlsx",
            xlsx(
                {
                    "شهرستان‌ها": [headers("counties"), ["XXX", "x", "x", "x", 1, 1]],
                    INC: inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1]),
                }
            ),
        ),
    )
    assert report.ok and list(report.counts) == ["incentives"] and report.warnings


def test_rows_and_cells_are_numbered_as_excel_shows_them_below_a_title(store, fixture_snapshot):
    """A title row, blank rows and a table that starts in column B: numbers and letters still match Excel."""
    buf = io.BytesIO()
    import xlsxwriter

    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(INC)
    ws.write(0, 0, "گزارش ماهانهٔ شهرستان")
    ws.write_row(3, 1, headers("incentives"))
    ws.write_row(4, 1, ["MSH", 1402, 1, "employer_share", "creation", 1, 1])
    ws.write_row(6, 1, ["MSH", 1402, 2, "employer_share", "creation", "یک", 1])
    wb.close()
    report = run(store, ("title.xlsx", buf.getvalue()))
    e = only_error(report)
    assert (e.row, e.cell, e.column, e.value) == (7, "G7", "تعداد بهره‌مند", "یک")
    report = run(
        store,
        ("incentives.csv", csv_bytes([["گزارش"], [], *inc_rows(["MSH", 1402, 1, "employer_share", "creation", 1, 1])])),
    )
    assert report.ok and report.counts["incentives"].uploaded == 1


def test_province_target_with_an_empty_county_is_upserted_by_its_key(store, fixture_snapshot):
    report = run(
        store,
        (
            "t.xlsx",
            xlsx(
                {
                    "اهداف": [
                        headers("targets"),
                        [1402, "کل استان", "centre_employment", 12],
                        [1402, None, "se_stabilised", 170],
                        ["۱۴۰۲", "مشهد", "اشتغال تثبیت‌شده افراد دارای معلولیت (SE)", 4],
                    ]
                }
            ),
        ),
    )
    assert report.ok, report.problems
    c = report.counts["targets"]
    assert (c.added, c.replaced, c.unchanged, c.total_after) == (1, 1, 1, 4)
    snap = publish(report, store)
    t = pq.read_table(snap.file("targets")).to_pandas()
    province = t[t.county_code.isna()].set_index("indicator").target.to_dict()
    assert province == {"centre_employment": 12.0, "se_stabilised": 170.0}
