"""Notes and decisions pinned to data, kept in the state store (karnama/access/store.py).

A note is about one view of one snapshot: a Jalali year, a county (or the province) and a subject (a metric or a
topic). A decision is a note with an owner, a Jalali due date and a state (open / done / dropped), and it keeps the
figure it was taken on, so a later snapshot can show then and now («از ۱۴۰۳/۰۷/۱۰: ۴۲ نفر ← اکنون ۵۱ نفر»).

Who may do what: a province or admin account writes and reads every note; a county account only those of its
own counties (never the province's). Every note, decision and change of state is written to the audit log first:
if the log cannot be written, nothing is saved. The body is plain text, shown as such everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jdatetime
import sqlalchemy as sa

from karnama import metrics
from karnama.access import audit, registry
from karnama.access.store import notes as notes_table
from karnama.core import fa, texts
from karnama.core.settings import Settings
from karnama.data.query import Filters
from karnama.data.snapshots import Snapshot
from karnama.importer import cells

KINDS = ("note", "decision")
STATES = ("open", "done", "dropped")
MAX_BODY = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class NoteError(ValueError):
    """A note that cannot be saved or changed; the message is Persian."""


@dataclass(frozen=True)
class Note:
    id: int
    created_utc: str
    author: str
    snapshot_id: str | None
    year: int | None
    county: str  # "" = the province
    subject: str
    body: str
    kind: str = "note"
    owner: str | None = None
    due: dt.date | None = None
    state: str = "open"
    value_then: float | None = None
    updated_utc: str | None = None

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision"

    @property
    def metric(self) -> metrics.Metric | None:
        return metrics.BY_KEY.get(self.subject)

    def subject_label(self) -> str:
        return subject_label(self.subject)

    def as_json(self) -> dict:
        out = dict(self.__dict__)
        out["due"] = self.due.isoformat() if self.due else None
        out["due_jalali"] = fa.jalali(self.due).strftime("%Y/%m/%d") if self.due else None
        return out


def subject_label(key: str) -> str:
    """What a note is about, as a person reads it: a metric's card label or a topic's title."""
    m = metrics.BY_KEY.get(key)
    return m.card_label if m else metrics.TOPICS.get(key, key)


def _store(settings: Settings):
    return registry.open_store(settings)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _clean_body(body: str) -> str:
    text = _CONTROL.sub("", str(body or "")).strip()
    if not text:
        raise NoteError(texts.NOTE_EMPTY)
    if len(text) > MAX_BODY:
        raise NoteError(texts.NOTE_TOO_LONG.format(n=fa.num(MAX_BODY)))
    return text


def parse_due(text: str | dt.date | None) -> dt.date | None:
    """A Jalali due date as typed (1403/08/30, ۱۴۰۳-۸-۳۰) or a date; None for empty. NoteError when unreadable."""
    if text is None or text == "":
        return None
    try:
        return cells.parse_date(text)
    except cells.CellError as exc:
        raise NoteError(texts.NOTE_BAD_DUE.format(value=str(text)[:20], reason=exc.reason)) from None


def _may(scope: frozenset[str] | None, county: str) -> bool:
    """A county account (``scope``) reaches only its own counties' notes; province and admin reach all."""
    return scope is None or (county != "" and county in scope)


def _figure(snapshot: Snapshot, year: int, county: str, subject: str) -> float | None:
    metric = metrics.BY_KEY.get(subject)
    if metric is None:
        return None
    values = metrics.compute(snapshot, Filters(year, (county,) if county else ()), None, [metric])
    value = values.current.get(subject)
    return None if value is None else float(value)


def add(
    settings: Settings,
    *,
    author: str,
    scope: Iterable[str] | None,
    snapshot: Snapshot,
    year: int,
    county: str,
    subject: str,
    body: str,
    kind: str = "note",
    owner: str | None = None,
    due: str | dt.date | None = None,
) -> Note:
    """Save a note (or a decision) about (snapshot, year, county, subject); audited before it is saved."""
    scope = None if scope is None else frozenset(scope)
    if not author:
        raise NoteError(texts.NOTE_NEEDS_LOGIN)
    if kind not in KINDS:
        raise NoteError(texts.NOTE_BAD_KIND)
    if not _may(scope, county):
        raise NoteError(texts.NOTE_OUT_OF_SCOPE)
    if subject not in metrics.BY_KEY and subject not in metrics.TOPICS:
        raise NoteError(texts.NOTE_BAD_SUBJECT.format(value=subject[:40]))
    text = _clean_body(body)
    due_day = parse_due(due) if kind == "decision" else None
    owner_name = _CONTROL.sub("", owner or "").strip()[:64] or None if kind == "decision" else None
    if kind == "decision" and (not owner_name or due_day is None):
        raise NoteError(texts.NOTE_DECISION_NEEDS)
    value = _figure(snapshot, year, county, subject)
    row = {
        "created_utc": _now(),
        "author": author,
        "snapshot_id": snapshot.id,
        "view": "",
        "counties": json.dumps([county] if county else []),
        "body": text,
        "year": year,
        "county": county,
        "subject": subject,
        "kind": kind,
        "owner": owner_name,
        "due_jalali": fa.jalali(due_day).strftime("%Y/%m/%d") if due_day else None,
        "state": "open",
        "value_then": value,
        "updated_utc": None,
    }
    store = _store(settings)
    with store.begin() as conn:
        new_id = conn.execute(sa.insert(notes_table).values(**row)).inserted_primary_key[0]
    try:
        audit.record(
            "note_added" if kind == "note" else "decision_added",
            author,
            settings=settings,
            note=int(new_id),
            snapshot=snapshot.id,
            year=year,
            county=county or "province",
            subject=subject,
        )
    except audit.AuditError:
        with store.begin() as conn:  # not recorded: not kept (the audit log holds no entry for it either)
            conn.execute(sa.delete(notes_table).where(notes_table.c.id == new_id))
        raise
    return get(settings, int(new_id), scope)


def _from_row(r) -> Note:
    due = None
    if r.due_jalali:
        y, m, d = (int(x) for x in r.due_jalali.split("/"))
        due = jdatetime.date(y, m, d).togregorian()
    return Note(
        int(r.id),
        r.created_utc,
        r.author,
        r.snapshot_id,
        r.year,
        r.county or "",
        r.subject or "",
        r.body,
        r.kind or "note",
        r.owner,
        due,
        r.state or "open",
        r.value_then,
        r.updated_utc,
    )


def get(settings: Settings, note_id: int, scope: Iterable[str] | None) -> Note:
    scope = None if scope is None else frozenset(scope)
    with _store(settings).begin() as conn:
        r = conn.execute(sa.select(notes_table).where(notes_table.c.id == note_id)).first()
    if r is None or not _may(scope, r.county or ""):
        raise NoteError(texts.NOTE_NOT_FOUND)
    return _from_row(r)


def find(
    settings: Settings,
    scope: Iterable[str] | None,
    *,
    year: int | None = None,
    counties: Iterable[str] | None = None,
    subjects: Iterable[str] | None = None,
    kind: str | None = None,
    state: str | None = None,
) -> list[Note]:
    """The notes this scope may read, newest first, optionally for a year, counties ("" = province), subjects."""
    scope = None if scope is None else frozenset(scope)
    q = sa.select(notes_table)
    if year is not None:
        q = q.where(notes_table.c.year == year)
    if counties is not None:
        q = q.where(notes_table.c.county.in_(list(counties)))
    if subjects is not None:
        q = q.where(notes_table.c.subject.in_(list(subjects)))
    if kind is not None:
        q = q.where(notes_table.c.kind == kind)
    if state is not None:
        q = q.where(notes_table.c.state == state)
    if scope is not None:
        q = q.where(notes_table.c.county.in_(sorted(scope)))
    with _store(settings).begin() as conn:
        rows = conn.execute(q.order_by(notes_table.c.id.desc())).all()
    return [_from_row(r) for r in rows]


def set_state(settings: Settings, note_id: int, state: str, *, author: str, scope: Iterable[str] | None) -> Note:
    """Mark a decision done or dropped (or open again); audited first."""
    if state not in STATES:
        raise NoteError(texts.NOTE_BAD_STATE)
    note = get(settings, note_id, scope)
    if not note.is_decision:
        raise NoteError(texts.NOTE_NOT_A_DECISION)
    audit.record("decision_state", author, settings=settings, note=note_id, before=note.state, after=state)
    with _store(settings).begin() as conn:
        conn.execute(sa.update(notes_table).where(notes_table.c.id == note_id).values(state=state, updated_utc=_now()))
    return get(settings, note_id, scope)


def then_and_now(note: Note, snapshot: Snapshot) -> str:
    """«از ۱۴۰۳/۰۷/۱۰: ۴۲ نفر ← اکنون ۵۱ نفر»: the figure when the note was taken and in ``snapshot``."""
    metric = note.metric
    if metric is None or note.year is None:
        return ""
    now = _figure(snapshot, note.year, note.county, note.subject)
    taken = fa.date(dt.datetime.fromisoformat(note.created_utc))
    return texts.NOTE_THEN_NOW.format(when=taken, then=metric.format(note.value_then), now=metric.format(now))


def line(note: Note, snapshot: Snapshot | None = None, names: dict[str, str] | None = None) -> str:
    """One line for a list, an agenda or speaker notes (plain text)."""
    place = (names or {}).get(note.county, note.county) if note.county else texts.PROVINCE
    head = f"{note.subject_label()} — {place}"
    if note.is_decision:
        due = fa.date(note.due) if note.due else "—"
        head = texts.NOTE_DECISION_LINE.format(
            head=head, owner=note.owner or "—", due=due, state=texts.NOTE_STATES.get(note.state, note.state)
        )
    text = f"{head}: {note.body}"
    if snapshot is not None and note.is_decision and note.snapshot_id != snapshot.id:
        change = then_and_now(note, snapshot)
        if change:
            text += f" ({change})"
    return text


def open_decisions_due(settings: Settings, scope: Iterable[str] | None, year: int, by: dt.date) -> list[Note]:
    """Open decisions of the year due on or before ``by`` (the meeting's agenda), earliest due first."""
    found = find(settings, scope, year=year, kind="decision", state="open")
    return sorted((n for n in found if n.due and n.due <= by), key=lambda n: (n.due, n.id))
