"""Notes beside the KPIs in the real app (AppTest): a province account writes a decision, a county account sees
only its counties' notes, text from people stays plain text, anonymous open viewing sees no notes."""

from __future__ import annotations

import pytest

from karnama.core import texts
from karnama.core.settings import load
from karnama.data.snapshots import SnapshotStore
from karnama.meeting import notes
from tests.apptest_helpers import run_app
from tests.auth_helpers import secured_copy
from tests.test_auth_app import login


@pytest.fixture
def data_dir(demo_dir, tmp_path, monkeypatch):
    d = secured_copy(demo_dir, tmp_path / "data", settings="open_viewing = false\n")
    monkeypatch.setenv("KARNAMA_DATA_DIR", str(d))
    return d


def _expander_text(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


def test_a_province_account_records_a_decision_beside_the_kpis(data_dir):
    at = login(run_app("supported_employment", query={"year": "1402"}), "prov")
    assert not at.exception
    at.radio(key="notes_se_kind").set_value("decision")
    at.selectbox(key="notes_se_subject").set_value("se_stabilised")
    at.text_area(key="notes_se_body").input("**مهم** [پیوند](http://host/x)")
    at.text_input(key="notes_se_owner").input("رئیس اداره")
    at.text_input(key="notes_se_due").input("1402/12/20")
    next(b for b in at.button if b.label == texts.NOTES_SAVE).click()
    at.run()
    assert not at.exception and not at.error
    [saved] = notes.find(load(data_dir), None)
    assert saved.is_decision and saved.body == "**مهم** [پیوند](http://host/x)" and saved.county == ""
    shown = _expander_text(at)
    assert "\\*\\*مهم\\*\\*" in shown and "\\[پیوند\\]" in shown  # escaped: rendered as typed, not as Markdown
    assert saved.owner in shown
    # The panel's title counts the notes in Persian digits, and it is open after the save, saying it was saved.
    [panel] = [e for e in at.expander if e.label.startswith(texts.NOTES_TITLE_NONE)]
    assert panel.label == texts.NOTES_TITLE.format(n="۱") and panel.proto.expanded
    assert [s.value for s in at.success] == [texts.NOTES_SAVED]
    at.run()  # the next run (any filter change) no longer says so
    assert not at.success


def test_a_county_account_sees_and_writes_only_its_counties(data_dir):
    snap = SnapshotStore(data_dir).resolve().snapshot
    s = load(data_dir)
    notes.add(s, author="prov", scope=None, snapshot=snap, year=1402, county="MSH", subject="se", body="یادداشت مشهد")
    notes.add(
        s, author="prov", scope=None, snapshot=snap, year=1402, county="NEY", subject="se", body="یادداشت نیشابور"
    )
    at = login(run_app("supported_employment", query={"year": "1402"}), "ney")
    assert not at.exception
    shown = _expander_text(at)
    assert "یادداشت نیشابور" in shown and "یادداشت مشهد" not in shown
    assert set(at.selectbox(key="notes_se_place").options) <= {"نیشابور", "تربت حیدریه"}


def test_open_viewing_shows_no_notes(demo_dir, app_env):
    snap = SnapshotStore(demo_dir).resolve().snapshot
    at = run_app("supported_employment", query={"year": "1402"})
    assert not at.exception and at.metric
    assert not [e for e in at.expander if "یادداشت" in e.label]
    assert snap.id  # the demo is open to anyone: internal notes stay behind the login
