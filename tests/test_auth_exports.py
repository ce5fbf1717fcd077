"""Exports for a county account: every format (PDF, PowerPoint, Excel, table CSV/Excel) holds no county outside
its scope, the CLI's ``export --user`` applies the account's scope, and every export is in the audit log."""

from __future__ import annotations

import io
import re
import subprocess
import threading

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from karnama.access import audit
from karnama.cli import main as cli
from karnama.core import tabular
from karnama.core.counties import COUNTIES
from karnama.core.settings import load
from karnama.data import query
from tests.auth_helpers import secured_copy

SCOPE = {"NEY", "TRH"}
OTHERS = [c.name_fa for c in COUNTIES if c.code not in SCOPE]
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def data_dir(demo_dir, tmp_path_factory):
    return secured_copy(demo_dir, tmp_path_factory.mktemp("exports-auth") / "data", names=("ney",))


def names_in(text: str) -> set[str]:
    """County names standing as words (so «کلات» is not found inside «مشکلات»)."""
    text = _MARKS.sub("", text).replace("\u200c", " ")
    found = set()
    for name in [c.name_fa for c in COUNTIES]:
        pattern = r"(?<![\u0600-\u06FF])" + re.escape(name.replace("\u200c", " ")) + r"(?![\u0600-\u06FF])"
        if re.search(pattern, text):
            found.add(name)
    return found


def text_of(fmt: str, data: bytes, tmp_path) -> str:
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
        )
    if fmt == "pptx":
        deck = Presentation(io.BytesIO(data))
        parts = []
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if getattr(shape, "has_chart", False) and shape.has_chart:
                    parts += [str(c) for c in shape.chart.plots[0].categories]
                if getattr(shape, "has_table", False) and shape.has_table:
                    parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if slide.has_notes_slide:
                parts.append(slide.notes_slide.notes_text_frame.text)
        return "\n".join(parts)
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _export(data_dir, tmp_path, fmt, *extra):
    out = tmp_path / f"out.{fmt}"
    code = cli.main(
        ["export", "--format", fmt, "--year", "1402", "--data-dir", str(data_dir), "--out", str(out), *extra]
    )
    return code, (out.read_bytes() if out.exists() else b"")


@pytest.mark.parametrize("fmt", ["xlsx", "pptx", "pdf"])
def test_export_for_a_county_user_holds_only_its_counties(data_dir, tmp_path, fmt):
    code, data = _export(data_dir, tmp_path, fmt, "--user", "ney")
    assert code == 0
    found = names_in(text_of(fmt, data, tmp_path))
    assert found & {"نیشابور", "تربت حیدریه"}, "the export names the account's counties"
    assert not found & set(OTHERS), found & set(OTHERS)
    # without the user's scope the same request names other counties, so the check above can fail (the PDF's
    # charts are vector drawings without text: its county names are read from the cover of a Mashhad brief)
    extra = ("--county", "MSH") if fmt == "pdf" else ()
    code, whole = _export(data_dir, tmp_path, fmt, *extra)
    assert code == 0 and names_in(text_of(fmt, whole, tmp_path)) & set(OTHERS)
    last = audit.read(load(data_dir), limit=2)
    assert [e["details"]["scope"] for e in last] == ["all", sorted(SCOPE)]
    assert last[1]["details"]["user"] == "ney" and last[1]["details"]["format"] == fmt


def test_every_chart_and_table_of_the_brief_keeps_to_the_scope(data_dir):
    """What every format draws (charts included, which the PDF holds as vector paths) comes from one model."""
    from karnama.data.query import Filters
    from karnama.data.snapshots import SnapshotStore
    from karnama.exports import content

    snap = SnapshotStore(data_dir).resolve().snapshot
    for filters in (Filters(1402), Filters(1402, ("MSH", "NEY")), Filters(1401, ("SBZ",))):
        brief = content.build(snap, filters, SCOPE)
        assert set(brief.by_county["county_code"]) <= SCOPE
        categories = {c for t in brief.topics for chart in t.charts if chart.by == "county" for c in chart.categories}
        assert not names_in("\n".join(categories)) & set(OTHERS)
        assert not names_in(brief.where) & set(OTHERS)


def test_export_cli_refuses_a_county_outside_the_users_scope(data_dir, tmp_path, capsys):
    for other in ("MSH", "مشهد", "NEY,MSH"):
        code, data = _export(data_dir, tmp_path, "xlsx", "--user", "ney", "--county", other)
        assert code == 2 and not data
        assert "در محدودهٔ حساب" in capsys.readouterr().err
    assert _export(data_dir, tmp_path, "xlsx", "--user", "ghost")[0] == 2


def test_table_downloads_are_audited_when_made(data_dir):
    """The dashboard's CSV/Excel table downloads are made on click, on another thread: the audit entry names
    the account and scope captured when the page ran."""
    from karnama.web import auditing as auth_ui

    frame = pd.DataFrame({"شهرستان": ["نیشابور"], "تثبیت‌شده": [3]})
    made = {}

    def page_run():
        query._bind_scope(SCOPE)
        audit.bind_actor("ney", client="10.0.0.5")
        made["make"] = auth_ui.audited_download(
            "csv", "se_by_county", lambda: tabular.to_csv_bytes(frame), rows=len(frame)
        )

    import os

    os.environ["KARNAMA_DATA_DIR"] = str(data_dir)
    try:
        t = threading.Thread(target=page_run)
        t.start()
        t.join()
        before = len(audit.read(load(data_dir)))
        assert not audit.read(load(data_dir))[0].get("details", {}).get("table")  # nothing logged until a click
        data = made["make"]()  # the click, later, elsewhere
    finally:
        del os.environ["KARNAMA_DATA_DIR"]
    assert "نیشابور".encode() in data
    entries = audit.read(load(data_dir))
    assert len(entries) == before + 1
    e = entries[0]
    assert (
        e["event"],
        e["account"],
        e["details"]["format"],
        e["details"]["table"],
        e["details"]["scope"],
        e["details"]["client"],
    ) == ("export", "ney", "csv", "se_by_county", sorted(SCOPE), "10.0.0.5")


def test_an_export_is_refused_when_the_audit_log_cannot_be_written(data_dir, tmp_path, monkeypatch):
    from karnama.core.settings import load
    from tests.store_helpers import tamper

    tamper(  # the database refuses every new audit entry (a full disk, a revoked grant)
        load(data_dir),
        "CREATE TRIGGER audit_full BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    )
    code, data = _export(data_dir, tmp_path, "xlsx", "--user", "ney")
    assert code == 2 and not data
