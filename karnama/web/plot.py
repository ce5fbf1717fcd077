"""Plotly figures drawn by plotly.js *basic* (1.2 MB, bar/scatter/pie) in a Streamlit components-v2 element.

Streamlit's ``st.plotly_chart`` ships the full plotly.js (a 4.7 MB chunk, ~0.9 s of the browser's main thread on
this project's server to evaluate on every fresh page load). Our figures use only bar, scatter and pie traces, all
in the basic bundle, which is vendored in static/plot/ (served at app/static/plot/, so nothing comes from the
internet) and loaded once per page: by a deferred script in the page's document on chart pages
(karnama/web/first_paint.py), else by the first chart that needs it.

The element draws the figure's JSON with ``Plotly.react`` into one div that stays mounted across reruns (a filter
change redraws in place), at the container's width and the figure's height, with Streamlit's light plotly theme
(captured once from Streamlit 1.67's own chart: plot_theme.json) as the figure's template, and the Persian text
alternative as the div's ``aria-label``. A clickable chart sends the clicked point's ``customdata[0]`` (a county
code) as a trigger; its callback sets the county filter before the widgets are created.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

THEME = (Path(__file__).with_name("plot_theme.json")).read_text(encoding="utf-8")
SCRIPT_URL = "./app/static/plot/plotly-basic.min.js"  # relative: right under a base path too (pages are one segment)
SCRIPT_ID = "karnama-plotly"

# The module is registered inline (components v2 serves files only for installed packages) and imported once per
# page (the frontend caches it by content). ``data`` is the UTF-8 bytes of {"fig":…, "config":…, "alt":…, "click":…}.
_JS = (
    "const THEME = "
    + THEME
    + ";\nconst SRC = "
    + json.dumps(SCRIPT_URL)
    + ";\nconst SCRIPT_ID = "
    + json.dumps(SCRIPT_ID)
    + ";\n"
    + r"""
function plotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__karnamaPlotly) {
    window.__karnamaPlotly = new Promise((resolve, reject) => {
      let s = document.getElementById(SCRIPT_ID);
      if (!s) {
        s = document.createElement("script");
        s.id = SCRIPT_ID;
        s.src = new URL(SRC, document.baseURI).href;
        document.head.appendChild(s);
      }
      s.addEventListener("load", () => resolve(window.Plotly));
      s.addEventListener("error", () => { window.__karnamaPlotly = null; reject(new Error("plotly.js not loaded")); });
      if (window.Plotly) resolve(window.Plotly);
    });
  }
  return window.__karnamaPlotly;
}

function width(box) {
  return Math.max(box.getBoundingClientRect().width, 150);
}

function height(box) {
  return Math.max(box.getBoundingClientRect().height, 150);
}

// A copy of a figure with every font size (font, tickfont, textfont, …) times k.
function scaledFonts(value, k) {
  if (Array.isArray(value)) return value.map((v) => scaledFonts(v, k));
  if (!value || typeof value !== "object") return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = scaledFonts(v, k);
    if (/font$/.test(key) && out[key] && typeof out[key].size === "number")
      out[key].size = Math.round(out[key].size * k * 10) / 10;
  }
  return out;
}

export default function ({ data, parentElement, setTriggerValue }) {
  const spec = JSON.parse(new TextDecoder().decode(data));
  let box = parentElement.querySelector(":scope > .karnama-plot");
  if (!box) {
    box = document.createElement("div");
    box.className = "karnama-plot";
    box.style.width = "100%";
    parentElement.appendChild(box);
  }
  const seq = (box.__kbSeq = (box.__kbSeq || 0) + 1);
  box.dataset.state = "drawing";
  box.__kbTrigger = setTriggerValue;
  if (spec.alt) { box.setAttribute("role", "figure"); box.setAttribute("aria-label", spec.alt); }
  else { box.removeAttribute("role"); box.removeAttribute("aria-label"); }
  const fig = spec.fig || {};
  const layout = fig.layout || {};
  if (spec.themed) layout.template = THEME;
  if (spec.click) {  // as st.plotly_chart with selection_mode="points"
    if (!layout.hovermode) layout.hovermode = "closest";
    if (!layout.dragmode) layout.dragmode = "pan";
    if (!layout.clickmode) layout.clickmode = "event";
  }
  box.__kbFill = !!spec.fill;
  if (spec.fill) {  // the page's style sheet gives the box its height (the presentation: a share of the screen)
    box.style.height = "";
  } else {
    layout.height = layout.height >= 10 ? layout.height : 450;
    box.style.height = layout.height + "px";
  }
  box.__kbClick = !!spec.click;
  // A filled chart's type grows with its box (a larger screen), from its size at fontRef px high, up to 1.5 times.
  const draw = (Plotly) => {
    const h = height(box);
    const k = spec.fill && spec.fontRef ? Math.min(Math.max(h / spec.fontRef, 1), 1.5) : 1;
    const f = k === 1 ? { data: fig.data || [], layout } : scaledFonts({ data: fig.data || [], layout }, k);
    f.layout.width = width(box);
    if (spec.fill) f.layout.height = h;
    return Plotly.react(box, f.data, f.layout, spec.config || {});
  };
  box.__kbDraw = draw;
  plotly().then((Plotly) => {
    if (seq !== box.__kbSeq) return;
    return draw(Plotly).then(() => {
      if (seq !== box.__kbSeq) return;
      box.dataset.state = "drawn";
      if (!box.__kbWired) {
        box.__kbWired = true;
        box.on("plotly_click", (ev) => {
          if (!box.__kbClick) return;
          const custom = ev && ev.points && ev.points[0] && ev.points[0].customdata;
          const code = Array.isArray(custom) ? custom[0] : null;
          if (code) box.__kbTrigger("county", code);
        });
        let last = [width(box), height(box)];
        new ResizeObserver(() => {
          const size = [width(box), height(box)];
          if ((size[0] !== last[0] || (box.__kbFill && size[1] !== last[1])) && box.dataset.state === "drawn") {
            last = size;
            if (box.__kbFill) box.__kbDraw(Plotly);
            else Plotly.relayout(box, { width: size[0] });
          }
        }).observe(box);
      }
    });
  }).catch((err) => { box.dataset.state = "error"; console.error("karnama plot", err); });
}
"""
)

_plot = st.components.v2.component("karnama_plot", js=_JS, isolate_styles=False)


def _filter_to_clicked(key: str) -> None:
    """Trigger callback (runs before the script): the clicked county becomes the county filter."""
    code = (st.session_state.get(key) or {}).get("county")
    if code:
        st.session_state["f_counties"] = [code]


def plot(
    spec: str,
    key: str,
    config: dict,
    alt: str | None = None,
    counties_clickable: bool = False,
    themed: bool = True,
    fill: bool = False,
    font_ref_px: int | None = None,
) -> None:
    """Draw a figure's plotly JSON (``spec``) with plotly.js-basic; ``alt`` is its text alternative; with
    ``counties_clickable`` a click on a point whose customdata[0] is a county code filters to that county.
    ``themed``: Streamlit's light theme as the template (as st.plotly_chart's default); ``fill``: the chart takes
    the height the page's style sheet gives its ``.karnama-plot`` box, not the figure's; with ``font_ref_px`` its
    type grows with that height (up to 1.5 times), from its figure's sizes at a box of that many pixels."""
    flags = {"click": counties_clickable, "themed": themed, "fill": fill, "fontRef": font_ref_px}
    payload = (
        '{"fig":' + spec + ',"config":' + json.dumps(config) + ',"alt":' + json.dumps(alt or "")
        + "," + json.dumps(flags)[1:]
    )  # fmt: skip
    on_click = (lambda: _filter_to_clicked(key)) if counties_clickable else None  # None: no trigger registered
    _plot(key=key, data=payload.encode("utf-8"), on_county_change=on_click)
