"""Notes and decisions pinned to data: scope, audit, then-and-now after a new import, the agenda's decisions."""

from __future__ import annotations

import pytest

from karnama.access import audit
from karnama.core.schema import TABLES
from karnama.core.settings import load
from karnama.data.query import Filters
from karnama.importer import Upload, check, publish
from karnama.meeting import notes, pack
from tests import fixtures
from tests.import_helpers import headers, xlsx


@pytest.fixture
def settings(store, fixture_snapshot):
    return load(store.root)


def _decision(settings, snap, **kw):
    args = dict(
        author="prov",
        scope=None,
        snapshot=snap,
        year=1402,
        county="NEY",
        subject="se_stabilised",
        body="دو مددجوی دیگر تا آخر شهریور تثبیت شوند",
        kind="decision",
        owner="رئیس اداره نیشابور",
        due="1402/08/30",
    )
    args.update(kw)
    return notes.add(settings, **args)


def _note(settings, snap, *, author="msh", scope=frozenset({"MSH"}), county, subject="se", body="x"):
    """A plain note for 1402 (by default the Mashhad account writing)."""
    return notes.add(
        settings, author=author, scope=scope, snapshot=snap, year=1402, county=county, subject=subject, body=body
    )


def test_a_decision_shows_then_and_now_after_a_new_import(store, fixture_snapshot, settings):
    d = _decision(settings, fixture_snapshot)
    assert d.is_decision and d.state == "open" and d.value_then == 0.0 and d.due == fixtures.j(1402, 8, 30)
    rows = [headers("se_clients")] + [
        [f"n{i}", "NEY", "SE-B", "1401/10/01", 5, "1401/12/01", "1402/05/01", "physical", "male"] for i in (1, 2)
    ]
    report = check([Upload("se.xlsx", xlsx({TABLES["se_clients"].label_fa: rows}))], store)
    assert report.ok, report.problems
    new = publish(report, store)
    text = notes.then_and_now(d, new)
    assert text.endswith("۰ نفر ← اکنون ۲ نفر") and text.startswith("از ")
    assert "(از " in notes.line(d, new, {"NEY": "نیشابور"}) and "نیشابور" in notes.line(d, new, {"NEY": "نیشابور"})
    assert notes.line(d, fixture_snapshot).count("←") == 0  # the same snapshot: nothing to compare


def test_county_accounts_read_and_write_only_their_counties(fixture_snapshot, settings):
    _decision(settings, fixture_snapshot)
    _note(
        settings,
        fixture_snapshot,
        author="prov",
        scope=None,
        county="",
        subject="incentives",
        body="جمع استان بررسی شود",
    )
    _note(settings, fixture_snapshot, county="MSH", body="[پیوند](http://host/x) ![x](http://host/x.png)")
    assert {n.county for n in notes.find(settings, None)} == {"NEY", "", "MSH"}
    assert {n.county for n in notes.find(settings, {"NEY"})} == {"NEY"}
    assert [n.body for n in notes.find(settings, {"MSH"})] == ["[پیوند](http://host/x) ![x](http://host/x.png)"]
    with pytest.raises(notes.NoteError):
        _note(settings, fixture_snapshot, county="NEY")
    with pytest.raises(notes.NoteError):  # nor the province
        _note(settings, fixture_snapshot, county="")
    ney = notes.find(settings, {"NEY"})[0]
    with pytest.raises(notes.NoteError):
        notes.set_state(settings, ney.id, "done", author="msh", scope={"MSH"})


def test_notes_are_checked_and_audited(fixture_snapshot, settings):
    with pytest.raises(notes.NoteError):
        _decision(settings, fixture_snapshot, due="1402/13/40")
    with pytest.raises(notes.NoteError):
        _decision(settings, fixture_snapshot, owner="")
    with pytest.raises(notes.NoteError):
        _decision(settings, fixture_snapshot, body="   \x00 ")
    with pytest.raises(notes.NoteError):
        _decision(settings, fixture_snapshot, subject="nonsense")
    d = _decision(settings, fixture_snapshot)
    done = notes.set_state(settings, d.id, "done", author="prov", scope=None)
    assert done.state == "done" and done.updated_utc
    events = [e["event"] for e in audit.read(settings)]
    assert "decision_added" in events and "decision_state" in events


def test_the_agenda_lists_open_decisions_due(store, fixture_snapshot, settings):
    early = _decision(settings, fixture_snapshot, due="1402/06/15", body="زودتر")
    _decision(settings, fixture_snapshot, due="1402/12/15", body="دیرتر")
    due = notes.open_decisions_due(settings, None, 1402, fixture_snapshot.as_of)
    assert [n.id for n in due] == [early.id]
    a = pack.agenda(store, fixture_snapshot, Filters(1402), decisions=[notes.line(n, fixture_snapshot) for n in due])
    lines = next(s for s in a.sections if s.title.startswith("تصمیم")).lines
    assert len(lines) == 1 and "زودتر" in lines[0]


def test_the_pack_reads_open_decisions_from_the_store(store, fixture_snapshot, settings):
    _decision(settings, fixture_snapshot, due="1402/06/15", body="تا پایان شهریور")
    closed = _decision(settings, fixture_snapshot, due="1402/06/10", body="بسته‌شده")
    notes.set_state(settings, closed.id, "dropped", author="prov", scope=None)
    a = pack.agenda(store, fixture_snapshot, Filters(1402))
    lines = next(s for s in a.sections if s.title.startswith("تصمیم")).lines
    assert len(lines) == 1 and "تا پایان شهریور" in lines[0] and "نیشابور" in lines[0]
    msh_only = pack.agenda(store, fixture_snapshot, Filters(1402), scope={"MSH"})
    assert "تا پایان شهریور" not in " ".join(next(s for s in msh_only.sections if s.title.startswith("تصمیم")).lines)


def test_exports_carry_the_views_notes(store, fixture_snapshot, settings, tmp_path):
    import io
    import subprocess

    from pptx import Presentation

    from karnama.exports import content, render

    _decision(settings, fixture_snapshot, body="پیگیری تثبیت در نیشابور")
    brief = content.build(fixture_snapshot, Filters(1402, ("NEY",)))
    assert len(brief.notes) == 1 and "پیگیری تثبیت در نیشابور" in brief.notes[0]
    assert content.build(fixture_snapshot, Filters(1402, ("MSH",))).notes == ()
    assert content.build(fixture_snapshot, Filters(1402), scope={"MSH"}).notes == ()
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(render("pdf", brief))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "پیگیری تثبیت" in text
    deck = Presentation(io.BytesIO(render("pptx", brief)))
    speaker = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any("پیگیری تثبیت در نیشابور" in t for t in speaker)
