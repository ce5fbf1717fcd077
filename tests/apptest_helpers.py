"""Running the real app (app.py with its navigation) in Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from karnama.core.paths import ROOT

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
