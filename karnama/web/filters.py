"""The shared filters (year, counties, snapshot) kept in the URL, and the View a page draws from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from karnama import status
from karnama.core import fa, texts
from karnama.data import catalog
from karnama.data.query import Filters
from karnama.data.snapshots import Snapshot, SnapshotError
from karnama.web import loading, nav, plain
from karnama.web.state import store


@dataclass
class View:
    """Everything a page needs: the snapshot, the chosen filters, county names, notices to show, the scope."""

    snapshot: Snapshot
    filters: Filters
    names: dict[str, str]
    years: list[int]
    notices: list[str] = field(default_factory=list)
    scope: frozenset[str] | None = None

    @property
    def where(self) -> str:
        """The chosen place in words: کل استان or the county names."""
        if not self.filters.counties:
            if self.scope is not None:  # a county account never sees the province: say whose sum it is
                return f"{texts.SCOPE_SUM} ({'، '.join(self.names.get(c, c) for c in sorted(self.scope))})"
            return texts.PROVINCE
        return "، ".join(self.names.get(c, c) for c in self.filters.counties)

    @property
    def as_of(self) -> dt.date:
        return self.snapshot.as_of

    @property
    def elapsed(self) -> float:
        """Share of the chosen Jalali year elapsed at the snapshot's as-of date (1 for a closed year)."""
        return status.elapsed(self.filters.year, self.as_of)


def year_and_county(
    years: list[int],
    names: dict[str, str],
    scope: frozenset[str] | None,
    where: tuple[DeltaGenerator, DeltaGenerator] | None = None,
    labels: Literal["visible", "collapsed"] = "visible",
) -> None:
    """The year and county boxes (in the current container, or ``where``'s two), bound to the filters' state."""
    year_box, county_box = where or (st, st)
    year_box.selectbox(texts.FILTER_YEAR, years, key="f_year", format_func=fa.year, label_visibility=labels)
    county_box.multiselect(
        texts.FILTER_COUNTIES,
        list(names),
        key="f_counties",
        format_func=lambda k: names.get(k, str(k)),
        placeholder=texts.FILTER_COUNTIES_PLACEHOLDER if scope is None else texts.SCOPE_SUM,
        label_visibility=labels,
    )


def default_year(snapshot: Snapshot, years: list[int]) -> int:
    """The demo opens on its reference year (the article's figures); real data on the year of its as-of date."""
    settings = snapshot.manifest.get("demo_settings") or {}
    preferred = settings.get("reference_year") or fa.jalali(snapshot.as_of).year
    return preferred if preferred in years else (years[0] if years else preferred)


def _qp_get(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def sidebar(scope: frozenset[str] | None = None, place_filters: bool = True) -> View:
    """Render the shared filters (year, counties, snapshot) synced with the URL; return the chosen view.

    ``scope`` is the signed-in account's counties (None = all): the query layer already narrows the county list
    and every figure to it; here it only changes the wording of the empty county filter. With ``place_filters``
    False the year and county boxes are left for the page to draw (:func:`year_and_county`, the presentation's
    footer); their values and the URL are kept all the same."""
    s = store()
    notices: list[str] = []
    # Streamlit drops a widget's state when another page's script creates it anew; writing the values back
    # before the widgets are drawn keeps the filters across a page change.
    for key in ("f_year", "f_counties", "f_snapshot"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    entries = [e for e in s.list() if e["ok"]]
    ids: list[str] = [e["id"] for e in entries]

    # Snapshot ("as of"): URL, then widget state, then the active one (with a fallback notice if damaged).
    if "f_snapshot" not in st.session_state:
        wanted = _qp_get("snapshot")
        if wanted and wanted not in ids:
            notices.append(texts.URL_NOTICE.format(value="…", field=texts.FILTER_SNAPSHOT))
            wanted = None
        st.session_state["f_snapshot"] = wanted or ""
    try:
        resolved = s.resolve(st.session_state["f_snapshot"] or None)
    except SnapshotError as exc:
        plain.error(exc)
        loading.halt()
    if resolved.notice:
        notices.append(resolved.notice)
    snap = resolved.snapshot
    names = catalog.county_names(snap)
    years = catalog.years(snap)

    if "f_year" not in st.session_state or st.session_state["f_year"] not in years:
        raw = _qp_get("year")
        year = None
        if raw is not None:
            try:
                year = int(raw)
            except ValueError:
                year = None
            if year not in years:
                notices.append(texts.URL_NOTICE.format(value="…", field=texts.FILTER_YEAR))
                year = None
        st.session_state["f_year"] = year or default_year(snap, years)
    if "f_counties" not in st.session_state:
        raw = _qp_get("county")
        chosen = []
        if raw:
            parts = [p.strip() for p in raw.split(",") if p.strip()]
            chosen = [p for p in parts if p in names]
            if len(chosen) != len(parts):
                notices.append(texts.URL_NOTICE.format(value="…", field=texts.FILTER_COUNTIES))
        st.session_state["f_counties"] = chosen
    else:
        st.session_state["f_counties"] = [c for c in st.session_state["f_counties"] if c in names]

    with st.sidebar:
        st.markdown(f"### {texts.APP_NAME}")
        st.caption(texts.APP_SUBTITLE)
        for p in nav.PAGES:
            st.page_link(p.path, label=p.title, icon=p.icon)
        st.divider()
        st.header(texts.FILTER_HEADER, anchor=False)
        if place_filters:
            year_and_county(years, names, scope)
        # Snapshots by their Jalali date and time in Persian; the id (for support) is in the page's details line.
        labels = {"": texts.SNAPSHOT_LABEL_CURRENT}
        for e in entries:
            labels[e["id"]] = fa.snapshot_label(e["created_utc"], bool(e.get("demo"))) + (
                f" ({texts.ACTIVE_MARK})" if e["active"] else ""
            )
        st.selectbox(texts.FILTER_SNAPSHOT, ["", *ids], key="f_snapshot", format_func=lambda k: labels.get(k, str(k)))

    filters = Filters(int(st.session_state["f_year"]), tuple(st.session_state["f_counties"]))
    qp = {"year": str(filters.year)}
    if filters.counties:
        qp["county"] = ",".join(filters.counties)
    if st.session_state["f_snapshot"]:
        qp["snapshot"] = st.session_state["f_snapshot"]
    if dict(st.query_params) != qp:
        st.query_params.from_dict(qp)
    return View(snap, filters, names, years, notices, scope=scope)
