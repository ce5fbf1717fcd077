"""Downloads cannot smuggle formulas; the map reads a real county-boundary file offline."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from karnama.core.counties import COUNTIES
from karnama.core.tabular import neutralise, to_csv_bytes, to_xlsx_bytes
from karnama.web import charts
from tests.apptest_helpers import drawn_charts, run_app

GEO = Path(__file__).resolve().parents[2] / "shared" / "geo" / "khorasan-razavi-counties.geojson"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_text_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise("مشهد") == "مشهد" and neutralise(12) == 12


def test_csv_and_xlsx_keep_numbers_and_neutralise_text():
    frame = pd.DataFrame({"شهرستان": ["=cmd|' /C calc'!A0", "مشهد"], "تعداد": [3, 4]})
    csv = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=cmd" in csv and "شهرستان" in csv
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"جدول": frame})))
    ws = wb["جدول"]
    assert ws.sheet_view.rightToLeft
    assert ws["A1"].value == "شهرستان" and ws["A2"].value == "'=cmd|' /C calc'!A0"
    assert ws["A2"].data_type == "s" and ws["B2"].value == 3 and isinstance(ws["B3"].value, int)


def test_real_boundary_file_matches_every_county():
    names = {c.name_fa: c.code for c in COUNTIES}
    rings, unmatched = charts.load_boundaries(GEO, names)
    assert set(rings) == set(names.values()) and unmatched == []
    assert all(len(r) <= 161 for rs in rings.values() for r in rs)


def test_bad_boundary_file_gives_persian_error(tmp_path):
    bad = tmp_path / "b.geojson"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="خوانا نیست"):
        charts.load_boundaries(bad, {})


def test_overview_draws_choropleth_from_setting(app_env, monkeypatch):
    monkeypatch.setenv("KARNAMA_BOUNDARY_GEOJSON", str(GEO))
    at = run_app("overview", query={"year": "1402"})
    assert not at.exception

    specs = [fig for _key, fig in drawn_charts(at)]
    filled = [t for s in specs for t in s["data"] if t.get("fill") == "toself"]
    assert len(filled) >= 34


def test_missing_boundary_file_falls_back_to_seats(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("KARNAMA_BOUNDARY_GEOJSON", str(tmp_path / "nope.geojson"))
    at = run_app("overview", query={"year": "1402"})
    assert not at.exception
    assert any("پیدا نشد" in w.value for w in at.warning)
