"""How the dashboard is served: ``streamlit run serve.py`` (``make run``, the tests, the benchmark and the cluster).

It is Streamlit's own server running app.py (the same uvicorn server ``streamlit run app.py`` starts), with one
ASGI middleware added through ``st.App``, Streamlit's documented way to do so: the first bytes a browser gets are a
Persian, right-to-left page with the product's name and a spinner instead of a blank white page
(karnama/web/first_paint.py). At start it warms the process in the background (karnama/web/warmup.py), so the
first visitor does not wait for imports and the active snapshot, and it skips Streamlit's scan of every installed
package for component manifests (none ships one). ``streamlit run app.py`` still works, without any of these.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware

from karnama.web import warmup
from karnama.web.first_paint import FirstPaint


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    warmup.start()
    yield


warmup.skip_component_scan()  # before st.App: the runtime would scan every installed package when it starts
app = st.App("app.py", middleware=[Middleware(FirstPaint)], lifespan=lifespan)
