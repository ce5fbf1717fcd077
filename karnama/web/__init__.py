"""The Streamlit layer: the only package (with pages/ and app.py) that imports streamlit.

It reaches data only through ``karnama.metrics``, ``karnama.data.query`` (run, Filters), ``karnama.data.catalog``
and the snapshot store (which snapshot is active); never duckdb, parquet files or rollups directly."""
