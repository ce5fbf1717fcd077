"""The naive baseline as a Streamlit page: whole tables in pandas, filtered and grouped on every interaction.

Shows the overview's figures (headline cards, the county ranking, the per-county values) computed by
bench/naive.py from the active snapshot of ``KARNAMA_DATA_DIR``."""

from pathlib import Path

import streamlit as st

from bench import naive
from karnama import metrics
from karnama.core.counties import COUNTIES
from karnama.core.paths import default_data_dir
from karnama.data.snapshots import SnapshotStore


@st.cache_resource
def tables(path: str):
    return naive.load(Path(path))


snapshot = SnapshotStore(default_data_dir()).resolve().snapshot
t = tables(str(snapshot.path))
NAMES = {c.code: c.name_fa for c in COUNTIES}
with st.sidebar:
    counties = st.multiselect("شهرستان", list(NAMES), key="f_counties", format_func=NAMES.get)
    years = naive.years(t, counties)
    year = st.selectbox("سال", years, key="f_year", index=years.index(1401) if 1401 in years else 0)
view = naive.overview(t, year, counties)
st.title("کارنما (pandas)", anchor=False)
cols = st.columns(4)
for i, m in enumerate(metrics.headline()):
    with cols[i % 4]:
        st.metric(m.card_label, m.format(view["kpis"][year][m.key]))
st.table(view["ranking"][["name_fa", "se_stabilised", "se_target", "se_progress"]].set_index("name_fa"))
st.dataframe(view["by_county"])
