"""Running the real app (app.py with its navigation) in Streamlit's AppTest."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest

from karnama.core.paths import ROOT
from karnama.web import plain

APP = str(ROOT / "app.py")


def run_app(page: str | None = None, query: dict | None = None, timeout: float = 60) -> AppTest:
    """Run app.py (optionally switched to pages/<page>.py) with URL query parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


class _TableReader(HTMLParser):
    """The rows of one karnama table (plain.table's HTML): header cells, then each row's cells, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.row_headers: list[bool] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
            self.row_headers.append(False)
        elif tag in ("td", "th"):
            self._cell = []
            if tag == "th" and dict(attrs).get("scope") == "row":
                self.row_headers[-1] = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_table(body: str) -> pd.DataFrame:
    """A table drawn by plain.table as the frame a person reads: its header, its row headers as the index."""
    reader = _TableReader()
    reader.feed(body)
    header, rows = reader.rows[0], reader.rows[1:]
    if any(reader.row_headers[1:]):
        frame = pd.DataFrame([r[1:] for r in rows], columns=header[1:], index=pd.Index([r[0] for r in rows]))
        frame.index.name = header[0] or None
        return frame
    return pd.DataFrame(rows, columns=header)


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table of plain text the run drew (plain.table), in order, as text frames."""
    return [read_table(h.proto.body) for h in at.get("html") if f'class="{plain.TABLE_CLASS}"' in h.proto.body]


def chart_alts(at: AppTest) -> dict[str, str | None]:
    """Every chart the run drew: its element id -> the text alternative it was given (None: none)."""
    return {
        el.proto.id: json.loads(el.proto.bytes).get("alt")
        for el in at.get("bidi_component")
        if el.proto.component_name.endswith("karnama_plot")
    }


def drawn_charts(at: AppTest) -> list[tuple[str, dict]]:
    """Every chart the run drew (karnama.web.plot's element): its element id (holding its key) and its figure."""
    out = []
    for el in at.get("bidi_component"):
        if el.proto.component_name.endswith("karnama_plot"):
            out.append((el.proto.id, json.loads(el.proto.bytes)["fig"]))
    return out
