"""The framework floor: a trivial Streamlit page with the dashboard's two filter widgets and no queries.

The benchmark reruns it after changing a filter exactly as it reruns the dashboard pages, so the difference
between the two is what the dashboard itself costs."""

import streamlit as st

from karnama.core.counties import COUNTIES

YEARS = list(range(1403, 1393, -1))
NAMES = {c.code: c.name_fa for c in COUNTIES}

with st.sidebar:
    year = st.selectbox("سال", YEARS, key="f_year")
    counties = st.multiselect("شهرستان", list(NAMES), key="f_counties", format_func=NAMES.get)
st.title("کارنما", anchor=False)
st.write(f"{year} — {len(counties)}")
