"""python -m karnama template / schema / import / diff / rollback, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import python_calamine

from karnama.cli.main import main
from karnama.core import texts
from karnama.core.paths import ROOT
from karnama.core.schema import TABLES
from karnama.data.snapshots import SnapshotStore
from tests.import_helpers import csv_bytes, headers, state


def cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_template_has_a_sheet_per_table_persian_headers_and_drop_downs(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert cli(capsys, "template", "--out", str(out))[0] == 0
    book = python_calamine.CalamineWorkbook.from_path(str(out))
    importable = [t for t in TABLES.values() if t.importable]
    assert book.sheet_names[0] == texts.TPL_SHEET_GUIDE
    for t in importable:
        rows = book.get_sheet_by_name(t.label_fa[:31]).to_python()
        assert rows[0] == [c.label_fa for c in t.columns]
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet5.xml").decode()  # incentives
    assert xml.count("<dataValidation ") >= 7 and 'type="list"' in xml and texts.TPL_SHEET_LISTS in xml
    lists = book.get_sheet_by_name(texts.TPL_SHEET_LISTS).to_python()
    assert "خلیل‌آباد" in [r[0] for r in lists] and "بیمه سهم کارفرمایی" in {v for r in lists for v in r}


def test_the_template_filled_in_imports(tmp_path, capsys, store, fixture_snapshot):
    import openpyxl

    out = tmp_path / "t.xlsx"
    cli(capsys, "template", "--out", str(out))
    wb = openpyxl.load_workbook(out)
    wb["تسهیلات اشتغال‌زایی"].append(["P9", "مشهد", "1402/05/01", 1000, 1, "ایجاد"])
    wb.save(out)
    code, stdout, _ = cli(capsys, "import", str(out), "--data-dir", str(store.root), "--json")
    result = json.loads(stdout)
    assert code == 0 and result["ok"] and result["tables"]["loans"]["added"] == 1 and result["published"]


def test_schema_json_lists_every_table_column_and_key(capsys):
    code, stdout, _ = cli(capsys, "schema", "--json")
    schema = json.loads(stdout)
    tables = {t["name"]: t for t in schema["tables"]}
    assert code == 0 and set(tables) == set(TABLES)
    assert tables["incentives"]["natural_key"] == ["county_code", "year", "month", "kind", "purpose"]
    kind = next(c for c in tables["incentives"]["columns"] if c["name"] == "kind")
    assert kind["header_fa"] == "نوع مشوق" and kind["required"]
    assert {"value": "employer_share", "label_fa": "بیمه سهم کارفرمایی"} in kind["allowed_values"]
    assert not tables["counties"]["importable"]


def test_dry_run_reports_and_publishes_nothing(tmp_path, capsys, store, fixture_snapshot):
    path = tmp_path / "loans.csv"
    path.write_bytes(csv_bytes([headers("loans"), ["P9", "MSH", "1402/05/01", 10, 1, "ایجاد"]]))
    before = state(store)
    code, stdout, _ = cli(capsys, "import", str(path), "--dry-run", "--json", "--data-dir", str(store.root))
    out = json.loads(stdout)
    assert code == 0 and out["ok"] and "published" not in out and out["tables"]["loans"]["added"] == 1
    assert state(store) == before


def test_import_publishes_then_diff_and_rollback(tmp_path, capsys, store, fixture_snapshot):
    path = tmp_path / "loans.csv"
    path.write_bytes(
        csv_bytes(
            [headers("loans"), ["P1", "MSH", "1401/02/01", 5, 2, "ایجاد"], ["P9", "MSH", "1402/05/01", 10, 1, "ایجاد"]]
        )
    )
    code, stdout, _ = cli(
        capsys, "import", str(path), "--data-dir", str(store.root), "--author", "ali", "--as-of", "۱۴۰۲/۰۶/۳۱"
    )
    new = store.active_id()
    assert code == 0 and texts.CLI_PUBLISHED.format(id=new, as_of="۱۴۰۲/۰۶/۳۱") in stdout
    assert new != fixture_snapshot.id and store.open(new).manifest["author"] == "ali"
    code, stdout, _ = cli(capsys, "diff", fixture_snapshot.id, new, "--json", "--data-dir", str(store.root))
    d = json.loads(stdout)
    assert d["tables"]["loans"] == {"added": 1, "changed": 1, "removed": 0, "unchanged": 3}
    moved = {(m["year"], m["key"]) for m in d["kpis"]}
    assert (1401, "loans_amount_rials") in moved and (1402, "loans_count") in moved
    assert (1402, "incentive_stabilisation_total") not in moved
    code, stdout, _ = cli(capsys, "rollback", fixture_snapshot.id, "--data-dir", str(store.root))
    assert code == 0 and SnapshotStore(store.root).active_id() == fixture_snapshot.id
    assert new in SnapshotStore(store.root).ids()  # nothing deleted


def test_bad_import_exits_2_with_located_messages_and_changes_nothing(tmp_path, store, fixture_snapshot):
    path = tmp_path / "loans.csv"
    path.write_bytes(csv_bytes([headers("loans"), ["P9", "تهران", "1402/05/01", 10, 1, "ایجاد"]]))
    before = state(store)
    proc = subprocess.run(
        [sys.executable, "-m", "karnama", "import", str(path), "--data-dir", str(store.root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert (
        "loans.csv" in proc.stdout
        and texts.CLI_ROW.format(row="۲") in proc.stdout
        and texts.IMP_UNKNOWN_COUNTY in proc.stdout
    )
    assert "تهران" in proc.stdout
    assert state(store) == before


def test_missing_file_and_unknown_snapshot_are_clear_errors(capsys, store, fixture_snapshot):
    code, _, err = cli(capsys, "import", "/no/such/file.xlsx", "--data-dir", str(store.root))
    assert code == 2 and "/no/such/file.xlsx" in err
    code, _, err = cli(capsys, "rollback", "nope", "--data-dir", str(store.root))
    assert code == 2 and "nope" in err
    code, _, err = cli(capsys, "diff", fixture_snapshot.id, "nope", "--data-dir", str(store.root))
    assert code == 2 and "nope" in err
