"""Streamlit building blocks shared by every page: RTL styling, the URL-backed filters, KPI cards, tables.

Every page starts with :func:`page_view`, which draws the shared sidebar and returns what the user chose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st
from PIL import Image

from . import auth_ui, catalog, fa, nav, settings, texts
from .metrics import KpiValues, Metric
from .query import Filters
from .snapshots import Snapshot, SnapshotError, SnapshotStore, default_data_dir

# Static CSS only: no data or user text is ever placed in it.
_CSS = """
<style>
[data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stSidebarContent"] {
  direction: rtl !important; text-align: right !important;
}
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stSidebar"] h1, [data-testid="stSidebar"] h2, [data-testid="stSidebar"] h3 { text-align: right !important; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stAlertContainer"] {
  direction: rtl; text-align: right;
}
[data-testid="stMetric"] { direction: rtl; text-align: right; }
[data-testid="stMetricValue"] { font-size: 1.55rem; }
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"] {
  justify-content: flex-start; direction: rtl;
}
[data-testid="stTable"] table, [data-testid="stTable"] th, [data-testid="stTable"] td {
  direction: rtl; text-align: right !important;
}
[data-testid="stSidebarNav"] { direction: rtl; }
[data-testid="stMultiSelect"] [data-baseweb="tag"] span { direction: rtl; }
.js-plotly-plot .plotly .main-svg { direction: ltr; }
</style>
"""


ICON = Path(__file__).resolve().parent.parent / "static" / "icon.png"


def configure_page() -> None:
    """Page title, a local icon (a material icon would make the browser fetch the favicon from the internet)
    and the wide layout. Safe to call more than once per run."""
    st.set_page_config(page_title=texts.APP_NAME, page_icon=Image.open(ICON), layout="wide")


def inject_css() -> None:
    """Lay the whole app out right to left with a Persian-capable font stack (bundled, no web fonts)."""
    st.html(_CSS)


@st.cache_resource
def _store(path: str) -> SnapshotStore:
    return SnapshotStore(Path(path))


def store() -> SnapshotStore:
    """The snapshot store for ``KARNAMA_DATA_DIR`` (or data/), one per process."""
    return _store(str(default_data_dir()))


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


def default_year(snapshot: Snapshot, years: list[int]) -> int:
    """The demo opens on its reference year (the article's figures); real data on the year of its as-of date."""
    settings = snapshot.manifest.get("demo_settings") or {}
    preferred = settings.get("reference_year") or fa.jalali(snapshot.as_of).year
    return preferred if preferred in years else (years[0] if years else preferred)


def _qp_get(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def sidebar(scope: frozenset[str] | None = None) -> View:
    """Render the shared filters (year, counties, snapshot) synced with the URL; return the chosen view.

    ``scope`` is the signed-in account's counties (None = all): the query layer already narrows the county list
    and every figure to it; here it only changes the wording of the empty county filter."""
    s = store()
    notices: list[str] = []
    # Streamlit drops a widget's state when another page's script creates it anew; writing the values back
    # before the widgets are drawn keeps the filters across a page change.
    for key in ("f_year", "f_counties", "f_snapshot"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    entries = [e for e in s.list() if e["ok"]]
    ids = [e["id"] for e in entries]

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
        st.error(str(exc))
        st.stop()
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
        st.selectbox(texts.FILTER_YEAR, years, key="f_year", format_func=fa.year)
        st.multiselect(texts.FILTER_COUNTIES, list(names), key="f_counties", format_func=names.get,
                       placeholder=texts.FILTER_COUNTIES_PLACEHOLDER if scope is None else texts.SCOPE_SUM)
        labels = {"": f"{texts.ACTIVE_MARK}"}
        for e in entries:
            labels[e["id"]] = f"{fa.date(dt.datetime.fromisoformat(e['created_utc']))} — {e['id']}" + (
                f" ({texts.ACTIVE_MARK})" if e["active"] else "")
        st.selectbox(texts.FILTER_SNAPSHOT, ["", *ids], key="f_snapshot", format_func=labels.get)

    filters = Filters(int(st.session_state["f_year"]), tuple(st.session_state["f_counties"]))
    qp = {"year": str(filters.year)}
    if filters.counties:
        qp["county"] = ",".join(filters.counties)
    if st.session_state["f_snapshot"]:
        qp["snapshot"] = st.session_state["f_snapshot"]
    if dict(st.query_params) != qp:
        st.query_params.from_dict(qp)
    return View(snap, filters, names, years, notices, scope=scope)


def page_view(title: str) -> View:
    """Set up a page: config, RTL styling, the shared sidebar; then its header. Every page starts with this."""
    configure_page()
    inject_css()
    access = auth_ui.gate(store())  # login page (and stop) or the account's scope bound into every query
    view = sidebar(access.scope)
    auth_ui.account_box(access, store())
    from . import export_ui  # PDF / PowerPoint / Excel of the current view, made on click

    export_ui.download_buttons(view)
    page_header(title, view)
    return view


# Static CSS only: presentation mode shows no sidebar, header or toolbar, and uses the whole screen.
_BARE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.5rem 3rem 0.5rem 3rem !important; max-width: 100% !important; }
</style>
"""


def bare_view() -> View:
    """Set up a page with no visible sidebar or header (presentation mode): the same access gate and the same
    URL- and session-synced filters as :func:`page_view` (the sidebar is drawn, then hidden by static CSS)."""
    configure_page()
    inject_css()
    access = auth_ui.gate(store())
    view = sidebar(access.scope)
    st.html(_BARE_CSS)
    return view


def page_header(title: str, view: View) -> None:
    """Title, the chosen place and year, notices, the demo banner and the snapshot line."""
    st.title(title, anchor=False)
    st.caption(f"{view.where} — {texts.FILTER_YEAR} {fa.year(view.filters.year)}")
    for notice in [*view.notices, *settings.load(store().root).problems]:
        st.warning(notice, icon=":material/warning:")
    if view.snapshot.is_demo:
        st.info(texts.DEMO_BANNER, icon=":material/info:")
    st.caption(texts.SNAPSHOT_CAPTION.format(id=view.snapshot.id, as_of=fa.date_long(view.as_of)))


def pace_status(share_of_target: float, elapsed: float) -> str:
    """Ahead / on / behind plan: the share achieved against the share of the year elapsed."""
    if elapsed <= 0:
        return texts.PACE_ON
    ratio = share_of_target / elapsed
    if ratio >= 1.05:
        return texts.PACE_AHEAD
    if ratio >= 0.95:
        return texts.PACE_ON
    return texts.PACE_BEHIND


def kpi_card(metric: Metric, values: KpiValues, as_of: dt.date) -> None:
    """One KPI: value, change against the previous Jalali year and, with a target, progress and pace."""
    value = values.current.get(metric.key)
    change = values.change(metric.key)
    elapsed = fa.year_elapsed(values.filters.year, as_of)
    delta = None
    if change is not None:
        # The arrow shows the direction, so the number is shown without a sign.
        delta = f"{fa.pct(abs(change))} {texts.VS_PREVIOUS.format(year=fa.year(values.filters.year - 1))}"
        if elapsed < 1:
            # A year still in progress is compared with the whole of the previous one: say so.
            delta += " " + texts.PARTIAL_YEAR
    with st.container(border=True):
        st.metric(metric.card_label, metric.format(value), delta=delta,
                  delta_arrow="off" if change is None else ("up" if change > 0 else "down" if change < 0 else "off"),
                  delta_color="normal", help=metric.help_text)
        target = values.target(metric)
        if target:
            share = (value or 0) / target
            st.progress(min(max(share, 0.0), 1.0),
                        text=texts.OF_TARGET.format(pct=fa.pct(share), target=metric.format(target)))
            st.caption(f"{texts.PACE.format(elapsed=fa.pct(elapsed))} — {pace_status(share, elapsed)}")


def static_table(frame: pd.DataFrame, highlight: dict[str, str] | None = None) -> None:
    """A small table drawn as HTML (so it is right to left with Persian digits), cells pre-formatted as text.

    ``highlight`` maps a column to a value whose cells are shown in red (e.g. laggards)."""
    body = frame.set_index(frame.columns[0])
    if highlight:
        styler = body.style
        for col, bad in highlight.items():
            styler = styler.map(lambda v, bad=bad: "color: #c92a2a; font-weight: 700" if v == bad else "",
                                subset=[col])
        st.table(styler)
    else:
        st.table(body)


def empty_state(view: View) -> None:
    st.info(texts.NO_DATA_YEAR.format(where=view.where, year=fa.year(view.filters.year)), icon=":material/inbox:")


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel downloads of a table with Persian headers; text cells that look like formulas are neutralised."""
    from .tabular import to_csv_bytes, to_xlsx_bytes

    left, right = st.columns(2)
    # Made on click, after the download is written to the audit log (auth_ui.audited_download).
    left.download_button(texts.DOWNLOAD_CSV, auth_ui.audited_download("csv", name, lambda: to_csv_bytes(frame),
                                                                      rows=len(frame)),
                         file_name=f"{name}.csv", mime="text/csv", on_click="ignore",
                         key=f"csv_{key}", icon=":material/download:", width="stretch")
    right.download_button(texts.DOWNLOAD_XLSX, auth_ui.audited_download("xlsx", name,
                                                                        lambda: to_xlsx_bytes({name: frame}),
                                                                        rows=len(frame)),
                          file_name=f"{name}.xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx_{key}", icon=":material/download:", width="stretch")


def table(display: pd.DataFrame, raw: pd.DataFrame, name: str, key: str) -> None:
    """A right-to-left table of pre-formatted Persian cells, with downloads of the raw numbers."""
    static_table(display)
    download_buttons(raw, name, key)


def _filter_to_clicked_county(chart_key: str) -> None:
    """on_select callback: a click on a county's bar or dot makes it the county filter (before widgets exist)."""
    state = st.session_state.get(chart_key)
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for p in points:
        custom = p.get("customdata")
        code = custom[0] if isinstance(custom, (list, tuple)) and custom else None
        if code:
            st.session_state["f_counties"] = [code]
            return


def chart(fig, key: str, counties_clickable: bool = False) -> None:
    """Show a plotly figure; with ``counties_clickable`` a click on a county filters the dashboard to it."""
    config = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "locale": "fa"}
    if counties_clickable:
        st.plotly_chart(fig, key=key, on_select=lambda: _filter_to_clicked_county(key),
                        selection_mode="points", config=config)
    else:
        st.plotly_chart(fig, key=key, config=config)


def year_has_data(view: View) -> bool:
    """Whether the chosen year holds any data for the chosen counties (years.sql narrows by county)."""
    from .query import run

    frame = run(view.snapshot, "years", {"counties": list(view.filters.counties)}, view.scope)
    return view.filters.year in set(int(y) for y in frame["year"])


def kpi_grid(cards: list[Metric], values: KpiValues, as_of: dt.date, per_row: int = 4) -> None:
    """KPI cards in rows of ``per_row``."""
    for start in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, metric in zip(cols, cards[start:start + per_row]):
            with col:
                kpi_card(metric, values, as_of)


def county_breakdown(view: View, frame: pd.DataFrame, series: dict[str, str],
                     columns: dict[str, tuple[str, Callable]], name: str, key: str, title: str,
                     stacked: bool = False) -> bool:
    """A per-county bar chart (a click filters to the county) and, folded under it, its table with downloads.

    ``series`` maps columns to bar names; ``columns`` maps table columns to (Persian header, formatter).
    With no rows it says so instead and returns False."""
    from . import charts

    if frame.empty:
        empty_state(view)
        return False

    chart(charts.bars(frame, "name_fa", series, codes="county_code", stacked=stacked), key=key,
          counties_clickable=True)
    st.caption(texts.CLICK_TO_FILTER)
    raw = frame[["name_fa", *columns]].rename(
        columns={"name_fa": texts.COLUMN_COUNTY, **{c: header for c, (header, _) in columns.items()}})
    display = raw.assign(**{header: raw[header].map(fmt) for header, fmt in columns.values()})
    with st.expander(title):
        table(display, raw, name, key=f"{key}_t")
    return True


def stop_without_data(view: View) -> None:
    """End the page with a short explanation when the chosen year holds no data for the chosen counties."""
    if not year_has_data(view):
        empty_state(view)
        st.stop()


def topic_cards(view: View, topic: str, per_row: int = 4) -> KpiValues:
    """Compute a topic's metrics for the view and draw its cards; returns the values for the rest of the page."""
    from . import metrics

    values = metrics.compute(view.snapshot, view.filters, view.scope, metrics.by_topic(topic))
    kpi_grid(metrics.cards(topic), values, view.as_of, per_row=per_row)
    return values
