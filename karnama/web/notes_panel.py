"""Notes and decisions beside the KPIs of a page: the ones about this view (plain text, decisions with the figure
then and now), a form to add one and buttons to close a decision. Signed-in accounts only; a county account
reads and writes only its counties' notes (karnama/meeting/notes.py checks that again on the server)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from karnama.access.audit import AuditError
from karnama.core import fa, texts
from karnama.core.settings import load
from karnama.meeting import notes
from karnama.web import gate, plain, state
from karnama.web.filters import View


def _places(view: View) -> list[str]:
    """Where a note may be about: the counties in view (a county account: its own), or the province."""
    if view.scope is not None:
        return sorted(c for c in (view.filters.counties or view.scope) if c in view.scope)
    return list(view.filters.counties) or [""]


def panel(view: View, subjects: list[str], key: str) -> None:
    """The notes section for ``subjects`` (metric or topic keys) of the current view."""
    access = gate.this_run()
    if access.user is None:  # notes are internal: not under open viewing
        return
    settings = load(state.store().root)
    places = _places(view)
    found = notes.find(settings, view.scope, year=view.filters.year, counties=places, subjects=subjects)
    title = texts.NOTES_TITLE.format(n=fa.num(len(found))) if found else texts.NOTES_TITLE_NONE
    # A saved note changes the title (its count), which makes a new, closed panel: open it so the note is seen.
    saved = st.session_state.pop(f"{key}_saved", False)
    with st.expander(title, expanded=saved, icon=":material/sticky_note_2:"):
        if saved:
            st.success(texts.NOTES_SAVED, icon=":material/check:")
        for note in found:
            with st.container(border=True):
                plain.write(notes.line(note, view.snapshot, view.names))
                plain.caption(texts.NOTES_BY.format(author=note.author, when=_when(note)))
                if note.is_decision and note.state == "open" and not access.viewing_as:
                    left, right = st.columns(2)
                    if left.button(texts.NOTES_DONE, key=f"{key}_done_{note.id}"):
                        _set(settings, note.id, "done", access)
                    if right.button(texts.NOTES_DROP, key=f"{key}_drop_{note.id}"):
                        _set(settings, note.id, "dropped", access)
        if access.viewing_as:
            return
        with st.form(f"{key}_note_form", clear_on_submit=True):
            kind = st.radio(
                texts.NOTES_KIND,
                notes.KINDS,
                format_func=lambda k: texts.NOTES_KINDS[k],
                horizontal=True,
                key=f"{key}_kind",
            )
            subject = st.selectbox(texts.NOTES_SUBJECT, subjects, format_func=notes.subject_label, key=f"{key}_subject")
            place = st.selectbox(
                texts.NOTES_PLACE,
                places,
                format_func=lambda c: view.names.get(c, c) if c else texts.PROVINCE,
                key=f"{key}_place",
            )
            body = st.text_area(texts.NOTES_BODY, max_chars=notes.MAX_BODY, key=f"{key}_body")
            owner = st.text_input(texts.NOTES_OWNER, max_chars=64, key=f"{key}_owner")
            due = st.text_input(texts.NOTES_DUE, max_chars=10, placeholder="۱۴۰۳/۰۸/۳۰", key=f"{key}_due")
            if st.form_submit_button(texts.NOTES_SAVE, icon=":material/add_notes:"):
                try:
                    notes.add(
                        settings,
                        author=access.account_name or "",
                        scope=view.scope,
                        snapshot=view.snapshot,
                        year=view.filters.year,
                        county=place or "",
                        subject=subject,
                        body=body,
                        kind=kind,
                        owner=owner,
                        due=due,
                    )
                except (notes.NoteError, AuditError) as exc:
                    plain.error(str(exc))
                else:
                    st.session_state[f"{key}_saved"] = True
                    st.rerun()


def _when(note: notes.Note) -> str:
    return fa.date(dt.datetime.fromisoformat(note.created_utc))


def _set(settings, note_id: int, new_state: str, access: gate.Access) -> None:
    try:
        notes.set_state(settings, note_id, new_state, author=access.account_name or "", scope=access.scope)
    except (notes.NoteError, AuditError) as exc:
        plain.error(str(exc))
    else:
        st.rerun()
