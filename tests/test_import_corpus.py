"""A corpus of hostile and messy uploads, each built here from karnama/core/schema.py: one file (at least) per
class of problem. Every one gets a Persian message naming file, sheet, row and column where it has them, no
traceback, and publishes nothing; the few that are only warnings say so."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from karnama.core import fa, texts
from karnama.core.schema import TABLES
from karnama.data.snapshots import SnapshotStore
from karnama.importer import ImportRefused, Upload, check, publish
from karnama.importer.readers import MAX_ROWS
from karnama.importer.report import Problem
from tests.import_helpers import csv_bytes, headers, rezip, state, xlsx

TODAY = dt.date(2024, 3, 1)  # 1402/12/11: the checks' "today", fixed so the corpus does not age
SHEET = {t: TABLES[t].label_fa for t in TABLES}


def label(table: str, column: str) -> str:
    return TABLES[table].col_by_name[column].label_fa


def rows(table: str, *data: list) -> list[list]:
    return [headers(table), *map(list, data)]


def loan(pid="P50", county="MSH", approved="1402/05/01", amount=1_000_000, jobs=1, kind="creation") -> list:
    return [pid, county, approved, amount, jobs, kind]


def se(cid="C1", enrolled="1402/01/10", placed="1402/02/01", stabilised="1402/05/01") -> list:
    return [cid, "MSH", "مرکز امید", enrolled, 5, placed, stabilised, "physical", "female"]


def inc(beneficiaries=1, amount=1_000, year=1402, month=1) -> list:
    return ["MSH", year, month, "employer_share", "creation", beneficiaries, amount]


def run(store: SnapshotStore, *files: tuple[str, bytes]):
    return check([Upload(n, d) for n, d in files], store, today=TODAY)


def refused(store: SnapshotStore, report, before) -> None:
    assert not report.ok
    with pytest.raises(ImportRefused):
        publish(report, store)
    assert state(store) == before


def located(p: Problem, source: str, sheet: str, row: int, column: str, cell: str = "") -> None:
    assert (p.source, p.sheet, p.row, p.column) == (source, sheet, row, column), p
    if cell:
        assert p.cell == cell, p


def only(report) -> Problem:
    assert len(report.errors) == 1, [(p.message, p.row, p.column) for p in report.errors]
    return report.errors[0]


# ---- numbers beyond what a column can store ---------------------------------------------------------------
def test_huge_amounts_are_refused_in_place_not_with_a_traceback(store, fixture_snapshot):
    before = state(store)
    book = xlsx({SHEET["loans"]: rows("loans", loan("P60", amount=1e308), loan("P61", amount="99999999999999999999"))})
    report = run(store, ("big.xlsx", book))
    assert [p.row for p in report.errors] == [2, 3]
    for p, cell in zip(report.errors, ["D2", "D3"]):
        located(p, "big.xlsx", SHEET["loans"], p.row, label("loans", "amount_rials"), cell)
        assert p.message == texts.IMP_TOO_LARGE.format(max=fa.num(2**63 - 1)), p.message
    refused(store, report, before)
    text = csv_bytes(rows("loans", loan("P62", amount="99999999999999999999")))
    p = only(run(store, ("loans.csv", text)))
    located(p, "loans.csv", "", 2, label("loans", "amount_rials"))
    assert p.value == "99999999999999999999"


def test_beneficiaries_beyond_the_stored_type(store, fixture_snapshot):
    before = state(store)
    report = run(store, ("inc.xlsx", xlsx({SHEET["incentives"]: rows("incentives", inc(beneficiaries=3_000_000_000))})))
    p = only(report)
    located(p, "inc.xlsx", SHEET["incentives"], 2, label("incentives", "beneficiaries"), "F2")
    assert p.message == texts.IMP_TOO_LARGE.format(max=fa.num(2**31 - 1))
    refused(store, report, before)


def test_exact_integers_from_text(store, fixture_snapshot):
    """A 17-digit amount typed as text is stored exactly (a float would round it)."""
    report = run(store, ("loans.csv", csv_bytes(rows("loans", loan("P63", amount="12345678901234567")))))
    assert report.ok, report.problems
    assert 12345678901234567 in report.tables["loans"]["amount_rials"].to_pylist()


# ---- control characters -----------------------------------------------------------------------------------
def test_nul_inside_an_xlsx_cell_is_refused_like_csv_naming_the_cell(store, fixture_snapshot):
    before = state(store)
    report = run(store, ("nul.xlsx", xlsx({SHEET["loans"]: rows("loans", loan("BF-NUL\x00-2"))})))
    p = only(report)
    located(p, "nul.xlsx", SHEET["loans"], 2, label("loans", "project_id"), "A2")
    assert p.message == texts.IMP_CONTROL_CHAR and "\x00" not in p.value and "␀" in p.value
    refused(store, report, before)
    report = run(store, ("loans.csv", csv_bytes(rows("loans", loan("P1"), loan("BF-NUL\x00-2")))))
    p = only(report)
    located(p, "loans.csv", "", 3, label("loans", "project_id"))
    assert p.message == texts.IMP_CONTROL_CHAR


def test_a_binary_file_named_csv_is_still_not_a_spreadsheet(store, fixture_snapshot):
    p = only(run(store, ("loans.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)))
    assert p.message == texts.IMP_NOT_SPREADSHEET


# ---- what the file is ---------------------------------------------------------------------------------------
def test_password_protected_workbook_is_told_as_such(store, fixture_snapshot):
    before = state(store)
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx({SHEET["loans"]: rows("loans", loan())}))).encrypt("Secret-pass-1", out)
    report = run(store, ("locked.xlsx", out.getvalue()))
    p = only(report)
    assert p.message == texts.IMP_ENCRYPTED and p.source == "locked.xlsx"
    refused(store, report, before)
    assert only(run(store, ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600))).message == texts.IMP_OLD_XLS


def test_doctype_is_not_called_a_compression_bomb(store, fixture_snapshot):
    book = xlsx({SHEET["loans"]: rows("loans", loan())})
    evil = b'<?xml version="1.0"?><!DOCTYPE sst [<!ELEMENT sst ANY>]><sst/>'
    report = run(store, ("doc.xlsx", rezip(book, {"xl/sharedStrings.xml": evil})))
    assert len(rezip(book, {"xl/sharedStrings.xml": evil})) < 10_000
    p = only(report)
    assert p.message == texts.IMP_DOCTYPE and p.message != texts.IMP_BOMB
    assert "بمب" not in p.message


# ---- across columns and tables -------------------------------------------------------------------------------
def test_dates_out_of_order_in_one_row(store, fixture_snapshot):
    before = state(store)
    data = rows(
        "se_clients",
        se("C1", placed="1402/03/01", stabilised="1402/02/01"),  # stabilised before placed
        se("C2", enrolled="1402/04/01", placed="1402/03/01", stabilised=""),  # placed before enrolled
        se("C3"),  # fine
    )
    report = run(store, ("se.xlsx", xlsx({SHEET["se_clients"]: data})))
    by_row = {p.row: p for p in report.errors}
    assert set(by_row) == {2, 3}, [(p.row, p.message) for p in report.errors]
    located(by_row[2], "se.xlsx", SHEET["se_clients"], 2, label("se_clients", "stabilised_on"), "G2")
    located(by_row[3], "se.xlsx", SHEET["se_clients"], 3, label("se_clients", "placed_on"), "F3")
    assert label("se_clients", "placed_on") in by_row[2].message and by_row[2].value == "۱۴۰۲/۰۲/۰۱"
    refused(store, report, before)


def test_visit_before_approval_is_an_error_and_unknown_project_a_warning(store, fixture_snapshot):
    before = state(store)
    visits = rows(
        "monitoring",
        ["P1", "MSH", "in_person", "1401/01/15", "active"],  # P1 approved 1401/02/01 (fixture): too early
        ["P70", "MSH", "remote", "1402/06/01", "active"],  # approved in this upload, visited after: fine
        ["NOPE-1", "MSH", "remote", "1402/06/01", "active"],  # no such project
    )
    book = xlsx({SHEET["loans"]: rows("loans", loan("P70", approved="1402/05/01")), SHEET["monitoring"]: visits})
    report = run(store, ("m.xlsx", book))
    p = only(report)
    located(p, "m.xlsx", SHEET["monitoring"], 2, label("monitoring", "visited_on"), "D2")
    assert p.message == texts.IMP_VISIT_BEFORE_APPROVAL.format(approved="۱۴۰۱/۰۲/۰۱")
    assert any("NOPE-1" in w.message for w in report.warnings)
    refused(store, report, before)
    # the unknown project alone is only a warning: it publishes
    ok = run(
        store, ("monitoring.csv", csv_bytes(rows("monitoring", ["NOPE-2", "MSH", "remote", "1402/06/01", "active"])))
    )
    assert ok.ok and any("NOPE-2" in w.message for w in ok.warnings)


def test_a_date_after_today_is_flagged(store, fixture_snapshot):
    """1406 typed for 1402: in a date column, and as the year of a monthly table."""
    before = state(store)
    book = xlsx(
        {
            SHEET["loans"]: rows("loans", loan("P80", approved="1406/05/01")),
            SHEET["incentives"]: rows("incentives", inc(year=1406, month=5), inc(year=1402, month=5)),
        }
    )
    report = run(store, ("typo.xlsx", book))
    assert len(report.errors) == 2, [(p.message, p.row) for p in report.errors]
    loan_p = next(p for p in report.errors if p.sheet == SHEET["loans"])
    located(loan_p, "typo.xlsx", SHEET["loans"], 2, label("loans", "approved_on"), "C2")
    assert loan_p.message == texts.IMP_FUTURE_DATE.format(today=fa.date(TODAY))
    inc_p = next(p for p in report.errors if p.sheet == SHEET["incentives"])
    located(inc_p, "typo.xlsx", SHEET["incentives"], 2, label("incentives", "year"), "B2")
    refused(store, report, before)


# ---- one pass -------------------------------------------------------------------------------------------------
def test_a_formula_does_not_hide_the_other_errors_of_its_sheet(store, fixture_snapshot):
    before = state(store)
    data = rows("incentives", inc(month=1), inc(month=2), ["تهران", 1402, 3, "employer_share", "creation", 1, 1])
    book = xlsx({SHEET["incentives"]: data}, formulas={SHEET["incentives"]: {"G2": "=1+1"}})
    report = run(store, ("f.xlsx", book))
    found = {(p.row, p.cell, p.message) for p in report.errors}
    assert found == {(2, "G2", texts.IMP_FORMULA_CELL), (4, "A4", texts.IMP_UNKNOWN_COUNTY)}, found
    refused(store, report, before)


def test_wrong_csv_separator_gets_one_hint_not_five_errors_a_row(store, fixture_snapshot):
    header = ",".join(headers("loans"))
    body = "\n".join(";".join(map(str, loan(f"P{i}"))) for i in range(30))
    report = run(store, ("loans.csv", (header + "\n" + body + "\n").encode()))
    p = only(report)
    assert "نقطه‌ویرگول" in p.message and p.source == "loans.csv"
    piped = "|".join(headers("loans")) + "\n" + "|".join(map(str, loan())) + "\n"
    p = only(run(store, ("loans.csv", piped.encode())))
    assert p.message == texts.IMP_CSV_ONE_COLUMN.format(found="|")
    # a file that really uses semicolons throughout is read as before
    good = ";".join(headers("loans")) + "\n" + ";".join(map(str, loan("P90"))) + "\n"
    assert run(store, ("loans.csv", good.encode())).ok


# ---- size: rows and memory ----------------------------------------------------------------------------------
# The import's own peak: VmHWM belongs to the process's memory map made at exec (ru_maxrss would also count the
# pages of the forking pytest process, which can be far larger than the import).
PEAK = """
import re, runpy, sys
sys.argv = ["karnama", *sys.argv[1:]]
try:
    runpy.run_module("karnama", run_name="__main__")
finally:
    status = open("/proc/self/status").read()
    print("PEAK_KB", re.search(r"VmHWM:\\s+(\\d+)", status)[1], file=sys.stderr)
"""


def import_peak(path, data_dir, *extra: str) -> tuple[int, dict, float]:
    """Run the import CLI in its own process; its exit code, JSON report and peak memory in MB."""
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, "import", str(path), "--json", "--data-dir", str(data_dir), *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    peak = int(re.search(r"PEAK_KB (\d+)", proc.stderr)[1]) / 1024
    return proc.returncode, json.loads(proc.stdout), peak


def test_a_million_rows_under_the_size_cap_is_refused_within_the_memory_bound(tmp_path, store, fixture_snapshot):
    path = tmp_path / "loans.csv"
    lines = [",".join(headers("loans"))] + [f"P{i},MSH,,,," for i in range(1_000_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 20 * 1024 * 1024
    before = state(store)
    code, report, peak = import_peak(path, store.root, "--dry-run")
    print(f"1,000,000-row CSV ({path.stat().st_size / 2**20:.1f} MB): peak {peak:.0f} MB")
    assert code == 2 and [e["message"] for e in report["errors"]] == [
        texts.IMP_TOO_MANY_ROWS.format(limit=fa.num(MAX_ROWS))
    ]
    assert peak < 600
    assert state(store) == before


@pytest.mark.slow
def test_the_largest_accepted_upload_stays_within_the_memory_bound(tmp_path, store, fixture_snapshot):
    path = tmp_path / "loans.csv"
    lines = [",".join(headers("loans"))]
    lines += [
        f"Q{i},{('MSH', 'NEY', 'SBZ')[i % 3]},1402/{i % 12 + 1}/{i % 28 + 1},{1000 + i},{i % 9 + 1},creation"
        for i in range(MAX_ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, report, peak = import_peak(path, store.root, "--author", "mem")  # check and publish
    print(f"{MAX_ROWS:,}-row CSV ({path.stat().st_size / 2**20:.1f} MB), checked and published: peak {peak:.0f} MB")
    assert code == 0 and report["tables"]["loans"]["added"] == MAX_ROWS
    assert peak < 600


# ---- a kill during staging ---------------------------------------------------------------------------------
KILL = """
import os, signal, sys
from karnama.data.snapshots import SnapshotStore
from karnama.importer import Upload, check, publish
store = SnapshotStore(sys.argv[1])
report = check([Upload("loans.csv", open(sys.argv[2], "rb").read())], store)
assert report.ok, report.problems
def fault(step):
    if step == "table:loans":
        os.kill(os.getpid(), signal.SIGKILL)
publish(report, store, fault=fault)
"""


def test_a_kill_during_staging_leaves_a_copy_the_next_import_removes(tmp_path, store, fixture_snapshot):
    path = tmp_path / "loans.csv"
    path.write_bytes(csv_bytes(rows("loans", loan("K1", approved="1402/01/01"))))
    proc = subprocess.run(
        [sys.executable, "-c", KILL, str(store.root), str(path)], env={**os.environ, "PYTHONPATH": os.getcwd()}
    )
    assert proc.returncode == -9
    left = [p for p in store.staging_dir.iterdir() if p.is_dir()]
    assert len(left) == 1 and any(left[0].iterdir())  # a half-written snapshot
    assert SnapshotStore(store.root).active_id() == fixture_snapshot.id
    snap = publish(check([Upload("loans.csv", path.read_bytes())], store), store)
    assert store.active_id() == snap.id
    assert list(store.staging_dir.iterdir()) == []


def test_a_running_publish_is_never_cleaned(tmp_path, store, fixture_snapshot):
    """clean_staging removes only what no living process holds."""
    seen = {}

    def fault(step):
        if step == "table:loans":
            seen["removed"] = store.clean_staging()
            seen["left"] = [p.name for p in store.staging_dir.iterdir()]

    report = check([Upload("loans.csv", csv_bytes(rows("loans", loan("K2", approved="1402/01/01"))))], store)
    publish(report, store, fault=fault)
    assert seen["removed"] == 0 and len(seen["left"]) == 2  # the directory and its lock
    assert list(store.staging_dir.iterdir()) == []


# ---- the command line speaks Persian --------------------------------------------------------------------------
def test_cli_report_is_persian_end_to_end_and_json_is_unchanged(tmp_path, store, fixture_snapshot):
    path = tmp_path / "داده.csv"
    path.write_bytes(csv_bytes(rows("loans", loan("م۱", county="تهران"), loan("م۲", amount="-۵"))))
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    cmd = [sys.executable, "-m", "karnama", "import", str(path), "--data-dir", str(store.root)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    out = proc.stdout + proc.stderr
    assert texts.CLI_ERROR in out and texts.CLI_ROW.format(row="۲") in out and texts.IMP_UNKNOWN_COUNTY in out
    # no English word: only the file's suffix and the county code in the example of what is expected
    assert set(re.findall(r"[A-Za-z]{2,}", out)) <= {"csv", "MSH"}, out
    proc = subprocess.run([*cmd, "--json"], capture_output=True, text=True, env=env)
    report = json.loads(proc.stdout)
    assert list(report) == ["ok", "base_snapshot", "mode", "files", "errors", "warnings", "tables", "seconds"]
    assert list(report["errors"][0]) == list(Problem("error", "").as_json())
    assert {e["row"] for e in report["errors"]} == {2, 3}


# ---- the diff shows exact values -----------------------------------------------------------------------------
def test_diff_shows_values_that_differ_by_one_rial(store, fixture_snapshot):
    from karnama.importer import history
    from karnama.web.data_page import _format_value

    report = run(
        store, ("loans.csv", csv_bytes(rows("loans", loan("P1", approved="1401/02/01", amount=1_000_000_001, jobs=2))))
    )
    snap = publish(report, store)
    moves = {m.key: m for m in history.diff(store, fixture_snapshot.id, snap.id).kpis if m.year == 1401}
    m = moves["loans_amount_rials"]
    assert m.after - m.before == 1
    assert _format_value(m.key, m.before) != _format_value(m.key, m.after)
    assert _format_value(m.key, m.after) == "۳٬۵۰۰٬۰۰۰٬۰۰۱"  # 3,500,000,001: every digit
    per_job = moves["loans_amount_per_job"]  # 583,333,333.33… -> 583,333,333.5: both shown with their fraction
    assert _format_value(per_job.key, per_job.after) == "۵۸۳٬۳۳۳٬۳۳۳٫۵"
