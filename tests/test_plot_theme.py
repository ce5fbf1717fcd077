"""karnama.web.plot draws with a copy of the plotly theme Streamlit's own chart applies: the copy must stay that
theme, so an upgrade of Streamlit that changes it fails here instead of charts quietly looking different."""

from __future__ import annotations

import json

from karnama.web import plot
from tests.browser import running_app

PROBE = """
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), key="probe")
"""


def test_the_copied_theme_is_the_one_streamlit_applies_to_its_own_charts(chromium, demo_dir, tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    with running_app(demo_dir, script=script) as url:  # the project's Streamlit settings (its theme, its font)
        page = chromium.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
        applied = page.evaluate("JSON.stringify(document.querySelector('.js-plotly-plot').layout.template)")
        page.close()
    assert json.loads(applied) == json.loads(plot.THEME)
